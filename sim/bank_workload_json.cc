// The bank workload's own keys (workload.type "bank"; docs/scenario-format.md,
// "The bank workload"), read after the keys every workload shares.
//
// Invariants of the result: accounts >= 2 (a transfer needs two distinct
// accounts); 1 <= amount_min <= amount_max; stop < final_reads < duration,
// so every account's final balance is read after transfers have stopped
// (stop defaults to 80% of the run, final_reads to halfway from stop to
// the end); the client's key space is the accounts; audits (audit_every,
// audit_settle: sim/bank_audit.h) come at least once before stop.
#include <nlohmann/json.hpp>

#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

// "amount": 5 (always 5) or {"uniform": [1, 20]} (inclusive).
void parse_amount(const JsonReader& value, BankWorkload& b) {
  constexpr std::int64_t kMax = 1'000'000'000'000;
  if (value.json().is_number_integer()) {
    b.amount_min = b.amount_max = static_cast<std::int64_t>(value.as_number(1, kMax));
    return;
  }
  if (!value.json().is_object())
    value.fail("expected an amount (a positive integer) or {\"uniform\": [min, max]}, got " +
               json_excerpt(value.json()));
  value.allow_only({"uniform"});
  auto bounds = value.array("uniform");
  if (bounds.size() != 2 || !bounds[0].json().is_number_integer() ||
      !bounds[1].json().is_number_integer())
    value.fail_at("uniform", "expected [min, max], two positive integers");
  b.amount_min = static_cast<std::int64_t>(bounds[0].as_number(1, kMax));
  b.amount_max = static_cast<std::int64_t>(bounds[1].as_number(1, kMax));
  if (b.amount_min > b.amount_max)
    value.fail_at("uniform", "min " + std::to_string(b.amount_min) + " is more than max " +
                                 std::to_string(b.amount_max));
}

// "audit_every": "2s" (the first audit at start + 2s, then every 2s while
// before stop), "audit_settle": "200ms" (only with audit_every).
void parse_audits(const JsonReader& value, const WorkloadSpec& w, BankWorkload& b) {
  if (!value.has("audit_every")) {
    if (value.has("audit_settle"))
      value.fail_at("audit_settle", "audit_settle is the wait of an audit: set audit_every too");
    return;
  }
  b.audit_every = value.duration("audit_every");
  if (*b.audit_every <= 0) value.fail_at("audit_every", "expected a period above 0");
  if (w.start + *b.audit_every >= *w.stop)
    value.fail_at("audit_every", "the first audit (start " + format_duration(w.start) + " + " +
                                     format_duration(*b.audit_every) +
                                     ") would come at or after stop " + format_duration(*w.stop) +
                                     ": no audit would run");
  if (value.has("audit_settle")) b.audit_settle = value.duration("audit_settle");
  if (b.audit_settle < 0) value.fail_at("audit_settle", "expected a duration of 0 or more");
}

}  // namespace

std::vector<std::string> bank_workload_keys() {
  return {"type",
          "accounts",
          "initial_balance",
          "amount",
          "transfer_fraction",
          "negative_balances",
          "final_reads",
          "audit_every",
          "audit_settle",
          "think_time",
          "rate",
          "timeout",
          "start",
          "stop"};
}

void parse_bank_workload(const JsonReader& value, Time duration, WorkloadSpec& w) {
  BankWorkload b;
  if (value.has("accounts"))
    b.accounts = static_cast<std::uint64_t>(value.integer("accounts", 2, 10'000'000));
  if (value.has("initial_balance"))
    b.initial_balance = value.integer("initial_balance", 0, 1'000'000'000'000);
  if (value.has("amount")) parse_amount(value.at("amount"), b);
  if (value.has("transfer_fraction")) b.transfer_fraction = value.probability("transfer_fraction");
  if (value.has("negative_balances"))
    b.negative_allowed = one_of(value.at("negative_balances"), {"forbidden", "allowed"},
                                "negative_balances value", "values") == "allowed";
  if (!w.stop) w.stop = w.start + (duration - w.start) * 8 / 10;
  Time final_reads = *w.stop + (duration - *w.stop) / 2;
  if (value.has("final_reads")) {
    final_reads = time_in_run(value.at("final_reads"), duration);
    if (final_reads <= *w.stop)
      value.fail_at("final_reads", "final_reads " + format_duration(final_reads) +
                                       " is not after stop " + format_duration(*w.stop) +
                                       ": the final balances are read once transfers have "
                                       "stopped");
    if (final_reads >= duration)
      value.fail_at("final_reads", "final_reads " + format_duration(final_reads) +
                                       " is not before the end of the run (duration " +
                                       format_duration(duration) + ")");
  }
  parse_audits(value, w, b);
  w.keys = b.accounts;
  w.key_distribution = KeyDistribution::Uniform;
  w.read_fraction = 1 - b.transfer_fraction;
  w.final_reads = final_reads;
  w.type = WorkloadType::Bank;
  w.bank = b;
}

}  // namespace consim::loader
