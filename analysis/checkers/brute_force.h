// A reference linearizability checker for small histories, used to test the
// real one (differential testing): it tries every order of every key's
// operations that respects real time, and every choice of which info
// (unknown-outcome) writes took effect. Exponential: at most 8 operations
// per key.
//
// Semantics match linearizability.h: the register starts with no value;
// failed ops never happened; an info or never-completed op has no end (it may
// take effect any time after its invoke); a write or cas whose outcome is
// unknown may be left out; a read whose outcome is unknown constrains
// nothing. A cas ok compared equal and wrote; ok with cas_failed compared
// unequal; info, if placed, writes exactly when the register equals its
// expected value. Values may repeat: the register's state is its value.
// Real-time order compares (time, line): a precedes b if a completed (ok or
// fail) at a position before b's invoke.
#pragma once

#include <vector>

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

inline constexpr std::size_t kBruteForceMaxOpsPerKey = 8;

// Valid or Invalid (never Unknown). Throws std::invalid_argument when a key
// has more than kBruteForceMaxOpsPerKey operations.
Verdict brute_force_linearizable(const History& history);

// The same for one key's operations.
Verdict brute_force_key(const std::vector<Operation>& ops);

}  // namespace consim
