// Swarm runs: the default nemesis, one checked run per seed, seeds on
// threads with results in seed order; see swarm.h.
#include "cli/swarm.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "analysis/report/analyze.h"
#include "analysis/trace/history_loader.h"
#include "base/output_file.h"
#include "cli/run_pool.h"
#include "models/registry.h"
#include "sim/fault_kind.h"
#include "sim/scenario_loader.h"
#include "sim/simulator.h"

namespace consim {
namespace {

std::string ns(Time t) { return std::to_string(t) + "ns"; }

// Whether a selected checker judges the whole run (needs the run analysis).
bool wants_whole_run(const std::vector<std::string>& checkers) {
  for (const CheckerEntry& c : checker_registry())
    if (c.whole_run && std::find(checkers.begin(), checkers.end(), c.name) != checkers.end())
      return true;
  return false;
}

}  // namespace

nlohmann::json default_nemesis_json(Time duration, std::size_t nodes) {
  nlohmann::json kinds = nlohmann::json::array();
  nlohmann::json nemesis = {
      {"start", ns(duration / 10)},
      {"end", ns(duration / 10 * 6)},
      {"interval", {{"type", "exponential"}, {"mean", ns(std::max<Time>(duration / 20, 1))}}},
      {"length",
       {{"type", "uniform"},
        {"min", ns(duration / 40)},
        {"max", ns(std::max<Time>(duration / 8, 1))}}},
  };
  for (const FaultKindEntry* kind : fault_kinds()) {
    if (!kind->draw || nodes < kind->min_nodes) continue;
    if (kind->nemesis_key) {
      if (!kind->swarm_value) continue;
      nemesis[kind->nemesis_key] = nlohmann::json::parse(kind->swarm_value);
    }
    kinds.push_back(kind->name);
  }
  nemesis["kinds"] = kinds;
  return nemesis;
}

Scenario swarm_scenario(const std::string& path, const std::optional<std::string>& model) {
  Scenario s = load_scenario(path, model_registry());
  if (!s.nemesis) {
    nlohmann::json doc = *s.source;
    doc["nemesis"] = default_nemesis_json(s.duration, s.nodes.size());
    s = parse_scenario(doc, path, model_registry());
  }
  if (model) apply_model_override(s, model_registry(), *model);
  return s;
}

bool SeedResult::failed() const {
  if (!error.empty()) return true;
  for (const auto& [name, verdict] : verdicts)
    if (verdict == Verdict::Invalid) return true;
  return false;
}

std::vector<std::pair<std::string, Verdict>> trace_verdicts(
    const std::string& trace, const std::vector<std::string>& checkers) {
  // no-lost-writes and converged need the replicas' state: the whole run analysis.
  History h = wants_whole_run(checkers) ? load_checked_history(trace) : load_history(trace);
  CheckSelection selection;
  selection.checkers = checkers;
  nlohmann::json ignored;
  return run_checks(h, selection, ignored).verdicts;
}

SeedResult run_swarm_seed(const Scenario& scenario, std::uint64_t seed,
                          const std::vector<std::string>& checkers, const std::string& dir) {
  SeedResult result;
  result.seed = seed;
  Scenario s = scenario;
  s.seed = seed;
  // Network lines are for diagrams; no checker reads them.
  if (s.trace_level == TraceLevel::Full) s.trace_level = TraceLevel::State;
  const std::string trace = dir + "/seed-" + std::to_string(seed) + ".jsonl";
  try {
    run_scenario(s, registered_model(s.model_name).make, trace);
    result.verdicts = trace_verdicts(trace, checkers);
  } catch (const InputError& e) {
    result.error = e.what();
  }
  std::error_code ignored;
  std::filesystem::remove(trace, ignored);
  return result;
}

std::vector<SeedResult> run_swarm(const Scenario& scenario, const SwarmOptions& o,
                                  const std::function<void(const SeedResult&)>& done) {
  cli::TempDir dir("consim-swarm");
  std::vector<SeedResult> results(o.seeds);
  cli::run_in_parallel(
      o.seeds, o.jobs,
      [&](std::uint64_t i) {
        results[i] = run_swarm_seed(scenario, o.first_seed + i, o.checkers, dir.path());
      },
      [&](std::uint64_t i) {
        if (done) done(results[i]);
      });
  return results;
}

}  // namespace consim
