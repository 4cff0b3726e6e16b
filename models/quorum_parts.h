// The quorum model's parameters, ring, messages and replica class (shared by
// its .cc files; not a public header). docs/models.md, "quorum", documents
// every parameter, message and size listed here.
//
// Invariants: a key's preference list is the first n distinct nodes met
// walking the ring clockwise from the key's hash; the walk continues past
// them to every other node (the sloppy-quorum substitutes, in order). Every
// message names the coordinator's operation (`op`, a per-node counter that
// survives crashes), so a late reply to a finished operation is ignored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/anti_entropy.h"
#include "models/conflict.h"
#include "models/crdt_store.h"
#include "models/model.h"
#include "models/model_info.h"
#include "models/model_support.h"
#include "models/quorum_crdt.h"
#include "models/retry_queue.h"

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

// The state of a key as shipped between nodes (conflict::KeyState) with the
// coordinator's operation it belongs to.
struct Write : Payload {
  std::uint64_t op = 0;
  Key key = 0;
  conflict::KeyState state;
  std::optional<NodeId> hint_for;  // sloppy: hold for this owner, hand off later
  std::size_t bytes = 0;
  std::optional<conflict::CausalContext> vv;  // the state's context (not lww), for the trace
  const VersionVector* trace_vv() const override { return vv ? &vv->vv : nullptr; }
  const DotSet* trace_dots() const override { return vv ? &vv->dots : nullptr; }
  std::string_view type() const override { return "write"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + 4 + bytes; }
};
struct WriteAck : Payload {
  std::uint64_t op = 0;
  std::string_view type() const override { return "write-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8; }
};
struct Read : Payload {
  std::uint64_t op = 0;
  Key key = 0;
  std::string_view type() const override { return "read"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8; }
};
struct ReadReply : Payload {
  std::uint64_t op = 0;
  conflict::KeyState state;  // empty: the key was never written here
  std::size_t bytes = 0;
  std::optional<conflict::CausalContext> vv;  // the state's context (not lww), for the trace
  const VersionVector* trace_vv() const override { return vv ? &vv->vv : nullptr; }
  const DotSet* trace_dots() const override { return vv ? &vv->dots : nullptr; }
  std::string_view type() const override { return "read-reply"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + bytes; }
};
struct RepairMsg : Payload {
  std::uint64_t op = 0;
  Key key = 0;
  conflict::KeyState state;
  std::size_t bytes = 0;
  std::optional<conflict::CausalContext> vv;  // the state's context (not lww), for the trace
  const VersionVector* trace_vv() const override { return vv ? &vv->vv : nullptr; }
  const DotSet* trace_dots() const override { return vv ? &vv->dots : nullptr; }
  std::string_view type() const override { return "read-repair"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + bytes; }
};
struct RepairAck : Payload {
  std::uint64_t op = 0;
  std::string_view type() const override { return "read-repair-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8; }
};
struct Hint : Payload {
  std::uint64_t id = 0;
  Key key = 0;
  conflict::KeyState state;
  std::size_t bytes = 0;
  std::optional<conflict::CausalContext> vv;  // the state's context (not lww), for the trace
  const VersionVector* trace_vv() const override { return vv ? &vv->vv : nullptr; }
  const DotSet* trace_dots() const override { return vv ? &vv->dots : nullptr; }
  std::string_view type() const override { return "hint"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + bytes; }
};
struct HintAck : Payload {
  std::uint64_t id = 0;
  std::string_view type() const override { return "hint-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8; }
};

enum TimerKind : std::uint8_t {
  kRequestTimeout = 1,
  kSuspect = 2,
  kHintRetry = 3,
  kAntiEntropy = 4
};

// An operation this node coordinates. Phases: a write or cas with
// quorum-read versions (and every cas) first Queries, then Writes; a read
// Reads, then with blocking read repair Repairs; with async read repair a
// read answered early Lingers to repair late responders.
struct Op {
  enum class Phase : std::uint8_t { Query, Writing, Reading, Repairing, Lingering };
  Request request;
  Phase phase = Phase::Reading;
  std::vector<NodeId> targets;  // contacted in this phase (substitutes appended)
  std::set<NodeId> answered;    // distinct nodes that answered this phase
  std::size_t needed = 0;
  // Reads and queries: the states of the first `needed` replies, joined;
  // and each responder's siblings, for read repair.
  conflict::KeyState joined;
  std::map<NodeId, std::vector<conflict::Sibling>> seen;
  conflict::KeyState writing;             // the state being written or repaired
  conflict::CausalContext write_context;  // a write's new context (its client's + its dot)
  bool replied = false;
  std::optional<TimerId> timeout;
  std::optional<TimerId> suspect;
};

class QuorumReplica : public Replica, private AntiEntropyHost {
 public:
  QuorumReplica(const Config& config, Context& ctx);
  void on_request(const Request& request) override;
  void on_message(NodeId from, const Payload& message) override;
  void on_timer(std::uint64_t tag) override;
  void on_crash() override;
  void on_recover() override;

