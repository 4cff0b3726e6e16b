// The sharded bank model: parameters, the factory, request dispatch by
// method, balance reads, and the plumbing (local delivery, crash and
// recovery). The protocols are in bank_shard.cc, bank_twopc.cc,
// bank_saga.cc and bank_none.cc; bank_parts.h has the design.
//
// A balance read of account k at node C: C asks k's shard (get), replies
// the balance it returns, or fails after step_timeout (a read changes
// nothing, so a failed read is a certain "did not happen").
#include "models/bank/bank.h"

#include <nlohmann/json.hpp>

#include "models/bank/bank_parts.h"

namespace consim {
namespace bank {

nlohmann::json BankConfig::to_json() const {
  nlohmann::json closed = nlohmann::json::array();
  for (Key k : closed_accounts) closed.push_back(k);
  return {{"method", name_of(method, kMethodNames)},
          {"step_timeout", format_duration(step_timeout)},
          {"step_retries", step_retries},
          {"decision_retry", format_duration(decision_retry)},
          {"closed_accounts", closed}};
}

BankReplica::BankReplica(const BankConfig& config, Context& ctx) : config_(config), ctx_(ctx) {}

void BankReplica::on_request(const Request& r) {
  if (r.type == OpType::Read) return read_start(r);
  if (r.type != OpType::Transfer)
    return ctx_.reply(r, Reply::fail("the bank serves transfers and balance reads only"));
  if (r.key == r.to_key) return ctx_.reply(r, Reply::fail("transfer to the same account"));
  switch (config_.method) {
    case Method::TwoPc:
      return twopc_start(r);
    case Method::Saga:
      return saga_start(r);
    case Method::None:
      return none_start(r);
  }
}

void BankReplica::on_message(NodeId from, const Payload& m) {
  if (auto* p = payload_as<Prepare>(m)) return shard_prepare(from, *p);
  if (auto* p = payload_as<Decision>(m)) return shard_decision(from, *p);
  if (auto* p = payload_as<Step>(m)) return shard_step(from, *p);
  if (auto* p = payload_as<Get>(m)) return shard_get(from, *p);
  if (auto* p = payload_as<Put>(m)) return shard_put(from, *p);
  if (auto* p = payload_as<Vote>(m)) return twopc_vote(from, *p);
  if (auto* p = payload_as<DecisionAck>(m)) return twopc_ack(from, *p);
  if (auto* p = payload_as<DecisionQuery>(m)) return twopc_query(from, *p);
  if (auto* p = payload_as<StepReply>(m)) return saga_reply(*p);
  if (auto* p = payload_as<GetReply>(m)) {
    if (nones_.contains(p->id >> 2)) return none_get_reply(p->id, p->balance);
    return read_reply(*p);
  }
  if (auto* p = payload_as<PutAck>(m)) return none_put_ack(p->id);
}

void BankReplica::on_timer(std::uint64_t tag) {
  const std::uint64_t id = timer_id(tag);
  switch (timer_kind(tag)) {
    case kLocal: {
      auto it = local_.find(id);
      if (it == local_.end()) return;
      auto [from, message] = std::move(it->second);
      local_.erase(it);
      return on_message(from, *message);
    }
    case kVotes:
      return twopc_decide(id, false, "no vote within " + format_duration(config_.step_timeout));
    case kResend:
      return twopc_resend(id);
    case kInDoubt:
      return in_doubt_timer(id);
    case kSagaStep:
      return saga_timer(id);
    case kNoneStep:
      return none_timer(id);
    case kRead: {
      auto it = reads_.find(id);
      if (it == reads_.end()) return;
      Request r = it->second.first;
      reads_.erase(it);
      return ctx_.reply(
          r, Reply::fail("no balance from " + std::string(ctx_.node_name(shard_of(r.key))) +
                         " within " + format_duration(config_.step_timeout)));
    }
    default:
      return;
  }
}

void BankReplica::send_to(NodeId shard, PayloadPtr m) {
  if (shard != ctx_.self()) return ctx_.send(shard, std::move(m));
  std::uint64_t id = ++next_local_;
  local_.emplace(id, std::make_pair(ctx_.self(), std::move(m)));
  ctx_.set_timer(0, timer_tag(kLocal, id));
}

void BankReplica::read_start(const Request& r) {
  std::uint64_t id = r.op_id << 2;
  TimerId t = ctx_.set_timer(config_.step_timeout, timer_tag(kRead, id));
  reads_[id] = {r, t};
  auto get = std::make_shared<Get>();
  get->id = id;
  get->key = r.key;
  send_to(shard_of(r.key), get);
}

void BankReplica::read_reply(const GetReply& m) {
  auto it = reads_.find(m.id);
  if (it == reads_.end()) return;
  auto [request, timer] = std::move(it->second);
  reads_.erase(it);
  ctx_.cancel_timer(timer);
  ctx_.reply(request, Reply::ok(m.balance));
}

// The simulator has cancelled every timer: volatile state goes, and the
// timer ids in durable records are stale (recovery sets new ones).
void BankReplica::on_crash() {
  txns_.clear();
  nones_.clear();
  reads_.clear();
  local_.clear();
  for (auto& [id, s] : sagas_) s.request.reset();
}

// Durable work resumes: prepared transactions ask for their decision,
// logged decisions are resent, sagas retry their current step.
void BankReplica::on_recover() {
  for (auto& [txn, p] : prepared_) p.timer = ctx_.set_timer(0, timer_tag(kInDoubt, txn));
  for (const auto& [txn, d] : decisions_) ctx_.set_timer(0, timer_tag(kResend, txn));
  for (auto& [id, s] : sagas_) {
    s.attempts = 0;
    saga_send(id, s);
  }
}

}  // namespace bank

std::shared_ptr<const ModelConfig> parse_bank_params(const JsonReader& params,
                                                     const ModelScenario& scenario) {
  params.allow_only(
      {"method", "step_timeout", "step_retries", "decision_retry", "closed_accounts"});
  auto c = std::make_shared<bank::BankConfig>();
  c->method = choice(params, "method", bank::kMethodNames, c->method);
  c->step_timeout = positive_duration_param(params, "step_timeout", c->step_timeout);
  if (params.has("step_retries"))
    c->step_retries = static_cast<int>(params.integer("step_retries", 1, 1000));
  c->decision_retry = positive_duration_param(params, "decision_retry", c->decision_retry);
  if (scenario.accounts) c->accounts = *scenario.accounts;
  if (params.has("closed_accounts")) {
    for (const JsonReader& k : params.array("closed_accounts")) {
      auto key = static_cast<Key>(k.as_number(0, 1e18));
      if (static_cast<double>(key) != k.json().get<double>())
        k.fail("expected an account number (an integer), got " + json_excerpt(k.json()));
      if (scenario.accounts && key >= scenario.accounts->accounts)
        k.fail("account " + std::to_string(key) + " does not exist: the workload has " +
               std::to_string(scenario.accounts->accounts) + " accounts (0.." +
               std::to_string(scenario.accounts->accounts - 1) + ")");
      c->closed_accounts.insert(key);
    }
  }
  return c;
}

std::unique_ptr<Replica> make_bank(const ModelConfig& config, Context& ctx) {
  return std::make_unique<bank::BankReplica>(dynamic_cast<const bank::BankConfig&>(config), ctx);
}

}  // namespace consim
