// The quorum model's coordinator: the node a client talks to runs each
// operation against the key's replicas (docs/models.md, "quorum", has the
// pseudocode and what each setting guarantees).
//
//   write(k, v): [versions quorum-read, or cas] query the read targets,
//       wait for r replies, join them (cas: compare, maybe answer a miss);
//     version := clock: (local clock, self, seq); quorum-read: (highest
//       clock seen + 1, self, seq) -- ties broken by node id
//     version-vectors, mv-register: dot := (self, ++counter for k); the
//       reply's context is the client's plus that dot only
//     send write to the n preferred replicas (random: w of them); reply ok
//       after w distinct acks. sloppy: a preferred replica that is
//       suspected (or has not acked within suspect_timeout) is also
//       replaced by the next healthy node past the preference list, which
//       holds the write as a hint for it.
//   read(k): send read to the read targets (all n, or r of them); on the
//       r-th reply answer the join of the first r (lww: the newest);
//     read_repair async: after answering, send the join to every responder
//       (late ones too) that holds less; blocking: before answering, write
//       the join back until w replicas hold it.
//   request_timeout with the quorum incomplete: fail if nothing was written
//   yet (a read, a query), else an unknown outcome (the client records info).
//
// Invariants: every operation ends in exactly one reply (ok, fail, unknown)
// unless this node crashes first; a reply only counts once per node per
// phase; every message is sent through ctx.send, the coordinator's own
// replica included (a self-send takes no time), so no handler re-enters.
#include "models/quorum.h"

#include <algorithm>

#include "models/quorum_parts.h"

