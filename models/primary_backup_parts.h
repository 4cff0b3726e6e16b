// The primary-backup model's parameters, log entries and messages (shared by
// its .cc files; not a public header). docs/models.md, "primary-backup",
// documents every parameter, message and size listed here.
//
// Invariants: a log index is 1-based (entry i is log[i-1]); an Append's
// entries start at index prev + 1; every message carries the sender's epoch.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/model.h"
#include "models/model_info.h"
#include "models/model_support.h"

namespace consim::pb {

enum class Replication : std::uint8_t { Sync, SemiSync, Async };
enum class ReadFrom : std::uint8_t { Primary, Any };
enum class Standby : std::uint8_t { Hot, Warm };
enum class Fencing : std::uint8_t { Epoch, None };
enum class WarmPromotion : std::uint8_t { CatchUp, AsIs };

struct Config : ModelConfig {
  Replication replication = Replication::Sync;
  ReadFrom read_from = ReadFrom::Primary;
  Standby standby = Standby::Hot;
  Fencing fencing = Fencing::Epoch;
  WarmPromotion warm_promotion = WarmPromotion::CatchUp;
  NodeId primary = 0;
  std::string primary_name = "n1";
  Time heartbeat_interval = 50 * kMillisecond;
  Time suspicion_timeout = 200 * kMillisecond;
  Time warm_refresh = 1 * kSecond;
  Time replay_cost = 1 * kMillisecond;

  nlohmann::json to_json() const override;
};

// One write in the log: the epoch of the primary that appended it.
struct Entry {
  std::uint64_t epoch = 0;
  Key key = 0;
  Value value = 0;
  bool operator==(const Entry&) const = default;
};
constexpr std::size_t kEntryBytes = 24;

// Primary -> backup: entries prev+1.. of the primary's log, its commit
// index, and the read-confirmation round it belongs to. `reset`: the
// entries are the primary's whole log, to replace the backup's (sent once a
// backup reports its log is not yet synced with this epoch).
struct Append : Payload {
  std::uint64_t epoch = 0;
  std::uint64_t prev = 0;
  std::uint64_t commit = 0;
  std::uint64_t round = 0;
  bool reset = false;
  std::vector<Entry> entries;
  std::string_view type() const override {
    if (reset) return "sync";
    return entries.empty() ? "heartbeat" : "append";
  }
  std::size_t size_bytes() const override {
    return kEnvelopeBytes + 8 + 8 + 8 + 8 + 1 + kEntryBytes * entries.size();
  }
};

// Backup -> primary: my log's length; `synced`: it is a prefix of the
// primary's log in this epoch (else the primary sends a reset).
struct AppendAck : Payload {
  std::uint64_t epoch = 0;
  std::uint64_t length = 0;
  std::uint64_t round = 0;
  bool synced = false;
  std::string_view type() const override { return "append-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + 8 + 1; }
};

// "Your epoch is over": the answer to an Append of an older epoch (fencing
// epoch only).
struct Fenced : Payload {
  std::uint64_t epoch = 0;
  std::string_view type() const override { return "fenced"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8; }
};

// Candidate -> all: promise epoch `epoch` to me and tell me your log. A
// pre-vote (`pre`, fencing epoch) only asks whether the node would promise,
// and changes nothing: a node cut off from a live primary then cannot raise
// the epoch and depose it when the cut heals.
struct ViewChange : Payload {
  std::uint64_t epoch = 0;
  bool pre = false;
  std::string_view type() const override { return pre ? "pre-vote" : "view-change"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 1; }
};

// The promise, with how up to date the voter's log is; or, to a pre-vote,
// whether it would promise (`granted`).
struct ViewAck : Payload {
  std::uint64_t epoch = 0;
  std::uint64_t log_epoch = 0;
  std::uint64_t length = 0;
  bool pre = false;
  bool granted = false;
  std::string_view type() const override { return pre ? "pre-vote-ack" : "view-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + 8 + 1 + 1; }
};

// Candidate -> the most up-to-date voter: become the primary of `epoch`.
struct Promote : Payload {
  std::uint64_t epoch = 0;
  std::string_view type() const override { return "promote"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8; }
};

}  // namespace consim::pb
