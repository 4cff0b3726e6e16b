// `consim check` and `consim analyze`: verdicts on a history, report from a trace.
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "analysis/report/analyze.h"
#include "analysis/trace/history_loader.h"
#include "base/output_file.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"

namespace consim::cli {

int check_command(const CheckOptions& o) {
  History history = load_history(o.history);
  CheckSelection s;
  s.checkers = parse_checker_list(o.consistency).value_or(checker_names());  // checked in main.cc
  s.linearizability_budget = o.budget;
  nlohmann::json j;
  CheckOutcome outcome = run_checks(history, s, j);
  if (o.json) {
    j["verdict"] = verdict_name(outcome.overall);
    j["history"] = o.history;
    j["operations"] = history.ops.size();
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::size_t ops = history.ops.size(), keys = history.key_names.size();
    std::printf("%s: %zu operation%s on %zu key%s\n%sverdict: %s\n", o.history.c_str(), ops,
                ops == 1 ? "" : "s", keys, keys == 1 ? "" : "s", outcome.text.c_str(),
                verdict_name(outcome.overall));
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
