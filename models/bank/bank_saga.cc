// The saga method: a transfer of `amount` from A to B is two local
// transactions, each run by the account's own shard, orchestrated by the
// node that received the request from a durable saga log:
//
//   debit:  step(id D, A, -amount) at A's shard, resent every step_timeout
//           with the same idempotency key D, at most step_retries times
//     ok                -> credit
//     refused           -> the saga fails: nothing happened (reply fail)
//     retries exhausted -> its outcome is unknown: cancel D (compensate)
//   credit: step(id C, B, +amount) at B's shard, the same way
//     ok                -> done (reply ok)
//     refused (B's shard refuses: the account is closed) -> refund A
//     retries exhausted -> unknown: cancel C at B first, then refund A
//   cancel(X): B (or A) reverts step X if it applied and refuses any late
//     copy of it; retried until acknowledged (a compensation must finish)
//   refund: step(id R, A, +amount), retried until acknowledged; then the
//     saga is compensated (reply fail "compensated: ...")
//
// Why cancel before refunding: when a credit's replies were lost, B may
// have applied it. Refunding A without first cancelling the credit at B
// would create money; the cancel makes B either revert the credit or
// refuse it forever, whichever comes first. Example: credit C sent to n2,
// n2 applies it, a partition drops the reply five times; the saga sends
// cancel(C): n2 reverts C, then the refund restores A. The total never
// changes once the saga ends; while it runs, `amount` is in flight.
//
// Each step and compensation leaves a note: saga-debit, saga-credit,
// saga-retry, saga-compensate, saga-refund, saga-done, saga-compensated,
// saga-failed (detail "saga <op> ...").
#include "models/bank/bank_parts.h"

