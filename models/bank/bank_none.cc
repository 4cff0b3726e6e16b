// The none method (no coordination): the node that received a transfer
// acts as an application server doing two independent read-modify-write
// steps against the shards, with no locks, no log and no idempotency:
//
//   a := get(A); if a < amount and negatives are forbidden: fail
//   put(A, a - amount)
//   b := get(B); put(B, b + amount); reply ok
//   each get or put is resent after step_timeout, at most step_retries
//   times; then the transfer gives up: fail if nothing was written yet,
//   else unknown (the debit may stand without the credit)
//
// What goes wrong, and the bank checker sees: two transfers out of A that
// overlap both read a = 100 and both write 100 - x (a lost update: money
// created); a credit step lost to a partition or a crash of the server
// after the debit (money destroyed); a funds check on a stale read lets a
// balance go negative. The in-progress transfers are volatile: a crash of
// the server forgets them half-done.
#include "models/bank/bank_parts.h"

namespace consim::bank {
namespace {

std::uint64_t stage_id(std::uint64_t op, std::uint8_t stage) { return (op << 2) | stage; }

}  // namespace

void BankReplica::none_start(const Request& r) {
  auto [it, fresh] = nones_.emplace(r.op_id, NoneTxn{r, NoneStage::ReadFrom, 0, 0, 0});
  if (fresh) none_send(r.op_id, it->second);
}

void BankReplica::none_send(std::uint64_t id, NoneTxn& t) {
  const auto stage = static_cast<std::uint8_t>(t.stage);
  const bool from = t.stage == NoneStage::ReadFrom || t.stage == NoneStage::WriteFrom;
  const Key key = from ? t.request.key : t.request.to_key;
  if (t.stage == NoneStage::ReadFrom || t.stage == NoneStage::ReadTo) {
    auto get = std::make_shared<Get>();
    get->id = stage_id(id, stage);
    get->key = key;
    send_to(shard_of(key), get);
  } else {
    auto put = std::make_shared<Put>();
    put->id = stage_id(id, stage);
    put->key = key;
    put->balance = from ? t.seen - t.request.amount : t.seen + t.request.amount;
    send_to(shard_of(key), put);
  }
  t.timer = ctx_.set_timer(config_.step_timeout, timer_tag(kNoneStep, id));
}

void BankReplica::none_get_reply(std::uint64_t id, std::int64_t value) {
  auto it = nones_.find(id >> 2);
  if (it == nones_.end()) return;
  NoneTxn& t = it->second;
  const auto stage = static_cast<NoneStage>(id & 3);
  if (stage != t.stage) return;
  ctx_.cancel_timer(t.timer);
  t.seen = value;
  t.attempts = 0;
  if (stage == NoneStage::ReadFrom && !config_.accounts.negative_allowed &&
      value < t.request.amount) {
    Request r = t.request;
    nones_.erase(it);
    return ctx_.reply(
        r, Reply::fail("insufficient funds: account " + std::to_string(r.key) + " holds " +
                       std::to_string(value) + ", needs " + std::to_string(r.amount)));
  }
  t.stage = stage == NoneStage::ReadFrom ? NoneStage::WriteFrom : NoneStage::WriteTo;
  none_send(id >> 2, t);
}

void BankReplica::none_put_ack(std::uint64_t id) {
  auto it = nones_.find(id >> 2);
  if (it == nones_.end()) return;
  NoneTxn& t = it->second;
  const auto stage = static_cast<NoneStage>(id & 3);
  if (stage != t.stage) return;
  ctx_.cancel_timer(t.timer);
  t.attempts = 0;
  if (stage == NoneStage::WriteTo) {
    Request r = t.request;
    nones_.erase(it);
    return ctx_.reply(r, Reply::ok());
  }
  ctx_.note("rmw-credit", "transfer " + std::to_string(id >> 2) + ": debited account " +
                              std::to_string(t.request.key) + ", now crediting account " +
                              std::to_string(t.request.to_key));
  t.stage = NoneStage::ReadTo;
  none_send(id >> 2, t);
}

void BankReplica::none_timer(std::uint64_t id) {
  auto it = nones_.find(id);
  if (it == nones_.end()) return;
  NoneTxn& t = it->second;
  if (++t.attempts < config_.step_retries) return none_send(id, t);
  Request r = t.request;
  const bool wrote = t.stage != NoneStage::ReadFrom;
  const char* names[] = {"read of the debited account", "debit", "read of the credited account",
                         "credit"};
  std::string why = std::string(names[static_cast<int>(t.stage)]) + " unanswered after " +
                    std::to_string(config_.step_retries) + " attempts";
  nones_.erase(it);
  if (wrote) {
    ctx_.note("rmw-abandoned", "transfer " + std::to_string(id) + ": " + why +
                                   "; the debit may stand without the credit");
    return ctx_.reply(r, Reply::unknown(why + "; the debit may stand without the credit"));
  }
  ctx_.reply(r, Reply::fail(why));
}

}  // namespace consim::bank
