// The quorum model's sets and counters: the coordinator and replica sides
// of CrdtQuorum (quorum_crdt.h has the pseudocode and the invariants).
//
// Example (n = 3, r = w = 2, OR-set): Alice adds "hat" at n1: n1 applies
// the add to its copy of cart 0 (dot n1:1), writes the state to n1, n2, n3
// and answers ok after two acks. A partition leaves n3 alone; Bob removes
// "hat" at n3: the remove's read gets one reply of two and fails (no quorum
// on n3's side), so nothing was removed. With r = w = 1 it succeeds: n3
// removes what it saw (dot n1:1 if it held it, else nothing: "result":
// false), and after the heal every read merges both sides' states.
#include "models/quorum_crdt.h"

#include <algorithm>

#include "models/model_support.h"
#include "models/quorum_parts.h"

namespace consim::quorum {
namespace {

constexpr std::uint8_t kCrdtTimeout = 5;  // after quorum_parts.h's TimerKind values

}  // namespace

CrdtQuorum::CrdtQuorum(QuorumReplica& replica, const Config& config, Context& ctx,
                       std::function<void(Key)> changed)
    : replica_(replica),
      config_(config),
      ctx_(ctx),
      changed_(std::move(changed)),
      store_(config.crdt, ctx) {}

void CrdtQuorum::on_request(const Request& request) {
  const std::uint64_t id = next_op_++;
  Op& op = ops_[id];
  op.request = request;
  op.timeout = ctx_.set_timer(config_.request_timeout, timer_tag(kCrdtTimeout, id));
  if (request.type == OpType::Read || store_.reads_first(request)) {
    op.phase = request.type == OpType::Read ? Op::Phase::Reading : Op::Phase::Query;
    return send_read(id, op);
  }
  apply_and_write(id, op);
}

void CrdtQuorum::send_read(std::uint64_t id, Op& op) {
  const bool all = config_.read_targets == ReadTargets::All &&
                   config_.replica_choice == ReplicaChoice::Preferred;
  op.targets = replica_.choose(op.request.key, all ? config_.n : config_.r);
  op.needed = config_.r;
  op.joined = store_.empty_value();
  auto m = std::make_shared<Read>();
  m->op = id;
  m->key = op.request.key;
  for (NodeId t : op.targets) ctx_.send(t, m);
}

// The update applied at this node's copy (after a query, over the join it
// read), then its whole state written to the replicas.
void CrdtQuorum::apply_and_write(std::uint64_t id, Op& op) {
  const Key key = op.request.key;
  if (op.phase == Op::Phase::Query) merge(key, *op.joined);
  bool changed = false;
  op.result = store_.apply(op.request, changed);
  if (op.result.outcome != Reply::Outcome::Ok) return finish(id, op, op.result);
  if (changed) changed_(key);
  op.phase = Op::Phase::Writing;
  op.answered.clear();
  op.needed = config_.w;
  const bool random = config_.replica_choice == ReplicaChoice::Random;
  op.targets = replica_.choose(key, random ? config_.w : config_.n);
  auto m = state_message("write", id, key, store_.state(key));
  for (NodeId t : op.targets) ctx_.send(t, m);
}

bool CrdtQuorum::on_message(NodeId from, const Payload& message) {
  if (auto* s = payload_as<CrdtState>(message)) {
    if (s->kind == "read-reply") {
      on_state(from, *s);
      return true;
    }
    merge(s->key, *s->value);  // a write or a repair
    if (s->kind == "write") {
      auto ack = std::make_shared<WriteAck>();
      ack->op = s->op;
      ctx_.send(from, ack);
    } else {
      auto ack = std::make_shared<RepairAck>();
      ack->op = s->op;
      ctx_.send(from, ack);
    }
    return true;
  }
  if (auto* r = payload_as<Read>(message)) {
    ctx_.send(from, state_message("read-reply", r->op, r->key, store_.state(r->key)));
    return true;
  }
  if (auto* wa = payload_as<WriteAck>(message)) {
    on_ack(from, wa->op, false);
    return true;
  }
  if (auto* ra = payload_as<RepairAck>(message)) {
    on_ack(from, ra->op, true);
    return true;
  }
  return false;
}

void CrdtQuorum::on_state(NodeId from, const CrdtState& m) {
  auto it = ops_.find(m.op);
  if (it == ops_.end()) return;
  Op& op = it->second;
  if (op.phase != Op::Phase::Query && op.phase != Op::Phase::Reading &&
      op.phase != Op::Phase::Lingering)
    return;
  if (!op.answered.insert(from).second) return;  // a duplicate
  op.seen.insert_or_assign(from, *m.value);
  if (op.phase == Op::Phase::Lingering) {  // async read repair of a late responder
    if (stale(op, from)) repair(m.op, op, from);
    if (op.answered.size() == op.targets.size()) finish(m.op, op, Reply::ok());
    return;
  }
  if (op.answered.size() <= op.needed) CrdtStore::join(*op.joined, *m.value);
  if (op.answered.size() != op.needed) return;
  if (op.phase == Op::Phase::Query) return apply_and_write(m.op, op);
  read_done(m.op, op);
}

bool CrdtQuorum::stale(const Op& op, NodeId node) const {
  auto it = op.seen.find(node);
  return it != op.seen.end() && !(it->second == *op.joined);
}

void CrdtQuorum::read_done(std::uint64_t id, Op& op) {
  switch (config_.read_repair) {
    case ReadRepair::Off:
      return finish(id, op, CrdtStore::read_reply(*op.joined));
    case ReadRepair::Async:
      ctx_.reply(op.request, CrdtStore::read_reply(*op.joined));
      op.replied = true;
      op.phase = Op::Phase::Lingering;
      for (const auto& [node, state] : op.seen)
        if (stale(op, node)) repair(id, op, node);
      if (op.answered.size() == op.targets.size()) finish(id, op, Reply::ok());
      return;
    case ReadRepair::Blocking:
      break;
  }
  // Blocking: answer only once w replicas hold what the read returns.
  std::set<NodeId> holders;
  for (const auto& [node, state] : op.seen)
    if (!stale(op, node)) holders.insert(node);
  op.phase = Op::Phase::Repairing;
  op.answered = holders;
  op.needed = config_.w;
  if (holders.size() >= op.needed) return finish(id, op, CrdtStore::read_reply(*op.joined));
  for (NodeId t : replica_.preferred(op.request.key))
    if (!holders.contains(t)) repair(id, op, t);
}

void CrdtQuorum::repair(std::uint64_t id, Op& op, NodeId to) {
  ctx_.note("read-repair",
            "key " + std::to_string(op.request.key) + " at " + std::string(ctx_.node_name(to)));
  ctx_.send(to, state_message("read-repair", id, op.request.key, *op.joined));
}

void CrdtQuorum::on_ack(NodeId from, std::uint64_t id, bool repair_ack) {
  auto it = ops_.find(id);
  if (it == ops_.end()) return;
  Op& op = it->second;
  if (op.phase != (repair_ack ? Op::Phase::Repairing : Op::Phase::Writing)) return;
  op.answered.insert(from);
  if (op.answered.size() < op.needed) return;
  if (repair_ack) return finish(id, op, CrdtStore::read_reply(*op.joined));
  finish(id, op, op.result);
}

bool CrdtQuorum::on_timer(std::uint64_t tag) {
  if (timer_kind(tag) != kCrdtTimeout) return false;
  on_timeout(timer_id(tag));
  return true;
}

void CrdtQuorum::on_timeout(std::uint64_t id) {
  auto it = ops_.find(id);
  if (it == ops_.end()) return;
  Op& op = it->second;
  op.timeout.reset();
  if (op.replied) return finish(id, op, Reply::ok());
  auto got = [&](std::string_view what) {
    return std::to_string(op.answered.size()) + " of " + std::to_string(op.needed) + " " +
           std::string(what) + " within " + format_duration(config_.request_timeout);
  };
  switch (op.phase) {
    case Op::Phase::Query:
    case Op::Phase::Reading:
    case Op::Phase::Lingering:
      return finish(id, op, Reply::fail("read quorum not reached: " + got("replies")));
    case Op::Phase::Writing:
      return finish(id, op,
                    Reply::unknown("write quorum not reached: " + got("acks") +
                                   "; the update may have been applied"));
    case Op::Phase::Repairing:
      return finish(
          id, op,
          Reply::unknown("read repair not confirmed: " + got("replicas hold the state read")));
  }
}

void CrdtQuorum::finish(std::uint64_t id, Op& op, Reply reply) {
  if (!op.replied) ctx_.reply(op.request, std::move(reply));
  if (op.timeout) ctx_.cancel_timer(*op.timeout);
  ops_.erase(id);
}

std::shared_ptr<CrdtState> CrdtQuorum::state_message(std::string_view kind, std::uint64_t id,
                                                     Key key, const CrdtValue& value) const {
  auto m = std::make_shared<CrdtState>();
  m->kind = kind;
  m->op = id;
  m->key = key;
  m->value = std::make_shared<const CrdtValue>(value);
  m->bytes = CrdtStore::wire_bytes(*m->value);
  return m;
}

void CrdtQuorum::merge(Key key, const CrdtValue& value) {
  if (store_.merge(key, value)) changed_(key);
}

}  // namespace consim::quorum
