// The bank workload's part of a History (history.h, BankHistory): the
// header's "bank" object, and transfers and balance reads paired by op id.
//
// Invariants: every bank operation carries "op" (the simulator always
// writes it; a history from elsewhere must, since transfers of one process
// may be paired only by id); a completion's account, credited account and
// amount equal its invoke's, else an input error naming both lines.
#include <nlohmann/json.hpp>

#include "analysis/trace/history_loader.h"
#include "base/json_checks.h"
#include "base/json_input.h"

namespace consim {

void HistoryBuilder::take_header(const nlohmann::json& header) {
  take_workload_type(header);
  if (!header.is_object() || !header.contains("bank")) return;
  JsonReader bank(header.at("bank"), history_.file, "line 1: $.bank");
  bank.allow_only({"accounts", "initial_balance", "negative_balances"});
  BankSetup setup;
  setup.accounts = static_cast<std::uint64_t>(bank.integer("accounts", 1, 1'000'000'000));
  setup.initial_balance = bank.integer("initial_balance", -1'000'000'000'000, 1'000'000'000'000);
  setup.negative_allowed = one_of(bank.at("negative_balances"), {"forbidden", "allowed"}, "value",
                                  "values") == "allowed";
  if (!history_.bank) history_.bank.emplace();
  history_.bank->setup = setup;
  bank_header_ = true;
}

void HistoryBuilder::add_bank(const TraceEvent& e, const TraceNames& names) {
  if (!e.has_op) fail(e.line, "a bank operation (transfer or balance read) needs \"op\"");
  if (!history_.bank) history_.bank.emplace();
  auto& ops = history_.bank->ops;
  if (e.type == EventType::Invoke) {
    if (e.f != HistOp::Read && !e.transfer)
      fail(e.line, "a bank history has transfers and balance reads only, not a write or cas");
    auto [it, fresh] = open_bank_.emplace(e.op, ops.size());
    if (!fresh)
      fail(e.line, "op " + std::to_string(e.op) + " is invoked twice (lines " +
                       std::to_string(ops[it->second].invoke_line) + " and " +
                       std::to_string(e.line) + ")");
    BankOp op;
    op.transfer = e.transfer;
    op.op = e.op;
    op.invoke_line = e.line;
    op.process = e.process;
    op.from = e.key;
    op.to = e.transfer ? e.to_key : UINT32_MAX;
    op.amount = e.amount;
    op.final_read = e.final;
    op.audit = e.audit;
    saw_transfers_ = saw_transfers_ || e.transfer;
    op.invoke_time = e.time;
    op.node = e.node;
    ops.push_back(op);
    return;
  }
  auto it = open_bank_.find(e.op);
  if (it == open_bank_.end())
    fail(e.line, "completion of op " + std::to_string(e.op) +
                     ", which is not an outstanding bank operation");
  BankOp& op = ops[it->second];
  open_bank_.erase(it);
  const std::string at = " but its invoke (line " + std::to_string(op.invoke_line) + ")";
  if (op.transfer != e.transfer || op.from != e.key ||
      (op.transfer && (op.to != e.to_key || op.amount != e.amount)))
    fail(e.line, "completion is " +
                     (e.transfer ? "a transfer from " + names.keys[e.key] + " to " +
                                       names.keys[e.to_key] + " of " + std::to_string(e.amount)
                                 : "a read of " + names.keys[e.key]) +
                     at + " differs");
  op.complete_line = e.line;
  if (e.type == EventType::Ok) {
    op.outcome = Outcome::Ok;
    op.complete_time = e.time;
    if (!op.transfer) op.balance = e.value;
  } else if (e.type == EventType::Fail) {
    op.outcome = Outcome::Fail;
    op.complete_time = e.time;
  }
}

}  // namespace consim
