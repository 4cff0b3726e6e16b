// The bank checker: is money conserved by the transfers of a bank history
// (History::bank, docs/checkers.md "bank")?
//
// Judged at the end of the run, on the final balance reads (taken after
// transfers stopped and the system had time to quiesce: the workload's
// final_reads); `fail` transfers certainly did not happen, `ok` ones did,
// `info` ones may have happened (each in full, or not at all):
//  - conservation: the final balances sum to accounts x initial_balance
//    (the bank workload has no deposits). Example: 20 accounts of 100, the
//    final reads sum to 2015 -> "money created: +15".
//  - each account adds up: its final balance is its initial balance plus
//    its acknowledged transfers in and out, plus some subset of its
//    transfers of unknown outcome. Example: account 3 starts at 100, one ok
//    transfer of 10 out, final balance 100 -> inconsistent (a lost update,
//    or a saga that was not compensated). A failed saga must be fully
//    compensated: it counts as "did not happen".
//  - half-done transfers: a transfer of unknown outcome that the end state
//    shows applied at one account and not at the other (when both
//    accounts' balances leave exactly one explanation). Example: info
//    transfer 7 -> 9 of 5; account 7 needs it applied, account 9 needs it
//    not: half-done, 5 in flight or lost.
//  - no negative balance, when the workload forbids them: every ok read.
// The verdict is invalid iff any of these is violated; unknown when some
// account has no final balance (and nothing is violated); valid otherwise.
// Violations name the accounts and the transfers (invoke lines).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

struct BankCheck {
  CheckResult result;                          // checker "bank"
  std::optional<std::int64_t> expected_total;  // accounts x initial balance
  std::optional<std::int64_t> final_total;     // when every account has a final balance
  std::int64_t created = 0;                    // final - expected: > 0 created, < 0 destroyed
  std::uint64_t transfers_ok = 0, transfers_failed = 0, transfers_unknown = 0;
  std::uint64_t half_done = 0;              // transfers shown applied on one side only
  std::uint64_t inconsistent_accounts = 0;  // accounts that do not add up
  std::uint64_t negative_reads = 0;         // ok reads below zero, where forbidden
  std::uint64_t accounts_without_final = 0;
};

// At most `max_violations` violations are kept (result.violation_count
// counts them all).
BankCheck check_bank(const History& history, std::size_t max_violations = 10);

}  // namespace consim