namespace consim::bank {
namespace {

std::uint64_t step_id(std::uint64_t saga, StepKind k) {
  return (saga << 2) | static_cast<std::uint64_t>(k);
}

std::string saga_text(std::uint64_t id) { return "saga " + std::to_string(id); }

}  // namespace

void BankReplica::saga_start(const Request& r) {
  Saga s;
  s.from = r.key;
  s.to = r.to_key;
  s.amount = r.amount;
  s.request = r;
  auto [it, fresh] = sagas_.emplace(r.op_id, std::move(s));
  if (!fresh) return;
  ctx_.note("saga-debit", saga_text(r.op_id) + ": debit " + std::to_string(r.amount) +
                              " from account " + std::to_string(r.key) + " at " +
                              std::string(ctx_.node_name(shard_of(r.key))));
  saga_send(r.op_id, it->second);
}

// Sends the saga's current step (again) and arms its retry timer.
void BankReplica::saga_send(std::uint64_t id, Saga& s) {
  auto step = std::make_shared<Step>();
  NodeId to = shard_of(s.from);
  switch (s.state) {
    case SagaState::Debiting:
      step->kind = StepKind::Debit;
      step->entry = {s.from, -s.amount};
      break;
    case SagaState::Crediting:
      step->kind = StepKind::Credit;
      step->entry = {s.to, s.amount};
      to = shard_of(s.to);
      break;
    case SagaState::Compensating:  // cancel the step whose outcome is unknown
      step->kind = StepKind::Cancel;
      step->cancels = step_id(id, s.cancels_credit ? StepKind::Credit : StepKind::Debit);
      to = shard_of(s.cancels_credit ? s.to : s.from);
      break;
    case SagaState::Refunding:
      step->kind = StepKind::Refund;
      step->entry = {s.from, s.amount};
      break;
  }
  step->id = step_id(id, step->kind);
  send_to(to, step);
  s.timer = ctx_.set_timer(config_.step_timeout, timer_tag(kSagaStep, id));
}

void BankReplica::saga_reply(const StepReply& m) {
  const std::uint64_t id = m.id >> 2;
  auto it = sagas_.find(id);
  if (it == sagas_.end()) return;
  Saga& s = it->second;
  auto kind = static_cast<StepKind>(m.id & 3);
  const StepKind expected = s.state == SagaState::Debiting       ? StepKind::Debit
                            : s.state == SagaState::Crediting    ? StepKind::Credit
                            : s.state == SagaState::Compensating ? StepKind::Cancel
                                                                 : StepKind::Refund;
  if (kind != expected) return;  // a late reply to an earlier step
  ctx_.cancel_timer(s.timer);
  s.attempts = 0;
  switch (s.state) {
    case SagaState::Debiting:
      if (!m.ok) return saga_end(id, s, false, "saga-failed: debit refused: " + m.reason);
      s.state = SagaState::Crediting;
      ctx_.note("saga-credit", saga_text(id) + ": credit " + std::to_string(s.amount) +
                                   " to account " + std::to_string(s.to) + " at " +
                                   std::string(ctx_.node_name(shard_of(s.to))));
      return saga_send(id, s);
    case SagaState::Crediting:
      if (m.ok) return saga_end(id, s, true, "saga-done");
      return saga_compensate(id, s, "credit refused: " + m.reason, false);
    case SagaState::Compensating:
      if (!s.cancels_credit) return saga_end(id, s, false, "saga-compensated: " + s.why);
      s.state = SagaState::Refunding;
      ctx_.note("saga-refund", saga_text(id) + ": credit cancelled at " +
                                   std::string(ctx_.node_name(shard_of(s.to))) + "; refund " +
                                   std::to_string(s.amount) + " to account " +
                                   std::to_string(s.from));
      return saga_send(id, s);
    case SagaState::Refunding:
      return saga_end(id, s, false, "saga-compensated: " + s.why);
  }
}

void BankReplica::saga_timer(std::uint64_t id) {
  auto it = sagas_.find(id);
  if (it == sagas_.end()) return;
  Saga& s = it->second;
  const bool bounded = s.state == SagaState::Debiting || s.state == SagaState::Crediting;
  if (bounded && ++s.attempts >= config_.step_retries) {
    const bool credit = s.state == SagaState::Crediting;
    std::string why = std::string(credit ? "credit" : "debit") + " unanswered after " +
                      std::to_string(config_.step_retries) + " attempts";
    return saga_compensate(id, s, why, true);
  }
  ctx_.note("saga-retry", saga_text(id) + ": no answer within " +
                              format_duration(config_.step_timeout) + ", resending (same key)");
  saga_send(id, s);
}

// The forward steps failed definitively. `unknown`: the last step's outcome
// is unknown, so it is cancelled first; else (a refused credit) A is
// refunded at once.
void BankReplica::saga_compensate(std::uint64_t id, Saga& s, std::string why, bool unknown) {
  s.cancels_credit = s.state == SagaState::Crediting;
  s.why = std::move(why);
  s.state = unknown ? SagaState::Compensating : SagaState::Refunding;
  std::string action =
      unknown
          ? (s.cancels_credit ? "cancel the credit at " : "cancel the debit at ")
          : "refund " + std::to_string(s.amount) + " to account " + std::to_string(s.from) + " at ";
  NodeId where = shard_of(unknown && s.cancels_credit ? s.to : s.from);
  ctx_.note("saga-compensate",
            saga_text(id) + ": " + s.why + "; " + action + std::string(ctx_.node_name(where)));
  saga_send(id, s);
}

// The saga ends: done (ok) or failed / compensated (fail). `what` is the
// note kind, then ": " and the reason.
void BankReplica::saga_end(std::uint64_t id, Saga& s, bool ok, const std::string& what) {
  const std::size_t colon = what.find(':');
  const std::string kind = what.substr(0, colon);
  const std::string reason = colon == std::string::npos ? "" : what.substr(colon + 2);
  ctx_.note(kind, saga_text(id) + (reason.empty() ? "" : ": " + reason));
  std::optional<Request> request = std::move(s.request);
  sagas_.erase(id);
  if (!request) return;
  if (ok) return ctx_.reply(*request, Reply::ok());
  ctx_.reply(*request, Reply::fail(kind == "saga-failed" ? reason : "compensated: " + reason));
}

}  // namespace consim::bank
