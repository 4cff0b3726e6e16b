// The linearizability checker for read/write registers, one per key.
//
// A history is linearizable if every operation can be given a single point
// in time between its invoke and its completion such that, in the order of
// those points, every read returns the value of the latest write before it
// (or no value, if there is none: the register starts empty). Keys are
// independent registers, so each key is checked on its own
// (P-compositionality).
//
// Outcomes (Jepsen's convention):
//  - ok: it happened, inside its window.
//  - fail: it certainly did not happen; it is removed.
//  - info (or never completed): it may or may not have happened, and has no
//    end: a write may take effect at any point after its invoke, or never; a
//    read's result is unknown, so it constrains nothing and is dropped.
// Example: write 1 ok, then write 2 times out (info), then a read returns 2:
// valid (the timed-out write took effect). If the read returns 1 instead,
// also valid (it did not, or not yet).
//
// The search per key is bounded by a step budget (deterministic, unlike a
// wall-clock timeout): past it the key's verdict is Unknown, never a guess.
// An invalid key yields a Violation naming the key, the op that cannot be
// placed, a one-line reason, and a slice shrunk greedily to a minimal set of
// ops that is still not linearizable.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

struct LinearizabilityOptions {
  std::uint64_t step_budget_per_key = 20'000'000;
  // Steps spent shrinking one violation's slice; when it runs out the slice
  // is the smallest found so far (still a true counterexample).
  std::uint64_t shrink_step_budget = 5'000'000;
  std::size_t max_violations = 20;  // violations kept in the result (all are counted)
};

struct KeyLinearizability {
  std::uint32_t key = 0;
  Verdict verdict = Verdict::Valid;
  std::uint64_t ops = 0;    // operations on the key, all outcomes
  std::uint64_t steps = 0;  // search steps spent (not counting shrinking)
  // Invalid only: invoke lines of the longest linearizable prefix found, in
  // linearization order, and of the op that cannot be placed after it.
  std::vector<std::uint64_t> longest_prefix;
  std::uint64_t blocked_line = 0;
};

struct LinearizabilityReport {
  CheckResult result;  // checker "linearizable"
  std::uint64_t valid_keys = 0, invalid_keys = 0, unknown_keys = 0;
  std::vector<KeyLinearizability> keys;  // keys with operations, by key id
};

LinearizabilityReport check_linearizability(const History& history,
                                            const LinearizabilityOptions& options = {});

// One key's verdict, for a list of operations all on one key (any
// outcomes). No violation is built.
KeyLinearizability check_key_linearizable(const std::vector<Operation>& ops,
                                          std::uint64_t step_budget);

}  // namespace consim
