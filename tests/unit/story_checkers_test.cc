// The checkers on the store models, over many fixed seeds with partitions:
// strong-2pc is linearizable, eventual-async is stale and not linearizable
// while partitioned but fresh once converged, causal passes the causal
// checker and fails linearizability. A model failing a check it should pass
// is a bug in the model.
#include <doctest/doctest.h>

#include <map>
#include <utility>

#include "analysis/checkers/checks.h"
#include "analysis/report/analyze.h"
#include "analysis/trace/history_loader.h"
#include "story_support.h"
#include "tests/unit/test_scale.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_checkers_test {

namespace {

// 8 seeds; 3 under ASan (test_scale.h).
constexpr int kSeeds = scaled(8, 3);

// Five nodes, a client per node, a majority/minority partition from 1 s to
// 3 s; writes stop at 3.5 s and clients keep reading until 6 s.
Scenario partition_story(const std::string& model, std::uint64_t seed) {
  json s = base_scenario(model, 5, {"n1", "n2", "n3", "n4", "n5"});
  s["seed"] = seed;
  s["duration"] = "6s";
  s["workload"]["keys"] = 4;
  s["workload"]["think_time"] = {{"type", "exponential"}, {"mean", "15ms"}};
  s["workload"]["writes_stop"] = "3500ms";
  s["network"]["default_link"]["latency"] = {{"type", "normal"}, {"mean", "2ms"}, {"sd", "0.5ms"}};
  s["faults"] = json::array({{{"type", "partition"},
                              {"name", "split"},
                              {"shape", "majority-minority"},
                              {"minority", {"n4", "n5"}},
                              {"start", "1s"},
                              {"heal", "3s"}}});
  return parse_scenario(s, "checkers-story.json", model_registry());
}

struct Analyzed {
  json report;
  History history;
};

Analyzed run_and_analyze(const Scenario& s) {
  auto path = temp_trace_path("checkers-" + s.model_name + "-" + std::to_string(s.seed));
  run_scenario(s, registered_model(s.model_name).make, path.string());
  Analyzed a{analyze_trace(path.string()), load_history(path.string())};
  std::filesystem::remove(path);
  return a;
}

// The partition story of `model` on `seed`, run and analyzed once for all
// the test cases that read it (causal's is read by three).
const Analyzed& partition_run(const std::string& model, std::uint64_t seed) {
  static std::map<std::pair<std::string, std::uint64_t>, Analyzed> runs;
  auto it = runs.find({model, seed});
  if (it == runs.end())
    it = runs.emplace(std::make_pair(model, seed), run_and_analyze(partition_story(model, seed)))
             .first;
  return it->second;
}

const json& phase(const json& report, const std::string& name) {
  for (const auto& p : report["phases"])
    if (p["name"] == name) return p;
  FAIL("no phase " << name);
  static json none;
  return none;
}

double stale_rate(const json& report, const std::string& name) {
  for (const auto& p : report["staleness"]["phases"])
    if (p["phase"] == name) return p["stale_rate"];
  return -1;
}

CheckSelection only_linearizable() {
  CheckSelection s;
  s.checkers = {"linearizable"};
  return s;
}

}  // namespace

TEST_CASE("strong-2pc: histories under a partition are linearizable and causal, for every seed") {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const Analyzed& a = partition_run("strong-2pc", seed);
    INFO("seed " << seed);
    CHECK(a.report["checkers"]["linearizable"]["verdict"] == "valid");
    CHECK(a.report["checkers"]["causal-cc"]["verdict"] == "valid");
    CHECK(a.report["staleness"]["overall"]["stale"] == 0);
    CHECK(phase(a.report, "during split")["write"]["ok"] == 0);
  }
}

TEST_CASE(
    "eventual-async: stale and not linearizable during the partition, "
    "fresh and linearizable once replicas converge") {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const Analyzed& a = partition_run("eventual-async", seed);
    INFO("seed " << seed);
    const json& during = phase(a.report, "during split");
    CHECK(during["checkers"]["linearizable"]["verdict"] == "invalid");
    CHECK(stale_rate(a.report, "during split") > 0.05);
    // Writes stop at 3.5 s: once every replica agrees, reads are fresh.
    const json& heal = a.report["convergence"]["after_faults"][0];
    double converged_ms = heal["all_agree_ms"].is_number() ? heal["all_agree_ms"].get<double>()
                                                           : heal["converged_ms"].get<double>();
    Time quiet =
        std::max<Time>(3500 * kMillisecond, static_cast<Time>((3000 + converged_ms) * 1e6)) +
        10 * kMillisecond;
    History after = phase_history(a.history, quiet, 6 * kSecond);
    std::size_t reads = 0;
    for (const auto& op : after.ops) reads += op.f == HistOp::Read && op.invoke_time >= quiet;
    CHECK(reads > 100);
    json results;
    CHECK(run_checks(after, only_linearizable(), results).overall == Verdict::Valid);
  }
}

TEST_CASE("causal: histories pass the causal checker and fail linearizability under partitions") {
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const Analyzed& a = partition_run("causal", seed);
    INFO("seed " << seed);
    CHECK(a.report["checkers"]["causal-cc"]["verdict"] == "valid");
    CHECK(a.report["checkers"]["linearizable"]["verdict"] == "invalid");
  }
}

TEST_CASE("causal: histories keep all four session guarantees, for every seed") {
  // Causal consistency implies the session guarantees; with hybrid stamps
  // the store's order of concurrent writes also follows real time, which is
  // the order the session checkers judge by.
  for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
    const Analyzed& a = partition_run("causal", seed);
    INFO("seed " << seed);
    for (const char* g :
         {"read-your-writes", "monotonic-reads", "monotonic-writes", "writes-follow-reads"}) {
      INFO(g);
      CHECK(a.report["checkers"][g]["verdict"] == "valid");
      CHECK(a.report["checkers"][g]["reads_checked"].get<std::uint64_t>() > 100);
    }
  }
}

TEST_CASE(
    "eventual-async and causal: replicas agree within a few round trips of the heal, "
    "and retries never multiply the traffic") {
  for (const char* model : {"eventual-async", "causal"}) {
    for (std::uint64_t seed = 1; seed <= kSeeds; ++seed) {
      const Analyzed& a = partition_run(model, seed);
      INFO(model << ", seed " << seed);
      const json& heal = a.report["convergence"]["after_faults"][0];
      REQUIRE(heal["all_agree_ms"].is_number());
      CHECK(heal["all_agree_ms"].get<double>() < 100.0);  // links: 2 ms each way
      for (const auto& p : a.report["messages"]["phases"]) {
        INFO(p["phase"]);
        // Replication to 4 peers plus acks is 8 per write; resends add a few.
        if (p["messages_per_op"].is_number()) CHECK(p["messages_per_op"].get<double>() < 12.0);
      }
    }
  }
}

}  // namespace story_checkers_test
