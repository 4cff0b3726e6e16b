// Causal consistency checkers for read/write histories with unique values:
// causal consistency (CC), causal memory (CM) and causal convergence (CCv),
// decided by the bad patterns of Bouajjani, Enea, Guerraoui and Hamza, "On
// verifying causal consistency" (POPL 2017).
//
// The causal order co is (so ∪ wr)+: session order (each process's ops in
// invoke order) plus read-from (a read of v follows the unique write of v; a
// read of nothing reads the initial state). Fail ops and info reads are left
// out; an info write is kept iff some ok read returned its value (see
// causal_order.h for why). Patterns:
//   CC:  CyclicCO, WriteCOInitRead, ThinAirRead, WriteCORead
//   CM:  the CC patterns plus WriteHBInitRead, CyclicHB
//   CCv: the CC patterns plus CyclicCF
// Each violation's reason starts with the pattern's name, e.g.
//   "WriteCORead: the read at line 6 returns 1 (written at line 1), but the
//    write of 2 at line 2 overwrote it and causally precedes the read".
// Invariants: a history with unique values is judged exactly for CC and CCv;
// CM is exact unless its work budget runs out (then Unknown, with a note);
// any model whose clocks would exceed the memory budget is Unknown too.
// Results are deterministic: violations are listed in pattern order, then in
// history order. docs/checkers.md ("Causal") gives complexity and memory.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

struct CausalOptions {
  bool cc = true;
  bool cm = true;
  bool ccv = true;
  std::size_t max_violations = 100;  // listed per result; every one is counted
  // Work units (graph vertices and edges visited, times sessions) the CM
  // search may spend before it answers Unknown.
  std::uint64_t cm_budget = 1'000'000'000;
  // Bytes the vector clocks may take (4 per operation per session; CM needs
  // three sets). A model whose clocks would not fit answers Unknown with a
  // note saying how much they would need, instead of running out of memory.
  std::uint64_t memory_budget = kDefaultCausalMemoryBudget;
  static constexpr std::uint64_t kDefaultCausalMemoryBudget = std::uint64_t{1} << 30;  // 1 GiB
};

// One CheckResult per model asked for, in the order causal-cc, causal-cm,
// causal-ccv. Throws InputError if a key is written the same value twice.
std::vector<CheckResult> check_causal(const History& history, const CausalOptions& options = {});

}  // namespace consim
