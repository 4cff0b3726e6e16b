// The whole analysis of one trace: streams it once through the run analysis
// (phases, availability, latency, staleness, convergence, CAP) while building
// the client history, then runs the consistency checkers on the history and
// returns report.json's content.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/trace/history.h"

namespace consim {

struct AnalyzeOptions {
  std::uint64_t linearizability_budget = 0;  // search steps per key; 0: the default
  // Checker names (checks.h's registry); nullopt: every checker. The report's
  // "checkers" section has a member per result of the checkers that ran.
  std::optional<std::vector<std::string>> checkers;
};

// The history of a trace or history file (load_history), with the run's
// lost acknowledged writes and end-of-run replica state attached when the
// file has replica state (a consim trace at level state or full): what the
// whole-run checkers (no-lost-writes, converged) need. Slower
// than load_history: it runs the whole run analysis.
History load_checked_history(const std::string& path);
// The report's "lost_writes" section as the checkers see it; nullopt when
// it is not available (no apply lines).
std::optional<LostWriteFacts> lost_write_facts(const nlohmann::json& report);
// The report's "convergence" section as the checkers see it; nullopt when it
// is not available (no apply lines).
std::optional<ConvergenceFacts> convergence_facts(const nlohmann::json& report);

// Throws InputError for a malformed trace.
nlohmann::json analyze_trace(const std::string& trace_path, const AnalyzeOptions& options = {});

// The printed summary of one report.
std::string report_summary_text(const nlohmann::json& report);
// The side-by-side table of several reports of the same scenario and seed.
std::string comparison_text(const std::vector<nlohmann::json>& reports);
// The comparison as JSON: one row per model and phase.
nlohmann::json comparison_json(const std::vector<nlohmann::json>& reports);

}  // namespace consim
