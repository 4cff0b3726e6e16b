// The shard side of the bank model: balances of the accounts this node
// holds, and the local work every method asks of a shard.
//
//   prepare(txn, entries): already prepared -> vote yes again; an account
//     locked by another txn -> vote no (no waiting, so no deadlock); an
//     entry that would overdraw (negative balances forbidden) -> vote no;
//     else lock the accounts, log the record durably, vote yes. In doubt
//     from then on: every decision_retry ask the coordinator.
//   commit(txn) / abort(txn): apply the entries (commit), unlock, forget,
//     acknowledge. A decision for a txn not prepared here is acknowledged
//     and remembered, so a prepare it overtook on the way is refused.
//   step(id, entry): the id is the idempotency key; a step seen before gets
//     its recorded answer again and changes nothing. A debit that would
//     overdraw, a credit to a closed account, or a step already cancelled
//     is refused (definitively). Cancel(id') reverts step id' if it was
//     applied, and marks it cancelled so a late copy of it is refused:
//     compensating a step whose outcome is unknown is safe.
//   get(k) / put(k, v): read or overwrite a balance, nothing else (the
//     none method's building blocks; put is last-writer-wins).
// A step or a put that touches an account locked by a prepared 2PC txn is
// not a concern: the methods are not mixed in one run.
#include "models/bank/bank_parts.h"

namespace consim::bank {

std::int64_t BankReplica::balance(Key k) const {
  auto it = shard_.balances.find(k);
  return it == shard_.balances.end() ? config_.accounts.initial_balance : it->second;
}

void BankReplica::set_balance(Key k, std::int64_t v) {
  shard_.balances[k] = v;
  mark_account(k);
  ctx_.applied(k, v);
}

// Why `entries` would take an account below zero, if forbidden.
std::optional<std::string> BankReplica::overdraws(const std::vector<Entry>& entries) const {
  if (config_.accounts.negative_allowed) return std::nullopt;
  for (const Entry& e : entries)
    if (e.delta < 0 && balance(e.key) + e.delta < 0)
      return "insufficient funds: account " + std::to_string(e.key) + " holds " +
             std::to_string(balance(e.key)) + ", needs " + std::to_string(-e.delta);
  return std::nullopt;
}

void BankReplica::shard_prepare(NodeId from, const Prepare& m) {
  auto vote = std::make_shared<Vote>();
  vote->txn = m.txn;
  if (shard_.prepared.contains(m.txn)) {
    vote->yes = true;
    return send_to(from, vote);
  }
  if (shard_.decided.contains(m.txn)) {  // the decision overtook the prepare
    vote->reason = "txn " + std::to_string(m.txn) + " already decided";
    return send_to(from, vote);
  }
  for (const Entry& e : m.entries) {
    auto lock = shard_.locks.find(e.key);
    if (lock != shard_.locks.end()) {
      vote->reason = "account " + std::to_string(e.key) + " locked by txn " +
                     std::to_string(lock->second) + " at " +
                     std::string(ctx_.node_name(ctx_.self()));
      return send_to(from, vote);
    }
  }
  if (auto why = overdraws(m.entries)) {
    vote->reason = *why;
    return send_to(from, vote);
  }
  Prepared p{from, m.entries, ctx_.now(), 0};
  for (const Entry& e : m.entries) {
    shard_.locks[e.key] = m.txn;
    mark_account(e.key);
  }
  p.timer = ctx_.set_timer(config_.decision_retry, timer_tag(kInDoubt, m.txn));
  shard_.prepared.emplace(m.txn, std::move(p));
  mark_txn(m.txn);
  ctx_.note("prepared", "txn " + std::to_string(m.txn));
  vote->yes = true;
  send_to(from, vote);
}

void BankReplica::shard_decision(NodeId from, const Decision& m) {
  shard_.decided.insert(m.txn);
  mark_txn(m.txn);
  auto it = shard_.prepared.find(m.txn);
  if (it != shard_.prepared.end()) {
    Prepared p = std::move(it->second);
    shard_.prepared.erase(it);
    ctx_.cancel_timer(p.timer);
    for (const Entry& e : p.entries) {
      shard_.locks.erase(e.key);
      mark_account(e.key);
      if (m.commit) set_balance(e.key, balance(e.key) + e.delta);
    }
    ctx_.note(m.commit ? "committed" : "aborted", "txn " + std::to_string(m.txn),
              ctx_.now() - p.since);
  }
  auto ack = std::make_shared<DecisionAck>();
  ack->id = m.txn;
  send_to(from, ack);
}

void BankReplica::in_doubt_timer(std::uint64_t txn) {
  auto it = shard_.prepared.find(txn);
  if (it == shard_.prepared.end()) return;
  if (grouped() && group_.role != GroupMember::Role::Primary) return;
  ctx_.note("in-doubt", "txn " + std::to_string(txn) + ": asking " +
                            std::string(ctx_.node_name(it->second.coordinator)) +
                            " for the decision; accounts stay locked");
  auto q = std::make_shared<DecisionQuery>();
  q->id = txn;
  send_to(it->second.coordinator, q);
  it->second.timer = ctx_.set_timer(config_.decision_retry, timer_tag(kInDoubt, txn));
}

StepRecord BankReplica::run_step(const Step& m) {
  StepRecord r;
  if (m.kind == StepKind::Cancel) {
    StepRecord& target = shard_.steps[m.cancels];
    mark_step(m.cancels);
    if (target.ok && !target.cancelled)
      set_balance(target.applied.key, balance(target.applied.key) - target.applied.delta);
    if (!target.ok && target.reason.empty()) target.reason = "cancelled by its saga";
    target.cancelled = true;
    r.ok = true;
    return r;
  }
  if (m.entry.delta < 0) {
    if (auto why = overdraws({m.entry})) {
      r.reason = *why;
      return r;
    }
  } else if (m.kind == StepKind::Credit && config_.closed_accounts.contains(m.entry.key)) {
    r.reason = "account " + std::to_string(m.entry.key) + " is closed";
    return r;
  }
  set_balance(m.entry.key, balance(m.entry.key) + m.entry.delta);
  r.ok = true;
  r.applied = m.entry;
  return r;
}

void BankReplica::shard_step(NodeId from, const Step& m) {
  auto seen = shard_.steps.find(m.id);
  if (seen == shard_.steps.end() || m.kind == StepKind::Cancel) {
    StepRecord r = run_step(m);
    if (m.kind != StepKind::Cancel) {
      seen = shard_.steps.emplace(m.id, std::move(r)).first;
      mark_step(m.id);
    } else
      return reply_step(from, m.id, r);
  }
  reply_step(from, m.id, seen->second);
}

void BankReplica::reply_step(NodeId to, std::uint64_t id, const StepRecord& r) {
  auto reply = std::make_shared<StepReply>();
  reply->id = id;
  reply->ok = r.ok && !r.cancelled;
  reply->reason = r.ok && r.cancelled ? "cancelled by its saga" : r.reason;
  send_to(to, reply);
}

void BankReplica::shard_get(NodeId from, const Get& m) {
  auto reply = std::make_shared<GetReply>();
  reply->id = m.id;
  reply->balance = balance(m.key);
  send_to(from, reply);
}

void BankReplica::shard_put(NodeId from, const Put& m) {
  set_balance(m.key, m.balance);
  auto ack = std::make_shared<PutAck>();
  ack->id = m.id;
  send_to(from, ack);
}

}  // namespace consim::bank
