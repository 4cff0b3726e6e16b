// Stories of the quorum model run by the simulator and judged by the
// analysis: strict quorums without blocking read repair show the new-old
// inversion on some seed (the linearizability checker finds it); blocking
// read repair with quorum-read versions shows none under random faults;
// clock versions under clock skew do; a sloppy quorum keeps writes
// available through a region partition and hands its hints off after the
// heal; a write short of its quorum ends `info` with the model's reason.
#include <doctest/doctest.h>

#include <fstream>
#include <set>

#include "analysis/checkers/checks.h"
#include "analysis/report/analyze.h"
#include "base/json_input.h"
#include "cli/swarm.h"
#include "story_support.h"
#include "tests/unit/test_scale.h"

using namespace consim;
using consim::test::of_type;
using nlohmann::json;

namespace story_quorum_test {

namespace {

json scenario_file(const std::string& name) {
  std::ifstream in(std::string(CONSIM_SOURCE_DIR) + "/scenarios/" + name);
  return json::parse(in);
}

json run_and_analyze(const json& doc, const std::string& tag,
                     std::optional<std::vector<std::string>> checkers = std::nullopt) {
  Scenario s = parse_scenario(doc, tag + ".json", model_registry());
  auto path = consim::test::temp_trace_path(tag);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  AnalyzeOptions options;
  options.checkers = std::move(checkers);
  json report = analyze_trace(path.string(), options);
  report["trace_lines"] = consim::test::parse_lines(consim::test::read_file(path));
  std::filesystem::remove(path);
  return report;
}

// Three nodes, one key, six clients, no faults, mostly 1ms links with a
// heavy tail: a write's message to one replica is often much slower than
// to another, so reads overlap writes half applied.
json inversion_scenario(const std::string& read_repair, std::uint64_t seed) {
  json s = consim::test::base_scenario("quorum", 3, {"n1", "n2", "n3", "n1", "n2", "n3"});
  s["seed"] = seed;
  s["duration"] = "1s";
  s["network"]["default_link"]["latency"] = {
      {"type", "mixture"},
      {"components",
       {{{"weight", 0.9}, {"dist", {{"type", "exponential"}, {"mean", "1ms"}}}},
        {{"weight", 0.1}, {"dist", {{"type", "pareto"}, {"scale", "5ms"}, {"shape", 1.2}}}}}}};
  s["model"]["params"] = {{"read_repair", read_repair}, {"versions", "quorum-read"}};
  s["workload"]["read_fraction"] = 0.7;
  s["workload"]["keys"] = 1;
  s["workload"]["think_time"] = {{"type", "exponential"}, {"mean", "3ms"}};
  s["workload"]["stop"] = "900ms";
  s["trace"] = {{"level", "ops"}};
  return s;
}

// The first seed in 1..limit whose run the linearizability checker rejects.
std::optional<std::uint64_t> first_violation(const std::string& read_repair, std::uint64_t limit) {
  for (std::uint64_t seed = 1; seed <= limit; ++seed) {
    json report = run_and_analyze(inversion_scenario(read_repair, seed), "quorum-inversion",
                                  std::vector<std::string>{"linearizable"});
    if (report["checkers"]["linearizable"]["verdict"] == "invalid") return seed;
  }
  return std::nullopt;
}

ModelScenario three_nodes() {
  ModelScenario m;
  m.node_names = {"n1", "n2", "n3"};
  return m;
}

// Per checker, how many seeds of scenarios/quorum-safety.json (random
// faults) with `params` it found invalid.
std::map<std::string, std::uint64_t> safety_failures(const json& params, std::uint64_t seeds) {
  Scenario s = swarm_scenario(CONSIM_SOURCE_DIR "/scenarios/quorum-safety.json", std::nullopt);
  s.model_config =
      find_model("quorum")->parse(JsonReader(params, "test", "$.model.params"), three_nodes());
  SwarmOptions o;
  o.seeds = seeds;
  o.jobs = 2;
  o.checkers = *parse_checker_list("linearizable,no-lost-writes");
  std::map<std::string, std::uint64_t> out;
  for (const SeedResult& r : run_swarm(s, o)) {
    CHECK_MESSAGE(r.error.empty(), "seed " << r.seed << ": " << r.error);
    for (const auto& [name, verdict] : r.verdicts) out[name] += verdict == Verdict::Invalid;
  }
  return out;
}

}  // namespace

TEST_CASE(
    "quorum: strict quorums (r + w > n) with read repair off or async are not linearizable: the "
    "new-old inversion is found on some seed") {
  for (const char* mode : {"off", "async"}) {
    CAPTURE(std::string(mode));
    auto seed = first_violation(mode, 100);
    CHECK(seed.has_value());
    if (seed) MESSAGE("read_repair " << std::string(mode) << ": first violation at seed " << *seed);
  }
}

TEST_CASE(
    "quorum: blocking read repair with quorum-read versions and r + w > n is linearizable: no "
    "violation on the inversion runs nor under random faults") {
  CHECK_FALSE(
      first_violation("blocking", static_cast<std::uint64_t>(consim::test::sweep(40))).has_value());
  auto found = safety_failures({{"read_repair", "blocking"}, {"versions", "quorum-read"}},
                               static_cast<std::uint64_t>(consim::test::sweep(200)));
  CHECK(found["linearizable"] == 0);
  CHECK(found["no-lost-writes"] == 0);
}

TEST_CASE("quorum: with clock versions the same faults (clock jumps) break linearizability") {
  auto found = safety_failures({{"read_repair", "blocking"}, {"versions", "clock"}}, 50);
  CHECK(found["linearizable"] > 0);
}

TEST_CASE(
    "quorum: a sloppy quorum keeps writes available through a region partition; hinted handoff "
    "delivers them after the heal and every replica converges") {
  json doc = scenario_file("quorum-wan-sloppy.json");
  json sloppy = run_and_analyze(doc, "quorum-wan-sloppy", std::vector<std::string>{});
  doc["model"]["params"]["sloppy"] = false;
  json strict = run_and_analyze(doc, "quorum-wan-strict", std::vector<std::string>{});
  auto during = [](const json& r) { return r["phases"][1]["write"]["availability"].get<double>(); };
  REQUIRE(sloppy["phases"][1]["name"] == "during ap cut off");
  CHECK(during(sloppy) == 1.0);
  CHECK(during(strict) < 0.8);
  CHECK(sloppy["notes"]["hinted-handoff"]["count"].get<int>() > 0);
  CHECK_FALSE(strict["notes"].contains("hinted-handoff"));
  // Every hint is delivered after the heal (6 s), and the replicas agree.
  for (const auto& l : of_type(sloppy["trace_lines"], "note"))
    if (l["what"] == "hinted-handoff") CHECK(l["time"].get<Time>() > 6 * kSecond);
  CHECK(sloppy["convergence"]["divergent_keys_at_end"] == 0);
  CHECK(sloppy["convergence"]["after_faults"][0]["keys_not_converged"] == 0);
  CHECK(sloppy["lost_writes"]["count"] == 0);
}

TEST_CASE("quorum: a write that cannot reach w replicas ends info with the model's reason") {
  json s = consim::test::base_scenario("quorum", 3, {"n1"});
  s["workload"]["read_fraction"] = 0.0;
  s["faults"] = json::array({{{"type", "crash"}, {"node", "n2"}, {"at", "100ms"}},
                             {{"type", "crash"}, {"node", "n3"}, {"at", "100ms"}}});
  json report = run_and_analyze(s, "quorum-info", std::vector<std::string>{});
  auto infos = of_type(report["trace_lines"], "info");
  REQUIRE(!infos.empty());
  CHECK(infos.front()["reason"] ==
        "write quorum not reached: 1 of 2 acks within 100ms; the write may have been applied");
  CHECK(of_type(report["trace_lines"], "fail").empty());
  // The client stayed with n1 and carried on as a new process each time.
  std::set<std::uint64_t> processes;
  for (const auto& l : infos) processes.insert(l["process"].get<std::uint64_t>());
  CHECK(processes.size() == infos.size());
}

}  // namespace story_quorum_test
