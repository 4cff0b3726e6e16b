// The quorum model's sets and counters (workload.type "set" or "counter";
// docs/crdts.md, "quorum"): every key holds a CRDT (models/crdt_store.h),
// and the coordinator runs each operation against the key's replicas as
// the register path does (quorum.cc), with CRDT states in place of
// register versions and the CRDT's merge in place of the conflict strategy.
// Not a public header: the quorum model's files share it.
//
//   read(k): send read to the read targets; on the r-th reply answer the
//       join (merge) of the first r states; read repair as for registers
//       (async: send the join to responders that hold less; blocking:
//       before answering, until w replicas hold it).
//   add, incr: apply at the coordinator's own copy of the key (which holds
//       every update it coordinated, so its dots and per-node counts only
//       grow), then send that state to the n preferred replicas (random: w
//       of them); ok after w acks.
//   remove, and an incr of a register counter: first read r replicas and
//       merge their join into the coordinator's copy (a remove removes what
//       it observed; a register counter adds to the value it read), then
//       apply and write as above.
//   request_timeout: fail while reading, unknown once writing.
//   replica: merge a written or repaired state (a join: idempotent,
//       commutative), ack; answer a read with the key's state.
//   anti-entropy (if on) compares the CRDT states' digests and ships the
//       states that differ, which the receiver merges.
//
// Invariants: every operation ends in exactly one reply unless this node
// crashes first (the operations are volatile, the states durable); replies
// to a finished operation are ignored (`op`, a per-node counter that
// survives crashes); merging never loses an update a state carries, so
// what w replicas acknowledged survives while any of them does.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "models/crdt_store.h"
#include "models/model.h"
#include "models/model_support.h"

namespace consim::quorum {

struct Config;
class QuorumReplica;

// A key's CRDT state on the wire, with the coordinator's operation: a
// write ("write"), a read's reply ("read-reply") or a repair
// ("read-repair"), by `type`.
struct CrdtState : Payload {
  std::string_view kind;  // "write", "read-reply" or "read-repair"
  std::uint64_t op = 0;
  Key key = 0;
  std::shared_ptr<const CrdtValue> value;
  std::size_t bytes = 0;  // CrdtStore::wire_bytes(*value)
  std::string_view type() const override { return kind; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + bytes; }
};

class CrdtQuorum {
 public:
  // `changed` is called with a key whose local state changed (anti-entropy).
  CrdtQuorum(QuorumReplica& replica, const Config& config, Context& ctx,
             std::function<void(Key)> changed);
  void on_request(const Request& request);
  // True if `message` was CRDT traffic (handled here).
  bool on_message(NodeId from, const Payload& message);
  // True if `tag` is one of its timers.
  bool on_timer(std::uint64_t tag);
  void on_crash() { ops_.clear(); }
  CrdtStore& store() { return store_; }

 private:
  struct Op {
    enum class Phase : std::uint8_t { Query, Writing, Reading, Repairing, Lingering };
    Request request;
    Phase phase = Phase::Reading;
    std::vector<NodeId> targets;
    std::set<NodeId> answered;
    std::size_t needed = 0;
    std::optional<CrdtValue> joined;   // reads and queries: the join of the first r
    std::map<NodeId, CrdtValue> seen;  // each responder's state, for read repair
    Reply result;                      // an update's reply, sent after w acks
    bool replied = false;
    std::optional<TimerId> timeout;
  };

  void send_read(std::uint64_t id, Op& op);
  void on_state(NodeId from, const CrdtState& m);
  void on_ack(NodeId from, std::uint64_t id, bool repair);
  void apply_and_write(std::uint64_t id, Op& op);
  void read_done(std::uint64_t id, Op& op);
  void repair(std::uint64_t id, Op& op, NodeId to);
  bool stale(const Op& op, NodeId node) const;
  void on_timeout(std::uint64_t id);
  void finish(std::uint64_t id, Op& op, Reply reply);
  std::shared_ptr<CrdtState> state_message(std::string_view kind, std::uint64_t id, Key key,
                                           const CrdtValue& value) const;
  void merge(Key key, const CrdtValue& value);

  QuorumReplica& replica_;
  const Config& config_;
  Context& ctx_;
  std::function<void(Key)> changed_;
  CrdtStore store_;                  // durable: this node's copy of every key it holds
  std::uint64_t next_op_ = 1;        // durable
  std::map<std::uint64_t, Op> ops_;  // volatile
};

}  // namespace consim::quorum
