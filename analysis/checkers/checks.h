// Runs the consistency checkers on a history and renders their results, for
// `consim check` (text and exit code) and for report.json (JSON).
//
// The overall verdict is Invalid if any selected checker found a violation,
// else Unknown if any ran out of budget, else Valid. For causal consistency
// the verdict is that of CC (decided exactly); CM and CCv are reported
// beside it. Session guarantees count as invalid when any guarantee has a
// violating read.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

struct CheckSelection {
  bool linearizable = true;
  bool causal = true;
  bool session = true;
  std::uint64_t linearizability_budget = 0;  // steps per key; 0: the checker's default
  std::uint64_t causal_memory_budget = 0;    // bytes of clocks; 0: the checker's default
};

struct CheckOutcome {
  Verdict overall = Verdict::Valid;
  nlohmann::json json;  // one member per checker
  std::string text;     // the verdicts and violations for people
};

CheckOutcome run_checks(const History& history, const CheckSelection& selection);

// The history's writes (all) plus only the reads invoked in [start, end):
// checking it attributes violations to the phase whose reads show them.
History phase_history(const History& history, Time start, Time end);

nlohmann::json check_result_json(const CheckResult& result);

}  // namespace consim
