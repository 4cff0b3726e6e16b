// The bank checker's shared parts (bank_check.cc judges the end of the
// run, bank_audit_check.cc each audit): an account's ledger and the search
// that explains a balance read by transfers of unknown outcome.
//
// An account's balance read at some point must be its base (initial plus
// the deltas of its ok transfers before that point) plus the deltas of
// some subset of its transfers of unknown outcome before it: enumerated
// exactly up to kMaxExact unknowns; beyond that only the range
// [base + negatives, base + positives] is checked. Example: base 90,
// unknowns -5 and +7, read 97: explained by {+7} alone (the -5 did not
// apply there).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "analysis/checkers/bank_check.h"
#include "analysis/trace/history.h"

namespace consim::bank_detail {

inline constexpr std::size_t kMaxExact = 16;
inline constexpr std::size_t kOpsPerViolation = 8;

struct Account {
  std::int64_t base = 0;
  std::vector<std::size_t> unknown;           // indices into the bank ops (info transfers)
  std::vector<std::uint64_t> lines;           // invoke lines of every transfer touching it
  std::optional<std::int64_t> final_balance;  // the balance read (final or audit)
  std::uint64_t final_line = 0;
};

// What the balance says about each unknown transfer at this account:
// applied (1), not applied (0), or ambiguous (-1).
struct Explanation {
  bool explained = false;
  std::map<std::size_t, int> applied;  // op index -> 1 / 0 / -1
};

inline std::int64_t delta_at(const BankOp& t, std::uint32_t key) {
  return t.from == key ? -t.amount : t.amount;
}

Explanation explain(const Account& a, std::uint32_t key, const std::vector<BankOp>& ops);

inline std::string signed_text(std::int64_t v) { return (v > 0 ? "+" : "") + std::to_string(v); }

// The account number a key names, if it is one of the setup's accounts.
std::optional<std::uint64_t> account_number(const std::string& name, const BankSetup& setup);

// Records a violation: the key it is about ("*": the total), the trace
// lines to show, and the reason.
using ViolationSink = std::function<void(const std::string& key, std::vector<std::uint64_t> lines,
                                         std::string reason)>;

// Judges every audit of a bank history with a setup (bank_audit_check.cc).
std::vector<BankAuditResult> check_audits(const History& h, const ViolationSink& violation);

}  // namespace consim::bank_detail