namespace consim::quorum {

std::vector<NodeId> QuorumReplica::preferred(Key key) const {
  std::vector<NodeId> all = ring_.walk(key);
  all.resize(config_.n);
  return all;
}

// `count` of the key's preferred replicas: drawn uniformly at random
// (replica_choice random), or the coordinator first if it is one, then
// ring order.
std::vector<NodeId> QuorumReplica::choose(Key key, std::size_t count) {
  std::vector<NodeId> p = preferred(key);
  if (config_.replica_choice == ReplicaChoice::Random) {
    for (std::size_t i = 0; i < count; ++i) std::swap(p[i], p[i + ctx_.rng().below(p.size() - i)]);
  } else if (auto self = std::find(p.begin(), p.end(), ctx_.self()); self != p.end()) {
    std::rotate(p.begin(), self, self + 1);
  }
  p.resize(count);
  return p;
}

void QuorumReplica::on_request(const Request& request) {
  if (crdt_) return crdt_->on_request(request);
  std::uint64_t id = next_op_++;
  Op& op = ops_[id];
  op.request = request;
  op.timeout = ctx_.set_timer(config_.request_timeout, timer_tag(kRequestTimeout, id));
  bool query = request.type == OpType::Cas ||
               (request.type == OpType::Write && config_.versions == Versions::QuorumRead);
  if (request.type == OpType::Write && !query) return start_write(id, op);
  op.phase = query ? Op::Phase::Query : Op::Phase::Reading;
  start_query(id, op);
}

void QuorumReplica::start_query(std::uint64_t id, Op& op) {
  bool all = config_.read_targets == ReadTargets::All &&
             config_.replica_choice == ReplicaChoice::Preferred;
  op.targets = choose(op.request.key, all ? config_.n : config_.r);
  op.needed = config_.r;
  auto m = std::make_shared<Read>();
  m->op = id;
  m->key = op.request.key;
  for (NodeId t : op.targets) ctx_.send(t, m);
}

void QuorumReplica::start_write(std::uint64_t id, Op& op) {
  const Key key = op.request.key;
  conflict::KeyState base = op.phase == Op::Phase::Query ? op.joined : state_of(key);
  ++write_counter_;
  conflict::Stamp stamp{ctx_.local_clock(), ctx_.self(), write_counter_};
  if (config_.versions == Versions::QuorumRead) {
    Time top = 0;
    for (const auto& s : op.joined.siblings) top = std::max(top, s.stamp.clock);
    stamp.clock = top + 1;
  }
  // lww: the dot is the write counter; otherwise the next of this node's
  // dots for the key, so a context's vector stays contiguous per key.
  const bool lww = config_.conflict == conflict::Strategy::Lww;
  conflict::Dot dot{ctx_.self(), lww ? write_counter_ : ++key_dots_[key]};
  conflict::CausalContext context = conflict::Session::context_of(op.request.session, key);
  conflict::write(config_.conflict, base, {op.request.value, dot, stamp, context});
  // The client's new context: what it had seen, and this write; not the
  // other siblings of `base`, which it has not read.
  conflict::add(context, dot);
  op.write_context = std::move(context);
  op.writing = std::move(base);
  op.phase = Op::Phase::Writing;
  op.answered.clear();
  op.needed = config_.w;
  bool random = config_.replica_choice == ReplicaChoice::Random;
  op.targets = choose(key, random ? config_.w : config_.n);
  std::vector<NodeId> owners = op.targets;
  for (NodeId t : owners) send_write(id, op, t, std::nullopt);
  if (!config_.sloppy) return;
  for (NodeId t : owners)
    if (suspected_.contains(t)) substitute(id, op, t);
  op.suspect = ctx_.set_timer(config_.suspect_timeout, timer_tag(kSuspect, id));
}

void QuorumReplica::send_write(std::uint64_t id, Op& op, NodeId to,
                               std::optional<NodeId> hint_for) {
  auto m = std::make_shared<Write>();
  m->op = id;
  m->key = op.request.key;
  m->state = op.writing;
  m->hint_for = hint_for;
  m->bytes = bytes_of(op.writing);
  m->vv = vv_of(op.writing);
  ctx_.send(to, m);
}

// Sloppy quorum: the first node past the preference list, in ring order,
// that is neither suspected nor already part of this write holds it for
// `owner`. None left (n is the node count): nothing happens.
void QuorumReplica::substitute(std::uint64_t id, Op& op, NodeId owner) {
  std::vector<NodeId> walk = ring_.walk(op.request.key);
  for (std::size_t i = config_.n; i < walk.size(); ++i) {
    NodeId c = walk[i];
    if (suspected_.contains(c) ||
        std::find(op.targets.begin(), op.targets.end(), c) != op.targets.end())
      continue;
    op.targets.push_back(c);
    send_write(id, op, c, owner);
    return;
  }
}

void QuorumReplica::on_reply_state(NodeId from, std::uint64_t id, const conflict::KeyState& state) {
  auto it = ops_.find(id);
  if (it == ops_.end()) return;
  Op& op = it->second;
  if (op.phase != Op::Phase::Query && op.phase != Op::Phase::Reading &&
      op.phase != Op::Phase::Lingering)
    return;
  if (!op.answered.insert(from).second) return;  // a duplicate
  op.seen[from] = state.siblings;
  if (op.phase == Op::Phase::Lingering) {  // async read repair of a late responder
    if (stale(op, from)) repair(id, op, from);
    if (op.answered.size() == op.targets.size()) finish(id, op, Reply::ok());
    return;
  }
  if (op.answered.size() <= op.needed) conflict::merge(config_.conflict, op.joined, state);
  if (op.answered.size() != op.needed) return;
  if (op.phase == Op::Phase::Query)
    query_done(id, op);
  else
    read_done(id, op);
}

void QuorumReplica::query_done(std::uint64_t id, Op& op) {
  if (op.request.type == OpType::Cas) {
    std::vector<Value> values = op.joined.values();
    std::optional<Value> now;
    if (!values.empty()) now = values.front();
    if (now.value_or(0) != op.request.expected) return finish(id, op, Reply::cas_miss(now));
  }
  start_write(id, op);
}

bool QuorumReplica::stale(const Op& op, NodeId node) const {
  auto it = op.seen.find(node);
  return it != op.seen.end() && it->second != op.joined.siblings;
}

Reply QuorumReplica::read_reply(const Op& op) const {
  std::vector<Value> values = op.joined.values();
  Reply r = Reply::ok(values.empty() ? std::nullopt : std::optional<Value>(values.front()));
  if (values.size() > 1) r.siblings = values;
  if (config_.conflict != conflict::Strategy::Lww)
    conflict::reply_with_context(r, op.request.session, op.request.key, op.joined.causal_context());
  return r;
}

void QuorumReplica::read_done(std::uint64_t id, Op& op) {
  switch (config_.read_repair) {
    case ReadRepair::Off:
      return finish(id, op, read_reply(op));
    case ReadRepair::Async:
      ctx_.reply(op.request, read_reply(op));
      op.replied = true;
      op.phase = Op::Phase::Lingering;
      for (const auto& [node, siblings] : op.seen)
        if (stale(op, node)) repair(id, op, node);
      if (op.answered.size() == op.targets.size()) finish(id, op, Reply::ok());
      return;
    case ReadRepair::Blocking:
      break;
  }
  // Blocking: answer only once w replicas hold what the read returns.
  if (op.joined.siblings.empty()) return finish(id, op, read_reply(op));
  std::set<NodeId> holders;
  for (const auto& [node, siblings] : op.seen)
    if (!stale(op, node)) holders.insert(node);
  op.phase = Op::Phase::Repairing;
  op.answered = holders;
  op.needed = config_.w;
  if (holders.size() >= op.needed) return finish(id, op, read_reply(op));
  for (NodeId t : preferred(op.request.key))
    if (!holders.contains(t)) repair(id, op, t);
}

void QuorumReplica::repair(std::uint64_t id, Op& op, NodeId to) {
  auto m = std::make_shared<RepairMsg>();
  m->op = id;
  m->key = op.request.key;
  m->state = op.joined;
  m->bytes = bytes_of(op.joined);
  m->vv = vv_of(op.joined);
  ctx_.note("read-repair",
            "key " + std::to_string(op.request.key) + " at " + std::string(ctx_.node_name(to)));
  ctx_.send(to, m);
}

void QuorumReplica::on_ack(NodeId from, std::uint64_t id, bool repair_ack) {
  auto it = ops_.find(id);
  if (it == ops_.end()) return;
  Op& op = it->second;
  if (op.phase != (repair_ack ? Op::Phase::Repairing : Op::Phase::Writing)) return;
  op.answered.insert(from);
  if (op.answered.size() < op.needed) return;
  if (repair_ack) return finish(id, op, read_reply(op));
  Reply r = Reply::ok();
  if (config_.conflict != conflict::Strategy::Lww)
    conflict::reply_with_context(r, op.request.session, op.request.key, op.write_context);
  finish(id, op, std::move(r));
}

void QuorumReplica::on_suspect_timer(std::uint64_t id) {
  auto it = ops_.find(id);
  if (it == ops_.end()) return;
  Op& op = it->second;
  op.suspect.reset();
  if (op.phase != Op::Phase::Writing) return;
  std::vector<NodeId> owners(op.targets.begin(),
                             op.targets.begin() + std::min(op.targets.size(), config_.n));
  for (NodeId t : owners)
    if (!op.answered.contains(t) && suspected_.insert(t).second) substitute(id, op, t);
}

void QuorumReplica::on_request_timeout(std::uint64_t id) {
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
                                   "; the write may have been applied"));
    case Op::Phase::Repairing:
      return finish(
          id, op,
          Reply::unknown("read repair not confirmed: " + got("replicas hold the value read")));
  }
}

// Ends `op`: replies (unless an async read already did), cancels its
// timers, forgets it.
void QuorumReplica::finish(std::uint64_t id, Op& op, Reply reply) {
  if (!op.replied) ctx_.reply(op.request, std::move(reply));
  if (op.timeout) ctx_.cancel_timer(*op.timeout);
  if (op.suspect) ctx_.cancel_timer(*op.suspect);
  ops_.erase(id);
}

}  // namespace consim::quorum
