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
// The steps sets and counters share (reads, read repair, acks, the
// timeout, finishing) are in quorum_coordinator.h; this file holds what is
// the register's own: versions, dots and contexts, the sloppy quorum.
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
  auto [id, op] = open(request, kRequestTimeout);
  bool query = request.type == OpType::Cas ||
               (request.type == OpType::Write && config_.versions == Versions::QuorumRead);
  if (request.type == OpType::Write && !query) return start_write(id, op);
  op.phase = query ? Op::Phase::Query : Op::Phase::Reading;
  send_reads(id, op);
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
  begin_write(op);
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
  fill(*m, op.writing);
  m->hint_for = hint_for;
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

void QuorumReplica::query_done(std::uint64_t id, Op& op) {
  if (op.request.type == OpType::Cas) {
    std::vector<Value> values = op.joined.values();
    std::optional<Value> now;
    if (!values.empty()) now = values.front();
    if (now.value_or(0) != op.request.expected) return finish(id, op, Reply::cas_miss(now));
  }
  start_write(id, op);
}

Reply QuorumReplica::read_reply(const Op& op) const {
  std::vector<Value> values = op.joined.values();
  Reply r = Reply::ok(values.empty() ? std::nullopt : std::optional<Value>(values.front()));
  if (values.size() > 1) r.siblings = values;
  if (config_.conflict != conflict::Strategy::Lww)
    conflict::reply_with_context(r, op.request.session, op.request.key, op.joined.causal_context());
  return r;
}

Reply QuorumReplica::write_reply(const Op& op) const {
  Reply r = Reply::ok();
  if (config_.conflict != conflict::Strategy::Lww)
    conflict::reply_with_context(r, op.request.session, op.request.key, op.write_context);
  return r;
}

PayloadPtr QuorumReplica::repair_message(std::uint64_t id, const Op& op) const {
  auto m = std::make_shared<RepairMsg>();
  m->op = id;
  m->key = op.request.key;
  fill(*m, op.joined);
  return m;
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

}  // namespace consim::quorum
