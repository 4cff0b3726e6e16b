// Compare-and-set in the simulator, over fixed seeds: strong-2pc compares
// at the coordinator under its locks and stays linearizable under a
// partition and a crash; eventual-async compares at one replica and is not
// linearizable once a partition lets two sides both match. Cas both
// succeeds and fails its comparison in these runs, so both paths are used.
#include <doctest/doctest.h>

#include "analysis/checkers/linearizability.h"
#include "analysis/trace/history_loader.h"
#include "story_support.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_cas_test {

namespace {

constexpr int kSeeds = 6;

// Five nodes, a client per node, few keys so cas races; a majority/minority
// partition from 1 s to 2.5 s and n2 crashed from 1.5 s to 2 s.
Scenario cas_story(const std::string& model, std::uint64_t seed) {
  json s = base_scenario(model, 5, {"n1", "n2", "n3", "n4", "n5"});
  s["seed"] = seed;
  s["duration"] = "3500ms";
  s["workload"]["keys"] = 2;
  s["workload"]["read_fraction"] = 0.3;
  s["workload"]["cas_fraction"] = 0.4;
  s["workload"]["timeout"] = "300ms";
  s["workload"]["think_time"] = {{"type", "exponential"}, {"mean", "10ms"}};
  s["network"]["default_link"]["latency"] = {{"type", "normal"}, {"mean", "2ms"}, {"sd", "0.5ms"}};
  s["faults"] =
      json::array({{{"type", "partition"},
                    {"name", "split"},
                    {"shape", "majority-minority"},
                    {"minority", {"n4", "n5"}},
                    {"start", "1s"},
                    {"heal", "2500ms"}},
                   {{"type", "crash"}, {"node", "n2"}, {"at", "1500ms"}, {"restart", "2s"}}});
  return parse_scenario(s, "cas-story.json", model_registry());
}

struct CasRun {
  History history;
  int matched = 0, missed = 0;
};

CasRun run(const Scenario& s) {
  auto path = temp_trace_path("cas-" + s.model_name + "-" + std::to_string(s.seed));
  run_scenario(s, registered_model(s.model_name).make, path.string());
  CasRun r;
  r.history = load_history(path.string());
  std::filesystem::remove(path);
  for (const Operation& op : r.history.ops) {
    if (op.f != HistOp::Cas || op.outcome != Outcome::Ok) continue;
    (op.cas_failed ? r.missed : r.matched) += 1;
  }
  return r;
}

}  // namespace

TEST_CASE("strong-2pc with cas: linearizable under a partition and a crash, for every seed") {
  for (int seed = 1; seed <= kSeeds; ++seed) {
    CAPTURE(seed);
    CasRun r = run(cas_story("strong-2pc", static_cast<std::uint64_t>(seed)));
    CHECK(r.matched > 10);
    CHECK(r.missed > 10);
    LinearizabilityReport report = check_linearizability(r.history);
    CHECK(report.result.verdict == Verdict::Valid);
    for (const auto& v : report.result.violations) MESSAGE(v.reason);
  }
}

TEST_CASE("eventual-async with cas: two sides of a partition both match, not linearizable") {
  int invalid = 0;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    CasRun r = run(cas_story("eventual-async", static_cast<std::uint64_t>(seed)));
    CHECK(r.matched > 10);
    CHECK(r.missed > 0);
    invalid += check_linearizability(r.history).result.verdict == Verdict::Invalid;
  }
  CHECK(invalid == kSeeds);
}

TEST_CASE("workload: cas_fraction 0 writes no cas line; above 0, cas lines carry [expected, new]") {
  json s = base_scenario("strong-2pc", 3, {"n1", "n2"});
  auto lines = run_story(s, "no-cas");
  for (const auto& l : of_type(lines, "invoke")) CHECK(l["f"] != "cas");
  s["workload"]["cas_fraction"] = 0.5;
  int cas = 0;
  for (const auto& l : run_story(s, "with-cas")) {
    if (!l.contains("f") || l["f"] != "cas") continue;
    ++cas;
    CHECK(l["value"].is_array());
    CHECK(l["value"].size() == 2);
    CHECK(l.contains("result") == (l["type"] == "ok"));
  }
  CHECK(cas > 0);
}

}  // namespace story_cas_test
