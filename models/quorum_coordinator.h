// The quorum coordinator's steps that do not depend on what a key holds,
// shared by the register path (QuorumReplica, quorum.cc: conflict::KeyState)
// and the sets-and-counters path (CrdtQuorum, quorum_crdt.cc: CrdtValue):
// opening an operation, sending its reads, collecting the first r replies,
// read repair (async and blocking), counting acks, the request timeout and
// finishing. Not a public header. docs/models.md, "quorum", has the
// pseudocode; quorum.cc and quorum_crdt.h the parts that differ.
//
// The coordinator is a base class (CRTP): QuorumCoordinator<Derived, Op>
// owns the operations and calls back into Derived, which provides
//   ctx_, config_                          its Context and quorum::Config
//   choose(key, count), preferred(key)     the key's replicas (the ring)
//   remember(op, from, state)              keep a responder's state in op.seen
//   join(op, state)                        join a reply into op.joined
//   joined_view(op)                        what a responder's op.seen entry
//                                          must equal to be up to date
//   read_nothing(op)                       a blocking read with nothing to
//                                          repair answers at once
//   read_reply(op), write_reply(op)        the replies
//   repair_message(id, op)                 the read-repair message
//   query_done(id, op)                     a query's r-th reply: write next
//   kUpdate, kHeld                         words for the timeout's reasons
//
// Invariants: every operation ends in exactly one reply (ok, fail,
// unknown) unless the node crashes first, through finish(), which also
// cancels its timers and forgets it; a node's reply or ack counts once per
// phase (`answered`); only the first r replies are joined; a reply to an
// operation no longer here is ignored.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/model.h"
#include "models/model_support.h"
#include "models/quorum_wire.h"

namespace consim::quorum {

// What every operation a node coordinates holds, whatever the key holds.
// Phases: a query (a cas, a write with quorum-read versions, a set remove,
// an incr of a register counter) Queries, then Writes; a read Reads, then
// with blocking read repair Repairs; with async read repair a read answered
// early Lingers to repair late responders.
struct OpCore {
  enum class Phase : std::uint8_t { Query, Writing, Reading, Repairing, Lingering };
  Request request;
  Phase phase = Phase::Reading;
  std::vector<NodeId> targets;  // contacted in this phase (substitutes appended)
  std::set<NodeId> answered;    // distinct nodes that answered this phase
  std::size_t needed = 0;
  bool replied = false;  // an async read repair already answered the client
  std::optional<TimerId> timeout;
  std::optional<TimerId> suspect;  // sloppy register writes only
};

template <class Derived, class Op>
class QuorumCoordinator {
 protected:
  struct Opened {
    std::uint64_t id;
    Op& op;
  };

  // A new operation for `request`, its request timeout set (timer kind
  // `timer`).
  Opened open(const Request& request, std::uint8_t timer) {
    const std::uint64_t id = next_op_++;
    Op& op = ops_[id];
    op.request = request;
    op.timeout = self().ctx_.set_timer(self().config_.request_timeout, timer_tag(timer, id));
    return {id, op};
  }

  // Reads the key from its read targets (all n, or r); r replies needed.
  void send_reads(std::uint64_t id, Op& op) {
    const Config& config = self().config_;
    const bool all = config.read_targets == ReadTargets::All &&
                     config.replica_choice == ReplicaChoice::Preferred;
    op.targets = self().choose(op.request.key, all ? config.n : config.r);
    op.needed = config.r;
    auto m = std::make_shared<Read>();
    m->op = id;
    m->key = op.request.key;
    for (NodeId t : op.targets) self().ctx_.send(t, m);
  }

  // Enters the write phase: w acks needed from the n preferred replicas
  // (random: w of them), which are op.targets.
  void begin_write(Op& op) {
    const Config& config = self().config_;
    op.phase = Op::Phase::Writing;
    op.answered.clear();
    op.needed = config.w;
    const bool random = config.replica_choice == ReplicaChoice::Random;
    op.targets = self().choose(op.request.key, random ? config.w : config.n);
  }

  // A replica's state of the key, for a read or a query.
  template <class State>
  void on_reply(NodeId from, std::uint64_t id, const State& state) {
    auto it = ops_.find(id);
    if (it == ops_.end()) return;
    Op& op = it->second;
    if (op.phase != Op::Phase::Query && op.phase != Op::Phase::Reading &&
        op.phase != Op::Phase::Lingering)
      return;
    if (!op.answered.insert(from).second) return;  // a duplicate
    self().remember(op, from, state);
    if (op.phase == Op::Phase::Lingering) {  // async read repair of a late responder
      if (stale(op, from)) repair(id, op, from);
      if (op.answered.size() == op.targets.size()) finish(id, op, Reply::ok());
      return;
    }
    if (op.answered.size() <= op.needed) self().join(op, state);
    if (op.answered.size() != op.needed) return;
    if (op.phase == Op::Phase::Query) return self().query_done(id, op);
    read_done(id, op);
  }

