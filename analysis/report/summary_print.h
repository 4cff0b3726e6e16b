// A compact human summary of a report (the JSON of RunAnalysis::finish):
// one table row per phase, then staleness, convergence, lost writes,
// messages and the CAP/PACELC lines. Reads only the report, so it works on a
// report.json loaded from disk too. Missing figures print as "-".
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace consim {

std::string format_summary(const nlohmann::json& report);

}  // namespace consim
