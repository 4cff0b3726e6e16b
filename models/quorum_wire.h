// The quorum model's configuration and what travels between its nodes:
// parameters, the ring, the register messages and the timer kinds (shared
// by its files; not a public header). docs/models.md, "quorum", documents
// every parameter, message and size listed here.
//
// Invariants: a key's preference list is the first n distinct nodes met
// walking the ring clockwise from the key's hash; the walk continues past
// them to every other node (the sloppy-quorum substitutes, in order). Every
// message names the coordinator's operation (`op`, a per-node counter that
// survives crashes), so a late reply to a finished operation is ignored.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/conflict.h"
#include "models/crdt_store.h"
#include "models/id_message.h"
#include "models/model.h"
#include "models/model_info.h"
#include "models/model_support.h"

namespace consim::quorum {

enum class ReadTargets : std::uint8_t { All, R };
enum class Versions : std::uint8_t { Clock, QuorumRead };
enum class ReadRepair : std::uint8_t { Off, Async, Blocking };
enum class ReplicaChoice : std::uint8_t { Preferred, Random };

struct Config : ModelConfig {
  std::size_t n = 3, r = 2, w = 2;
  ReadTargets read_targets = ReadTargets::All;
  Versions versions = Versions::Clock;
  ReadRepair read_repair = ReadRepair::Off;
  ReplicaChoice replica_choice = ReplicaChoice::Preferred;
  bool sloppy = false;
  Time request_timeout = 100 * kMillisecond;
  Time suspect_timeout = 20 * kMillisecond;
  std::size_t virtual_nodes = 8;
  Time retry_initial = 50 * kMillisecond;
  Time retry_max = 1 * kSecond;
  conflict::Strategy conflict = conflict::Strategy::Lww;
  std::optional<Time> anti_entropy;     // the interval between exchanges; nullopt: off
  std::vector<std::string> node_names;  // for the ring (not echoed)
  CrdtParams crdt;                      // sets and counters (quorum_crdt.h)

  nlohmann::json to_json() const override;
};

// Consistent hashing: virtual_nodes tokens per node, from a fixed hash of
// "<name>#<i>"; a key sits at the hash of its number.
class Ring {
 public:
  Ring(const std::vector<std::string>& names, std::size_t virtual_nodes);
  // Every node once, clockwise from the key: the preference list first.
  std::vector<NodeId> walk(Key key) const;

 private:
  std::vector<std::pair<std::uint64_t, NodeId>> tokens_;  // sorted
  std::size_t nodes_ = 0;
};

// The state of a key as shipped between nodes (conflict::KeyState): what
// every register message that carries one holds. `bytes` is its size on
// the wire (QuorumReplica::bytes_of); `vv` its causal context (not lww),
// shown on the message's send line.
struct StatePayload : Payload {
  conflict::KeyState state;
  std::size_t bytes = 0;
  std::optional<conflict::CausalContext> vv;
  const VersionVector* trace_vv() const override { return vv ? &vv->vv : nullptr; }
  const DotSet* trace_dots() const override { return vv ? &vv->dots : nullptr; }
};

// The messages, with the coordinator's operation (`op`) they belong to.
struct Write : StatePayload {
  std::uint64_t op = 0;
  Key key = 0;
  std::optional<NodeId> hint_for;  // sloppy: hold for this owner, hand off later
  std::string_view type() const override { return "write"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + 4 + bytes; }
};
using WriteAck = IdMessage<"write-ack">;  // id: the write's op
struct Read : Payload {
  std::uint64_t op = 0;
  Key key = 0;
  std::string_view type() const override { return "read"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8; }
};
struct ReadReply : StatePayload {  // an empty state: the key was never written here
  std::uint64_t op = 0;
  std::string_view type() const override { return "read-reply"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + bytes; }
};
struct RepairMsg : StatePayload {
  std::uint64_t op = 0;
  Key key = 0;
  std::string_view type() const override { return "read-repair"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + bytes; }
};
using RepairAck = IdMessage<"read-repair-ack">;  // id: the read's op
// Hinted handoff: `id` is the holder's hint (its retry queue's id), not an op.
struct Hint : StatePayload {
  std::uint64_t id = 0;
  Key key = 0;
  std::string_view type() const override { return "hint"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + bytes; }
};
using HintAck = IdMessage<"hint-ack">;  // id: the hint's

enum TimerKind : std::uint8_t {
  kRequestTimeout = 1,
  kSuspect = 2,
  kHintRetry = 3,
  kAntiEntropy = 4,
  kCrdtTimeout = 5  // a set or counter operation's request timeout (quorum_crdt.cc)
};

}  // namespace consim::quorum
