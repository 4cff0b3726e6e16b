// Runs the consistency checkers on a history and renders their results, for
// `consim check` (text and exit code) and for report.json (JSON).
//
// The checkers are one explicit table, checker_registry(): {name, one-line
// description, run}. The CLI (`check --consistency`, `run`/`compare`/
// `analyze --checkers`, `list`) and the report read only this table; a bad
// name gets the list of valid ones. Adding a checker: one table line in
// checks.cc and its section in docs/checkers.md.
//
// The overall verdict is Invalid if any selected checker found a violation,
// else Unknown if any ran out of budget, else Valid. For causal consistency
// the verdict is that of CC (decided exactly); CM and CCv are reported
// beside it. Session guarantees count as invalid when any guarantee has a
// violating read.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <utility>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

struct CheckSelection {
  std::vector<std::string> checkers;         // registry names, run in table order; empty: none
  std::uint64_t linearizability_budget = 0;  // steps per key; 0: the checker's default
  std::uint64_t causal_memory_budget = 0;    // bytes of clocks; 0: the checker's default
};

struct CheckOutcome {
  Verdict overall = Verdict::Valid;
  std::string text;  // the verdicts and violations for people
  // Each selected checker's verdict, by registry name, in table order.
  std::vector<std::pair<std::string, Verdict>> verdicts;
};

// What a checker's run adds to: the verdict, one JSON member per result
// (a checker may give several, e.g. causal-cc, causal-cm, causal-ccv), text.
struct CheckRun;

struct CheckerEntry {
  std::string_view name;
  std::string_view description;
  void (*run)(const History& history, const CheckSelection& selection, CheckRun& out);
  // Judges the whole run (no-lost-writes), so the report does not run it per phase.
  bool whole_run = false;
};

std::span<const CheckerEntry> checker_registry();
// Every registry name, in table order.
std::vector<std::string> checker_names();
// "linearizable,causal", "all" (every checker) or "none": the names, in
// table order; nullopt if a name is unknown.
std::optional<std::vector<std::string>> parse_checker_list(std::string_view text);
// Empty if `text` parses; else the message naming the bad name and the
// valid ones, e.g. `unknown checker "lin"; checkers: linearizable, causal,
// session, all or none`.
std::string checker_list_error(std::string_view text);

// Runs the selected checkers on the history; `json` becomes an object with
// one member per result.
CheckOutcome run_checks(const History& history, const CheckSelection& selection,
                        nlohmann::json& json);

// The history's writes (all) plus only the reads invoked in [start, end),
// and the role lines in [start, end): checking it attributes violations to
// the phase whose reads show them. It has no lost-write facts.
History phase_history(const History& history, Time start, Time end);

nlohmann::json check_result_json(const CheckResult& result);

}  // namespace consim
