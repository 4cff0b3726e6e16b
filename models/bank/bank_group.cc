// Replica groups (model.params.replicas_per_shard R > 1): each shard is a
// group of R nodes, a primary and R - 1 backups, each holding a copy of the
// shard's durable state (bank_state.h). It follows the primary-backup
// model (models/primary_backup*.cc) with majority acknowledgements, so
// that a group survives the crash of any minority of its members, its
// primary included, and a partition never gives it two primaries that
// both answer:
//
//   coordinator: sends a shard message (prepare, commit, abort, step, get,
//     put) to every member of the shard's group; only the primary acts
//   primary: runs the step as an unreplicated shard would (bank_shard.cc),
//     records what it changed as change number seq+1, sends the change to
//     every backup (replicate), and holds the step's replies until a
//     majority of the group (itself included) has the change; a step that
//     changed nothing (a get, a repeated step) waits for the changes
//     before it. Every `heartbeat` it tells the backups its seq.
//   backup: applies change seq+1 of its epoch's primary and acknowledges
//     (a change out of order is dropped); a heartbeat that shows it behind
//     (a gap, or a new epoch whose state it has not been sent) makes it ask
//     (behind), at most once a heartbeat, and the primary resends the
//     missing changes or its whole state
//   failover: a backup that has heard nothing from a primary for
//     failover_timeout (plus its own jitter of up to half of it) starts an
//     election for epoch + 1; a member votes once per epoch, for a
//     candidate whose state is at least as recent as its own (epoch of the
//     state, then seq). With a majority the candidate becomes primary,
//     sends its whole state to the backups, and re-arms the in-doubt
//     timers of the prepared 2PC transactions it holds
//   a member that sees a higher epoch steps down; a deposed primary drops
//     the replies it held (their coordinators retry or time out)
//
// Why majorities: a change a client's coordinator heard about is on a
// majority; any later primary won the votes of a majority, one of which
// holds the change, and took no state older than that voter's. Example (3
// members s1a s1b s1c, s1a primary): s1a applies a saga credit, s1b acks,
// s1a answers; s1a crashes; s1c has not the change, s1b has: s1c cannot win
// s1b's vote, so s1b becomes primary (epoch 2) and sends its state to s1c.
#include <algorithm>

#include "models/bank/bank_parts.h"

