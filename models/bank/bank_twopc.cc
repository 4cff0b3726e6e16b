// The 2pc method: a transfer of `amount` from A to B is one distributed
// transaction, coordinated by the node that received the request, with the
// shards of A and B as participants (one shard when both live there):
//
//   coordinator C: txn := op id; prepare(txn, its entries) to each shard
//     every vote yes within step_timeout -> decide commit, reply ok
//     a no, or the timeout                -> decide abort, reply fail(why)
//     decision: logged durably, sent to each shard every decision_retry
//     until acknowledged, then forgotten
//   a shard (bank_shard.cc): lock, check funds, vote; apply on commit
//   decision-query(txn) from a shard in doubt: answer from the log; a txn
//     neither being voted on nor logged was never decided here (C crashed
//     before deciding): presumed abort, logged and answered
//
// Coordinator failure between prepare and commit: the votes die with C, so
// the shards that voted yes stay in doubt, their accounts locked, and ask C
// every decision_retry; transfers touching those accounts are refused
// ("locked by txn N"). When C recovers it answers abort (presumed abort).
// A crash after the decision was logged resends the decision on recovery.
// Money never moves at one shard without the other: both apply the one
// logged decision.
#include "models/bank/bank_parts.h"

namespace consim::bank {

void BankReplica::twopc_start(const Request& r) {
  Txn t;
  t.request = r;
  t.shards[shard_of(r.key)].push_back({r.key, -r.amount});
  t.shards[shard_of(r.to_key)].push_back({r.to_key, r.amount});
  std::string where;
  for (const auto& [shard, entries] : t.shards)
    where += (where.empty() ? "" : ", ") + shard_name(shard);
  ctx_.note("prepare", "txn " + std::to_string(r.op_id) + ": move " + std::to_string(r.amount) +
                           " from account " + std::to_string(r.key) + " to " +
                           std::to_string(r.to_key) + "; prepare at " + where);
  t.timer = ctx_.set_timer(config_.step_timeout, timer_tag(kVotes, r.op_id));
  auto [it, fresh] = txns_.emplace(r.op_id, std::move(t));
  if (!fresh) return;
  for (const auto& [shard, entries] : it->second.shards) {
    auto p = std::make_shared<Prepare>();
    p->txn = r.op_id;
    p->entries = entries;
    send_to_shard(shard, p);
  }
}

void BankReplica::twopc_vote(NodeId from, const Vote& m) {
  auto it = txns_.find(m.txn);
  if (it == txns_.end()) return;  // decided already
  if (!m.yes) return twopc_decide(m.txn, false, m.reason);
  it->second.yes.insert(group_of(from));
  if (it->second.yes.size() == it->second.shards.size()) twopc_decide(m.txn, true, "");
}

// Logs the decision, replies to the client, and starts sending it.
void BankReplica::twopc_decide(std::uint64_t txn, bool commit, const std::string& reason) {
  auto it = txns_.find(txn);
  if (it == txns_.end()) return;
  Txn t = std::move(it->second);
  txns_.erase(it);
  ctx_.cancel_timer(t.timer);
  Logged log{commit, {}};
  for (const auto& [shard, entries] : t.shards) log.unacked.insert(shard);
  decisions_[txn] = std::move(log);
  ctx_.note(commit ? "decide-commit" : "decide-abort",
            "txn " + std::to_string(txn) + (reason.empty() ? "" : ": " + reason));
  ctx_.reply(t.request, commit ? Reply::ok() : Reply::fail(reason));
  twopc_resend(txn);
}

void BankReplica::twopc_resend(std::uint64_t txn) {
  auto it = decisions_.find(txn);
  if (it == decisions_.end()) return;
  for (NodeId shard : it->second.unacked) {
    auto d = std::make_shared<Decision>();
    d->txn = txn;
    d->commit = it->second.commit;
    send_to_shard(shard, d);
  }
  ctx_.set_timer(config_.decision_retry, timer_tag(kResend, txn));
}

void BankReplica::twopc_ack(NodeId from, const DecisionAck& m) {
  auto it = decisions_.find(m.id);
  if (it == decisions_.end()) return;
  it->second.unacked.erase(group_of(from));
  if (it->second.unacked.empty()) decisions_.erase(it);
}

void BankReplica::twopc_query(NodeId from, const DecisionQuery& m) {
  const std::uint64_t txn = m.id;
  if (txns_.contains(txn)) return;  // still voting: the decision will come
  auto it = decisions_.find(txn);
  if (it == decisions_.end()) {
    ctx_.note("presumed-abort", "txn " + std::to_string(txn) + ": no record here, " +
                                    std::string(ctx_.node_name(from)) + " asked");
    it = decisions_.emplace(txn, Logged{false, {group_of(from)}}).first;
  }
  it->second.unacked.insert(group_of(from));
  auto d = std::make_shared<Decision>();
  d->txn = txn;
  d->commit = it->second.commit;
  send_to_shard(group_of(from), d);
}

}  // namespace consim::bank
