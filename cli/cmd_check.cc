// `consim check` and `consim analyze`: verdicts on a history, report from a trace.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "analysis/report/analyze.h"
#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "base/output_file.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace consim::cli {

namespace {

// " (2 nemesis lines skipped)", or "" when there were none.
std::string nemesis_text(const History& h) {
  if (h.nemesis_lines == 0) return "";
  return " (" + std::to_string(h.nemesis_lines) + " nemesis line" +
         (h.nemesis_lines == 1 ? "" : "s") + " skipped)";
}

}  // namespace

int check_command(const CheckOptions& o) {
  const std::vector<std::string> checkers =
      parse_checker_list(o.consistency).value_or(checker_names());  // checked in main.cc
  // no-lost-writes needs the replicas' state: the whole run analysis.
  const bool replica_state =
      std::find(checkers.begin(), checkers.end(), "no-lost-writes") != checkers.end();
  History history = replica_state ? load_checked_history(o.history) : load_history(o.history);
  // Nothing to check is bad input, not "valid": most likely a format this
  // reader does not know (docs/checkers.md, "Checking a history from elsewhere").
  if (history.ops.empty() && (!history.bank || history.bank->ops.empty()))
    throw InputError(o.history, "$",
                     "no operations to check: no invoke line" + nemesis_text(history) +
                         "; see docs/trace-format.md, \"Histories from elsewhere\"");
  CheckSelection s;
  s.checkers = checkers;
  s.linearizability_budget = o.budget;
  s.causal_memory_budget = o.causal_memory_mib << 20;
  nlohmann::json j;
  CheckOutcome outcome = run_checks(history, s, j);
  if (o.json) {
    j["verdict"] = verdict_name(outcome.overall);
    j["history"] = o.history;
    j["operations"] = history.ops.size() + (history.bank ? history.bank->ops.size() : 0);
    j["nemesis_lines_skipped"] = history.nemesis_lines;
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    // A bank history's operations are its transfers and balance reads.
    std::size_t ops = history.ops.size() + (history.bank ? history.bank->ops.size() : 0);
    std::size_t keys = history.key_names.size();
    std::printf("%s: %zu operation%s on %zu key%s%s\n%sverdict: %s\n", o.history.c_str(), ops,
                ops == 1 ? "" : "s", keys, keys == 1 ? "" : "s", nemesis_text(history).c_str(),
                outcome.text.c_str(), verdict_name(outcome.overall));
  }
  switch (outcome.overall) {
    case Verdict::Valid:
      return kExitOk;
    case Verdict::Invalid:
      return kExitInvalid;
    case Verdict::Unknown:
      return kExitUnknown;
  }
  return kExitInternal;
}

int analyze_command(const std::string& trace, const std::string& out, const std::string& checkers) {
  AnalyzeOptions options;
  options.checkers = parse_checker_list(checkers);  // main.cc checked the names
  nlohmann::json report = analyze_trace(trace, options);
  std::string path =
      out.empty() ? (std::filesystem::path(trace).parent_path() / "report.json").string() : out;
  write_report_files(report, path);
  std::fputs(report_summary_text(report).c_str(), stdout);
  std::printf("wrote %s\n", path.c_str());
  return kExitOk;
}

}  // namespace consim::cli
