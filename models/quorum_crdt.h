// The quorum model's sets and counters (workload.type "set" or "counter";
// docs/crdts.md, "quorum"): every key holds a CRDT (models/crdt_store.h),
// and the coordinator runs each operation against the key's replicas
// through the same steps as the register path (models/quorum_coordinator.h),
// with CRDT states in place of register versions and the CRDT's merge in
// place of the conflict strategy.
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
#include <string_view>
#include <vector>

#include "models/crdt_store.h"
#include "models/model.h"
#include "models/model_support.h"
#include "models/quorum_coordinator.h"
#include "models/quorum_wire.h"

namespace consim::quorum {

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

// An operation on a set or counter (OpCore has the phases).
struct CrdtOp : OpCore {
  std::optional<CrdtValue> joined;   // reads and queries: the join of the first r
  std::map<NodeId, CrdtValue> seen;  // each responder's state, for read repair
  Reply result;                      // an update's reply, sent after w acks
};

class CrdtQuorum : private QuorumCoordinator<CrdtQuorum, CrdtOp> {
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
  using Op = CrdtOp;
  friend class QuorumCoordinator<CrdtQuorum, CrdtOp>;

  void apply_and_write(std::uint64_t id, Op& op);
  std::shared_ptr<CrdtState> state_message(std::string_view kind, std::uint64_t id, Key key,
                                           const CrdtValue& value) const;
  void merge(Key key, const CrdtValue& value);
  // What QuorumCoordinator asks of a set or counter (quorum_crdt.cc).
  std::vector<NodeId> choose(Key key, std::size_t count);
  std::vector<NodeId> preferred(Key key) const;
  static void remember(Op& op, NodeId from, const CrdtValue& state) {
    op.seen.insert_or_assign(from, state);
  }
  static void join(Op& op, const CrdtValue& state) { CrdtStore::join(*op.joined, state); }
  static const CrdtValue& joined_view(const Op& op) { return *op.joined; }
  // A blocking read counts the holders even of an empty state (a register
  // read that found nothing answers at once).
  static bool read_nothing(const Op&) { return false; }
  static Reply read_reply(const Op& op) { return CrdtStore::read_reply(*op.joined); }
  static Reply write_reply(const Op& op) { return op.result; }
  PayloadPtr repair_message(std::uint64_t id, const Op& op) const {
    return state_message("read-repair", id, op.request.key, *op.joined);
  }
  void query_done(std::uint64_t id, Op& op) { apply_and_write(id, op); }
  static constexpr std::string_view kUpdate = "update";  // for the timeout's reasons
  static constexpr std::string_view kHeld = "state";

  QuorumReplica& replica_;
  const Config& config_;
  Context& ctx_;
  std::function<void(Key)> changed_;
  CrdtStore store_;  // durable: this node's copy of every key it holds
  // QuorumCoordinator's next_op_ is durable, its ops_ volatile.
};

}  // namespace consim::quorum
