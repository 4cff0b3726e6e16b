// The pieces the printed summary (summary_print.h) is made of, shared by
// its two source files: summary_print.cc (the phase table, staleness,
// convergence, lost writes, messages, groups, CAP) and summary_leadership.cc
// (failover, elections, redirects of leader-based models). Private to them.
//
// Invariants: every function reads only the report JSON and never throws
// on a missing or mistyped figure: it prints "-" (number, percent, text) or
// leaves its lines out; each "..._lines" result ends with "\n" or is empty.
#pragma once

#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace consim::summary {

// `value` formatted with the printf `format` (one double), or "-".
std::string number(const nlohmann::json& value, const char* format);
// 0.125 -> "12.5%", or "-".
std::string percent(const nlohmann::json& value);
// A string as it is, null as "-", anything else as its JSON text.
std::string text(const nlohmann::json& value);
// Safe lookup: null when any step is missing.
const nlohmann::json& at(const nlohmann::json& j, std::initializer_list<const char*> path);

// summary_leadership.cc: nothing for a trace without role lines or redirects.
std::string failover_lines(const nlohmann::json& report);
std::string elections_lines(const nlohmann::json& report);
std::string redirects_line(const nlohmann::json& report);

}  // namespace consim::summary