namespace consim::bank {
namespace {

using Role = GroupMember::Role;
constexpr std::size_t kMaxEarly = 4096;  // changes a backup keeps out of order

}  // namespace

std::string BankReplica::shard_name(std::uint32_t shard) const {
  if (!grouped()) return std::string(ctx_.node_name(shard));
  std::string out;
  for (std::uint32_t i = 0; i < config_.replicas_per_shard; ++i)
    out += (i ? "/" : "") +
           std::string(ctx_.node_name(static_cast<NodeId>(shard * config_.replicas_per_shard + i)));
  return out;
}

void BankReplica::send_to_shard(std::uint32_t shard, const PayloadPtr& m) {
  if (!grouped()) return send_to(shard, m);
  for (std::uint32_t i = 0; i < config_.replicas_per_shard; ++i)
    send_to(static_cast<NodeId>(shard * config_.replicas_per_shard + i), m);
}

std::vector<NodeId> BankReplica::group_members() const {
  std::vector<NodeId> out;
  const std::uint32_t g = group_of(ctx_.self());
  for (std::uint32_t i = 0; i < config_.replicas_per_shard; ++i)
    out.push_back(static_cast<NodeId>(g * config_.replicas_per_shard + i));
  return out;
}

// At construction (the group's first member is the primary of epoch 1,
// every copy empty and equal) and on recovery (a backup that has not
// heard from anyone yet).
void BankReplica::group_start() {
  draw_patience();
  group_.heard = ctx_.now();
  const NodeId first = group_members().front();
  if (group_.epoch == 1 && group_.seq == 0 && !group_.voted_for && ctx_.now() == 0) {
    group_.primary = first;
    if (ctx_.self() == first) group_.role = Role::Primary;
  }
  ctx_.set_timer(config_.heartbeat, timer_tag(kGroupTick, 0));
  ctx_.set_timer(group_.patience, timer_tag(kGroupFailover, 0));
}

// failover_timeout plus a jitter of up to half of it, drawn again for each
// election so that two backups that timed out together do not again.
void BankReplica::draw_patience() {
  group_.patience =
      config_.failover_timeout + static_cast<Time>(ctx_.rng().below(
                                     static_cast<std::uint64_t>(config_.failover_timeout / 2) + 1));
}

// A backup (or candidate) that has heard no primary for its patience
// starts an election; the timer is re-armed for when that would next be.
void BankReplica::group_failover() {
  const Time quiet = ctx_.now() - group_.heard;
  if (group_.role != Role::Primary && quiet >= group_.patience) {
    group_elect();
    ctx_.set_timer(group_.patience, timer_tag(kGroupFailover, 0));
    return;
  }
  const Time wait = group_.role == Role::Primary ? group_.patience : group_.patience - quiet;
  ctx_.set_timer(wait, timer_tag(kGroupFailover, 0));
}

void BankReplica::group_tick() {
  ctx_.set_timer(config_.heartbeat, timer_tag(kGroupTick, 0));
  if (group_.role == Role::Primary) {
    for (NodeId m : group_members()) {
      if (m == ctx_.self()) continue;
      auto hb = std::make_shared<GroupAppend>();
      hb->epoch = group_.epoch;
      hb->seq = group_.seq;
      ctx_.send(m, hb);
    }
  }
}

void BankReplica::group_elect() {
  const Time quiet = ctx_.now() - group_.heard;
  ++group_.epoch;
  draw_patience();
  group_.voted_for = ctx_.self();
  group_.role = Role::Candidate;
  group_.primary.reset();
  group_.votes = {ctx_.self()};
  group_.heard = ctx_.now();
  ctx_.note("group-election", "shard " + std::to_string(group_of(ctx_.self())) + ": " +
                                  std::string(ctx_.node_name(ctx_.self())) +
                                  " heard no primary for " + format_duration(quiet) +
                                  ", asks for votes in epoch " + std::to_string(group_.epoch));
  for (NodeId m : group_members()) {
    if (m == ctx_.self()) continue;
    auto req = std::make_shared<GroupVoteRequest>();
    req->epoch = group_.epoch;
    req->state_epoch = group_.state_epoch;
    req->seq = group_.seq;
    ctx_.send(m, req);
  }
}

void BankReplica::group_vote_request(NodeId from, const GroupVoteRequest& m) {
  if (m.epoch > group_.epoch) group_step_down(m.epoch, std::nullopt);
  auto vote = std::make_shared<GroupVote>();
  vote->epoch = group_.epoch;
  const bool recent = std::pair(m.state_epoch, m.seq) >= std::pair(group_.state_epoch, group_.seq);
  if (m.epoch == group_.epoch && recent && (!group_.voted_for || *group_.voted_for == from)) {
    group_.voted_for = from;
    group_.heard = ctx_.now();
    vote->granted = true;
  }
  ctx_.send(from, vote);
}

void BankReplica::group_vote(NodeId from, const GroupVote& m) {
  if (m.epoch > group_.epoch) return group_step_down(m.epoch, std::nullopt);
  if (group_.role != Role::Candidate || m.epoch != group_.epoch || !m.granted) return;
  group_.votes.insert(from);
  if (group_.votes.size() >= config_.replicas_per_shard / 2 + 1) group_become_primary();
}

void BankReplica::group_become_primary() {
  group_.role = Role::Primary;
  group_.primary = ctx_.self();
  group_.state_epoch = group_.epoch;
  group_.acked.clear();
  group_.commit = 0;
  group_.log.clear();
  ctx_.note("group-primary", "shard " + std::to_string(group_of(ctx_.self())) + ": " +
                                 std::string(ctx_.node_name(ctx_.self())) +
                                 " is primary in epoch " + std::to_string(group_.epoch) +
                                 " (its state at change " + std::to_string(group_.seq) + ")");
  for (NodeId m : group_members())
    if (m != ctx_.self()) group_catch_up(m, 0);
  for (auto& [txn, p] : shard_.prepared) p.timer = ctx_.set_timer(0, timer_tag(kInDoubt, txn));
}

void BankReplica::group_step_down(std::uint64_t epoch, std::optional<NodeId> primary) {
  if (epoch > group_.epoch) {
    group_.epoch = epoch;
    group_.voted_for.reset();
    group_.early.clear();
  }
  if (group_.role == Role::Primary) {
    for (auto& [txn, p] : shard_.prepared) {
      ctx_.cancel_timer(p.timer);
      p.timer = 0;
    }
    group_.held.clear();
    group_.log.clear();
    group_.acked.clear();
  }
  group_.role = Role::Backup;
  group_.primary = primary;
  group_.heard = ctx_.now();
}

void BankReplica::group_append(NodeId from, const GroupAppend& m) {
  auto ack = std::make_shared<GroupAck>();
  if (m.epoch >= group_.epoch &&
      (m.epoch > group_.epoch || group_.role != Role::Backup || group_.primary != from))
    group_step_down(m.epoch, from);
  if (m.epoch == group_.epoch) {
    group_.heard = ctx_.now();
    const bool level = group_.state_epoch == group_.epoch;
    if (m.delta) {
      // No state of this epoch yet: dropped (the next heartbeat asks for
      // it). Out of order: kept until the changes before it arrive; a
      // missing one is asked for at the next heartbeat, once.
      if (!level) return;
      if (m.seq > group_.seq + 1) {
        if (group_.early.size() < kMaxEarly) group_.early.emplace(m.seq, m.delta);
        return;
      }
      if (m.seq == group_.seq + 1) {
        apply_delta(*m.delta);
        group_.seq = m.seq;
        for (auto it = group_.early.begin();
             it != group_.early.end() && it->first <= group_.seq + 1; it = group_.early.erase(it)) {
          if (it->first != group_.seq + 1) continue;
          apply_delta(*it->second);
          group_.seq = it->first;
        }
      }  // else a copy of a change it has: acknowledged again
    } else {
      if (level && m.seq <= group_.seq) return;  // level with its primary: nothing to say
      ack->behind = true;
    }
  }
  ack->epoch = group_.epoch;
  ack->seq = group_.seq;
  ctx_.send(from, ack);
}

void BankReplica::group_ack(NodeId from, const GroupAck& m) {
  if (m.epoch > group_.epoch) return group_step_down(m.epoch, std::nullopt);
  if (group_.role != Role::Primary || m.epoch != group_.epoch) return;
  if (m.behind) {
    // An ask that crossed a later ack (or the changes it lacked) on the
    // way resends only what the member may still lack.
    auto known = group_.acked.find(from);
    const std::uint64_t has = known == group_.acked.end() ? m.seq : std::max(m.seq, known->second);
    if (known != group_.acked.end() && has >= group_.seq) return;
    return group_catch_up(from, has);
  }
  std::uint64_t& acked = group_.acked[from];
  acked = std::max(acked, m.seq);
  group_commit();
}

// Resends the changes after `from_seq`, or the whole state when they are
// not all in the log or the member has no state of this epoch yet.
void BankReplica::group_catch_up(NodeId member, std::uint64_t from_seq) {
  const bool have =
      group_.acked.contains(member) && from_seq < group_.seq && group_.log.contains(from_seq + 1);
  if (have) {
    for (auto it = group_.log.find(from_seq + 1); it != group_.log.end(); ++it) {
      auto a = std::make_shared<GroupAppend>();
      a->epoch = group_.epoch;
      a->seq = it->first;
      a->delta = it->second;
      ctx_.send(member, a);
    }
    return;
  }
  auto state = std::make_shared<ShardState>(shard_);
  for (auto& [txn, p] : state->prepared) p.timer = 0;
  auto snap = std::make_shared<GroupSnapshot>();
  snap->epoch = group_.epoch;
  snap->seq = group_.seq;
  snap->state = std::move(state);
  ctx_.send(member, snap);
}

void BankReplica::group_snapshot(NodeId from, const GroupSnapshot& m) {
  if (m.epoch >= group_.epoch &&
      (m.epoch > group_.epoch || group_.role != Role::Backup || group_.primary != from))
    group_step_down(m.epoch, from);
  if (m.epoch == group_.epoch) {
    group_.heard = ctx_.now();
    shard_ = *m.state;
    group_.state_epoch = m.epoch;
    group_.early.clear();
    group_.seq = m.seq;
  }
  auto ack = std::make_shared<GroupAck>();
  ack->epoch = group_.epoch;
  ack->seq = group_.seq;
  ctx_.send(from, ack);
}

// The commit point: the highest seq a majority of the group holds.
void BankReplica::group_commit() {
  std::vector<std::uint64_t> seqs{group_.seq};
  for (NodeId m : group_members())
    if (m != ctx_.self()) seqs.push_back(group_.acked.contains(m) ? group_.acked[m] : 0);
  std::sort(seqs.rbegin(), seqs.rend());
  group_.commit = std::max(group_.commit, seqs[config_.replicas_per_shard / 2]);
  // Keep the log short: changes every member has are never resent; a
  // member far behind gets the whole state instead.
  const std::uint64_t all = seqs.back();
  while (!group_.log.empty() &&
         (group_.log.begin()->first <= all ||
          (group_.log.size() > 256 && group_.log.begin()->first <= group_.commit)))
    group_.log.erase(group_.log.begin());
  group_release();
}

void BankReplica::group_release() {
  std::size_t n = 0;
  while (n < group_.held.size() && std::get<0>(group_.held[n]) <= group_.commit) ++n;
  if (n == 0) return;
  std::vector<std::tuple<std::uint64_t, NodeId, PayloadPtr>> out(group_.held.begin(),
                                                                 group_.held.begin() + n);
  group_.held.erase(group_.held.begin(), group_.held.begin() + n);
  for (auto& [seq, to, message] : out) send_to(to, std::move(message));
}

bool BankReplica::is_shard_message(const Payload& m) const {
  return payload_as<Prepare>(m) || payload_as<Decision>(m) || payload_as<Step>(m) ||
         payload_as<Get>(m) || payload_as<Put>(m);
}

// A shard message at a group member: the primary runs it, replicates what
// it changed, and holds its replies; a backup drops it.
void BankReplica::shard_message(NodeId from, const Payload& m) {
  if (group_.role != Role::Primary) return;
  capturing_ = true;
  shard_dispatch(from, m);
  capturing_ = false;
  if (auto delta = take_delta()) {
    group_.log[++group_.seq] = delta;
    for (NodeId member : group_members()) {
      if (member == ctx_.self()) continue;
      auto a = std::make_shared<GroupAppend>();
      a->epoch = group_.epoch;
      a->seq = group_.seq;
      a->delta = delta;
      ctx_.send(member, a);
    }
  }
  for (auto& [to, message] : captured_)
    group_.held.emplace_back(group_.seq, to, std::move(message));
  captured_.clear();
  group_release();
}

std::shared_ptr<ShardDelta> BankReplica::take_delta() {
  if (dirty_.accounts.empty() && dirty_.txns.empty() && dirty_.steps.empty()) return nullptr;
  auto d = std::make_shared<ShardDelta>();
  for (Key k : dirty_.accounts) {
    if (auto b = shard_.balances.find(k); b != shard_.balances.end())
      d->balances.emplace_back(k, b->second);
    auto l = shard_.locks.find(k);
    d->locks.emplace_back(
        k, l == shard_.locks.end() ? std::nullopt : std::optional<std::uint64_t>(l->second));
  }
  for (std::uint64_t txn : dirty_.txns) {
    auto p = shard_.prepared.find(txn);
    std::optional<Prepared> rec;
    if (p != shard_.prepared.end()) {
      rec = p->second;
      rec->timer = 0;
    }
    d->prepared.emplace_back(txn, std::move(rec));
    if (shard_.decided.contains(txn)) d->decided.push_back(txn);
  }
  for (std::uint64_t id : dirty_.steps) d->steps.emplace_back(id, shard_.steps[id]);
  dirty_.accounts.clear();
  dirty_.txns.clear();
  dirty_.steps.clear();
  return d;
}

void BankReplica::apply_delta(const ShardDelta& d) {
  for (const auto& [k, v] : d.balances) {
    shard_.balances[k] = v;
    ctx_.applied(k, v);
  }
  for (const auto& [k, txn] : d.locks) {
    if (txn)
      shard_.locks[k] = *txn;
    else
      shard_.locks.erase(k);
  }
  for (const auto& [txn, p] : d.prepared) {
    if (p)
      shard_.prepared[txn] = *p;
    else
      shard_.prepared.erase(txn);
  }
  for (std::uint64_t txn : d.decided) shard_.decided.insert(txn);
  for (const auto& [id, r] : d.steps) shard_.steps[id] = r;
}

}  // namespace consim::bank
