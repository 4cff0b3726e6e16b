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

namespace consim {

struct AnalyzeOptions {
  std::uint64_t linearizability_budget = 0;  // search steps per key; 0: the default
  // Checker names (checks.h's registry); nullopt: every checker. The report's
  // "checkers" section has a member per result of the checkers that ran.
  std::optional<std::vector<std::string>> checkers;
};

// Throws InputError for a malformed trace.
nlohmann::json analyze_trace(const std::string& trace_path, const AnalyzeOptions& options = {});

// The printed summary of one report.
std::string report_summary_text(const nlohmann::json& report);
// The side-by-side table of several reports of the same scenario and seed.
std::string comparison_text(const std::vector<nlohmann::json>& reports);
// The comparison as JSON: one row per model and phase.
nlohmann::json comparison_json(const std::vector<nlohmann::json>& reports);

}  // namespace consim