 private:
  friend class CrdtQuorum;  // sets and counters share the ring and the replica choice
  // Coordinator (quorum.cc).
  std::vector<NodeId> preferred(Key key) const;
  std::vector<NodeId> choose(Key key, std::size_t count);
  void start_query(std::uint64_t id, Op& op);
  void start_write(std::uint64_t id, Op& op);
  void send_write(std::uint64_t id, Op& op, NodeId to, std::optional<NodeId> hint_for);
  void on_reply_state(NodeId from, std::uint64_t id, const conflict::KeyState& state);
  void on_ack(NodeId from, std::uint64_t id, bool repair);
  void query_done(std::uint64_t id, Op& op);
  void read_done(std::uint64_t id, Op& op);
  void repair(std::uint64_t id, Op& op, NodeId to);
  void on_suspect_timer(std::uint64_t id);
  void on_request_timeout(std::uint64_t id);
  void substitute(std::uint64_t id, Op& op, NodeId owner);
  void finish(std::uint64_t id, Op& op, Reply reply);
  Reply read_reply(const Op& op) const;
  bool stale(const Op& op, NodeId node) const;

  // Replica side (quorum_replica.cc).
  bool merge_local(Key key, const conflict::KeyState& incoming);
  conflict::KeyState state_of(Key key) const;
  void hold_hint(NodeId owner, Key key, const conflict::KeyState& state);
  void hint_acked(NodeId from, std::uint64_t id);
  // What a message carrying `s` shows on its send line: version-vectors
  // and mv-register only.
  std::optional<conflict::CausalContext> vv_of(const conflict::KeyState& s) const {
    if (config_.conflict == conflict::Strategy::Lww) return std::nullopt;
    return s.causal_context();
  }
  // lww's per-key context is ghost metadata (the overwrite report), not sent.
  // Anti-entropy (quorum_replica.cc): peers compare the keys both are
  // preferred replicas of.
  void anti_entropy_changed(Key key);
  std::vector<NodeId> anti_entropy_peers() const override;
  bool shares_key(NodeId peer, Key key) const override;
  KeyVersionsPtr key_versions(Key key) override;
  void merge_key_versions(Key key, const KeyVersions& versions) override;
  std::size_t bytes_of(const conflict::KeyState& s) const {
    if (config_.conflict != conflict::Strategy::Lww)
      return conflict::wire_bytes(config_.conflict, s);
    conflict::KeyState shipped;
    shipped.siblings = s.siblings;
    return conflict::wire_bytes(config_.conflict, shipped);
  }

  const Config& config_;
  Context& ctx_;
  Ring ring_;
  // Durable: the store, the counters, the hints.
  std::map<Key, conflict::KeyState> store_;
  std::uint64_t next_op_ = 1;
  std::uint64_t write_counter_ = 0;
  // version-vectors, mv-register: the last dot counter of this coordinator
  // per key (a write's dot is (self, ++key_dots_[key])).
  std::map<Key, std::uint64_t> key_dots_;
  std::uint64_t next_hint_ = 1;
  std::map<std::uint64_t, std::string> hints_;  // id -> what it carries, for the note
  RetryQueue handoff_;
  std::optional<AntiEntropy> anti_entropy_;  // trees durable, as the store
  std::unique_ptr<CrdtQuorum> crdt_;         // sets and counters; null for registers
  // Volatile.
  std::map<std::uint64_t, Op> ops_;
  std::set<NodeId> suspected_;  // preferred replicas this coordinator believes unreachable
};

}  // namespace consim::quorum
