// Safety of primary-backup over many seeds of random faults (the issue's
// swarm claim, checked here with the simulator, the nemesis of
// scenarios/pb-safety.json and the linearizability checker): with sync
// replication and epoch fencing no seed gives a linearizability violation
// or a lost acknowledged write; async replication and failover without
// fencing are caught by the same faults and checkers, so the faults and the
// checkers are shown to bite.
#include <doctest/doctest.h>
#include <unistd.h>

#include <limits>

#include "analysis/report/analyze.h"
#include "base/json_input.h"
#include "story_support.h"

using namespace consim;
using nlohmann::json;

namespace {

constexpr std::uint64_t kSeeds = 500;

struct Outcome {
  bool violation = false;  // the linearizability checker says invalid
  bool lost = false;       // some acknowledged write is lost
};

Outcome run_seed(const json& params, std::uint64_t seed) {
  static const std::string path = CONSIM_SOURCE_DIR "/scenarios/pb-safety.json";
  static const json base = parse_json_text(test::read_file(path), path);
  json doc = base;
  doc["seed"] = seed;
  doc["model"]["params"] = params;
  const Scenario scenario = parse_scenario(doc, path, model_registry());
  const auto trace = test::temp_trace_path("pb-safety-" + std::to_string(::getpid()));
  run_scenario(scenario, registered_model(scenario.model_name).make, trace.string());
  AnalyzeOptions options;
  options.checkers = std::vector<std::string>{"linearizable"};
  const json report = analyze_trace(trace.string(), options);
  std::filesystem::remove(trace);
  return {report["checkers"]["linearizable"]["verdict"] == "invalid",
          report["lost_writes"]["count"].get<std::uint64_t>() > 0};
}

// Seeds 1..kSeeds (stopping at the first `stop_at` seeds that fail) under
// `params`: how many violated linearizability and how many lost writes.
std::pair<std::uint64_t, std::uint64_t> sweep(const json& params, std::uint64_t stop_at) {
  std::uint64_t violations = 0, lost = 0;
  for (std::uint64_t seed = 1; seed <= kSeeds && violations + lost < stop_at; ++seed) {
    Outcome o = run_seed(params, seed);
    if (o.violation || o.lost)
      MESSAGE("seed " << seed << std::string(o.violation ? " violation" : "")
                      << std::string(o.lost ? " lost writes" : ""));
    violations += o.violation;
    lost += o.lost;
  }
  return {violations, lost};
}

}  // namespace

TEST_CASE(
    "primary-backup: sync replication with epoch fencing survives 500 seeds of random faults") {
  auto [violations, lost] = sweep({{"replication", "sync"}, {"fencing", "epoch"}},
                                  std::numeric_limits<std::uint64_t>::max());
  CHECK(violations == 0);
  CHECK(lost == 0);
}

TEST_CASE("primary-backup: the same faults catch async replication losing acknowledged writes") {
  auto [violations, lost] = sweep({{"replication", "async"}, {"fencing", "epoch"}}, 2);
  CHECK(violations + lost >= 2);
}

TEST_CASE("primary-backup: the same faults catch failover without fencing") {
  auto [violations, lost] = sweep({{"replication", "sync"}, {"fencing", "none"}}, 2);
  CHECK(violations + lost >= 2);
}