  // Whether `node` answered with something other than the join (less: the
  // join holds every reply). Example: n1 answers [5], n3 answers nothing;
  // the join is [5], so n3 is stale and n1 is not.
  bool stale(const Op& op, NodeId node) const {
    auto it = op.seen.find(node);
    return it != op.seen.end() && !(it->second == Derived::joined_view(op));
  }

  // The read's r-th reply: answer, after or while repairing as configured.
  void read_done(std::uint64_t id, Op& op) {
    switch (self().config_.read_repair) {
      case ReadRepair::Off:
        return finish(id, op, self().read_reply(op));
      case ReadRepair::Async:
        self().ctx_.reply(op.request, self().read_reply(op));
        op.replied = true;
        op.phase = Op::Phase::Lingering;
        for (const auto& seen : op.seen)
          if (stale(op, seen.first)) repair(id, op, seen.first);
        if (op.answered.size() == op.targets.size()) finish(id, op, Reply::ok());
        return;
      case ReadRepair::Blocking:
        break;
    }
    // Blocking: answer only once w replicas hold what the read returns.
    if (self().read_nothing(op)) return finish(id, op, self().read_reply(op));
    std::set<NodeId> holders;
    for (const auto& seen : op.seen)
      if (!stale(op, seen.first)) holders.insert(seen.first);
    op.phase = Op::Phase::Repairing;
    op.answered = holders;
    op.needed = self().config_.w;
    if (holders.size() >= op.needed) return finish(id, op, self().read_reply(op));
    for (NodeId t : self().preferred(op.request.key))
      if (!holders.contains(t)) repair(id, op, t);
  }

  void repair(std::uint64_t id, const Op& op, NodeId to) {
    Context& ctx = self().ctx_;
    ctx.note("read-repair",
             "key " + std::to_string(op.request.key) + " at " + std::string(ctx.node_name(to)));
    ctx.send(to, self().repair_message(id, op));
  }

  // A write's or a repair's ack.
  void on_ack(NodeId from, std::uint64_t id, bool repair_ack) {
    auto it = ops_.find(id);
    if (it == ops_.end()) return;
    Op& op = it->second;
    if (op.phase != (repair_ack ? Op::Phase::Repairing : Op::Phase::Writing)) return;
    op.answered.insert(from);
    if (op.answered.size() < op.needed) return;
    if (repair_ack) return finish(id, op, self().read_reply(op));
    finish(id, op, self().write_reply(op));
  }

  // request_timeout with the quorum incomplete: fail if nothing was
  // written yet (a read, a query), else an unknown outcome.
  void on_timeout(std::uint64_t id) {
    auto it = ops_.find(id);
    if (it == ops_.end()) return;
    Op& op = it->second;
    op.timeout.reset();
    if (op.replied) return finish(id, op, Reply::ok());
    auto got = [&](std::string_view what) {
      return std::to_string(op.answered.size()) + " of " + std::to_string(op.needed) + " " +
             std::string(what) + " within " + format_duration(self().config_.request_timeout);
    };
    switch (op.phase) {
      case Op::Phase::Query:
      case Op::Phase::Reading:
      case Op::Phase::Lingering:
        return finish(id, op, Reply::fail("read quorum not reached: " + got("replies")));
      case Op::Phase::Writing:
        return finish(id, op,
                      Reply::unknown("write quorum not reached: " + got("acks") + "; the " +
                                     std::string(Derived::kUpdate) + " may have been applied"));
      case Op::Phase::Repairing:
        return finish(
            id, op,
            Reply::unknown("read repair not confirmed: " +
                           got("replicas hold the " + std::string(Derived::kHeld) + " read")));
    }
  }

  // Ends `op`: replies (unless an async read already did), cancels its
  // timers, forgets it.
  void finish(std::uint64_t id, Op& op, Reply reply) {
    Context& ctx = self().ctx_;
    if (!op.replied) ctx.reply(op.request, std::move(reply));
    if (op.timeout) ctx.cancel_timer(*op.timeout);
    if (op.suspect) ctx.cancel_timer(*op.suspect);
    ops_.erase(id);
  }

  std::uint64_t next_op_ = 1;        // durable
  std::map<std::uint64_t, Op> ops_;  // volatile

 private:
  Derived& self() { return static_cast<Derived&>(*this); }
  const Derived& self() const { return static_cast<const Derived&>(*this); }
};

}  // namespace consim::quorum
