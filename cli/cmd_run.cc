// `consim run` and `consim compare`: simulate, then analyze the trace.
// `run --swarm-seed N` replays seed N of `consim swarm` and exits 1 when a
// checker finds a violation.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "analysis/report/analyze.h"
#include "base/output_file.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/scenario_sets.h"
#include "cli/swarm.h"
#include "models/registry.h"
#include "sim/scenario_loader.h"
#include "sim/simulator.h"

namespace consim::cli {
namespace {

TraceLevel parse_level(const std::string& s) {
  if (s == "ops") return TraceLevel::Ops;
  if (s == "state") return TraceLevel::State;
  return TraceLevel::Full;
}

// A fresh seed from the operating system, only when the user asks for one.
std::uint64_t fresh_seed() {
  std::uint64_t seed = 0;
  std::ifstream urandom("/dev/urandom", std::ios::binary);
  urandom.read(reinterpret_cast<char*>(&seed), sizeof seed);
  return seed >> 1;  // keep it a JSON-friendly non-negative int64
}

// The command line's seed and trace level, after the sets (they win over a
// --set of $.seed).
void override_seed_level(Scenario& s, std::optional<std::uint64_t> seed,
                         const std::optional<std::string>& level) {
  if (seed) s.seed = *seed;
  if (level) s.trace_level = parse_level(*level);
}

// " --set '...'" for each set, for a replay command.
std::string sets_args(const std::vector<std::string>& texts) {
  std::string args;
  for (const auto& t : texts) {
    std::string quoted;  // for a POSIX shell: ' becomes '\''
    for (char c : t) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    args += " --set '" + quoted + "'";
  }
  return args;
}

std::string default_out(const Scenario& s) { return "out/" + s.name; }

nlohmann::json run_into(const Scenario& s, const std::filesystem::path& dir,
                        const std::string& checkers) {
  std::filesystem::create_directories(dir);
  std::string trace = (dir / "trace.jsonl").string();
  run_scenario(s, registered_model(s.model_name).make, trace);
  AnalyzeOptions options;
  options.checkers = parse_checker_list(checkers);  // main.cc checked the names
  nlohmann::json report = analyze_trace(trace, options);
  write_report_files(report, (dir / "report.json").string());
  return report;
}

}  // namespace

void write_report_files(nlohmann::json& report, const std::string& report_path) {
  if (report.contains("timeline")) {
    const auto timeline = std::filesystem::path(report_path).parent_path() / "timeline.json";
    write_file_atomically(timeline.string(), report["timeline"].dump() + "\n");
    report.erase("timeline");
  }
  write_file_atomically(report_path, report.dump(2) + "\n");
}

// `run --swarm-seed`: the verdicts `consim swarm` would give this run; 1
// when one is invalid.
int swarm_verdict(const RunOptions& o, const std::filesystem::path& dir) {
  const auto checkers = parse_checker_list(o.checkers).value_or(checker_names());
  std::vector<std::string> failed;
  for (const auto& [name, verdict] : trace_verdicts((dir / "trace.jsonl").string(), checkers))
    if (verdict == Verdict::Invalid) failed.push_back(name);
  if (!o.quiet) {
    std::string names;
    for (const auto& name : failed) names += (names.empty() ? "" : ", ") + name;
    std::printf("swarm seed %llu: %s\n", static_cast<unsigned long long>(*o.swarm_seed),
                failed.empty() ? "passes its checks" : ("fails " + names).c_str());
  }
  return failed.empty() ? kExitOk : kExitInvalid;
}

int run_command(const RunOptions& o) {
  Scenario s;
  if (o.swarm_seed) {  // main.cc: --swarm-seed excludes --set
    s = swarm_scenario(o.scenario, o.model);
    s.seed = *o.swarm_seed;
    if (o.trace_level) s.trace_level = parse_level(*o.trace_level);
  } else {
    s = scenario_to_run(o.scenario, o.sets, o.model);
    override_seed_level(s, o.seed, o.trace_level);
  }
  if (o.random_seed) {
    s.seed = fresh_seed();
    std::printf("random seed %llu; replay with: consim run %s --seed %llu%s%s%s\n",
                static_cast<unsigned long long>(s.seed), o.scenario.c_str(),
                static_cast<unsigned long long>(s.seed), o.model ? " --model " : "",
                o.model ? o.model->c_str() : "", sets_args(o.sets).c_str());
  }
  std::filesystem::path dir = o.out.empty() ? default_out(s) : o.out;
  nlohmann::json report = run_into(s, dir, o.checkers);
  if (!o.quiet) {
    std::fputs(report_summary_text(report).c_str(), stdout);
    std::printf("wrote %s and %s\n", (dir / "trace.jsonl").c_str(), (dir / "report.json").c_str());
  }
  if (o.swarm_seed) return swarm_verdict(o, dir);
  return kExitOk;
}

int compare_command(const CompareOptions& o) {
  const auto sets = parse_scenario_sets(o.sets);
  const Scenario base = load_with_sets(o.scenario, sets);
  std::vector<std::string> models = o.models;
  if (models.empty()) {  // every model that runs the scenario's workload type
    const std::string type(workload_type_name(base.workload.type));
    for (const ModelInfo& m : model_registry())
      if (std::find(m.workloads.begin(), m.workloads.end(), type) != m.workloads.end())
        models.push_back(m.name);
  }
  check_set_models(sets, models, "compared");
  std::vector<Scenario> runs;
  for (const auto& m : models) {  // validate every model and set before writing anything
    runs.push_back(scenario_for_model(base, m, sets));
    override_seed_level(runs.back(), o.seed, o.trace_level);
  }
  std::filesystem::path dir = o.out.empty() ? default_out(base) : o.out;
  std::vector<nlohmann::json> reports;
  for (const auto& s : runs) reports.push_back(run_into(s, dir / s.model_name, o.checkers));
  std::filesystem::create_directories(dir);
  write_file_atomically((dir / "comparison.json").string(),
                        comparison_json(reports).dump(2) + "\n");
  std::string table = comparison_text(reports);
  write_file_atomically((dir / "comparison.txt").string(), table);
  if (o.quiet) return kExitOk;
  std::fputs(table.c_str(), stdout);
  std::printf("wrote %s/<model>/{trace.jsonl,report.json}, comparison.json and comparison.txt\n",
              dir.c_str());
  return kExitOk;
}

}  // namespace consim::cli
