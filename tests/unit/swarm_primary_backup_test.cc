// primary-backup under consim swarm (cli/swarm.h), on scenarios/pb-safety.json
// and its nemesis (partitions, crashes, pauses, clock jumps, 2% loss and
// duplication): sync replication with epoch fencing passes the three safety
// checkers over 500 seeds; async replication and failover without fencing
// are found by the same faults and checkers.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "base/json_input.h"
#include "cli/swarm.h"
#include "models/registry.h"
#include "tests/unit/test_scale.h"

using namespace consim;

namespace swarm_primary_backup_test {

namespace {

const std::string kSafety = CONSIM_SOURCE_DIR "/scenarios/pb-safety.json";

// The safety scenario under primary-backup with `params`.
Scenario with_params(const nlohmann::json& params) {
  Scenario s = swarm_scenario(kSafety, std::nullopt);
  ModelScenario nodes;
  for (NodeId n = 0; n < 3; ++n) nodes.node_names.push_back("n" + std::to_string(n + 1));
  s.model_config =
      find_model("primary-backup")->parse(JsonReader(params, "test", "$.model.params"), nodes);
  return s;
}

// Per checker, the seeds it found invalid.
std::map<std::string, std::uint64_t> failures(const nlohmann::json& params, std::uint64_t seeds) {
  SwarmOptions o;
  o.seeds = seeds;
  o.jobs = 2;
  o.checkers = *parse_checker_list("linearizable,one-leader-per-term,no-lost-writes");
  std::map<std::string, std::uint64_t> out;
  for (const SeedResult& r : run_swarm(with_params(params), o)) {
    CHECK_MESSAGE(r.error.empty(), "seed " << r.seed << ": " << r.error);
    for (const auto& [name, verdict] : r.verdicts) out[name] += verdict == Verdict::Invalid;
  }
  return out;
}

}  // namespace

TEST_CASE("swarm: sync primary-backup with epoch fencing passes 500 seeds of random faults") {
  auto found = failures({{"replication", "sync"}, {"fencing", "epoch"}},
                        static_cast<std::uint64_t>(consim::test::sweep(500)));
  CHECK(found["linearizable"] == 0);
  CHECK(found["one-leader-per-term"] == 0);
  CHECK(found["no-lost-writes"] == 0);
}

TEST_CASE("swarm: async primary-backup is found to violate linearizability") {
  auto found = failures({{"replication", "async"}, {"fencing", "epoch"}}, 100);
  CHECK(found["linearizable"] > 0);
}

TEST_CASE("swarm: primary-backup failover without fencing is found: two primaries, stale reads") {
  auto found = failures({{"replication", "sync"}, {"fencing", "none"}}, 100);
  CHECK(found["linearizable"] > 0);
  CHECK(found["one-leader-per-term"] > 0);
}

}  // namespace swarm_primary_backup_test
