// The bank under consim swarm (cli/swarm.h) on scenarios/bank-swarm.json
// and the default nemesis (partitions, crashes, pauses, clock jumps, loss
// and duplication): 2pc and saga never create or destroy money over 300
// seeds, with one copy per shard and with replica groups of three
// (model.params.replicas_per_shard); no coordination is found to on some
// seed.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "base/json_input.h"
#include "cli/swarm.h"
#include "models/registry.h"
#include "tests/unit/test_scale.h"

using namespace consim;

namespace swarm_bank_test {

namespace {

const std::string kSwarm = CONSIM_SOURCE_DIR "/scenarios/bank-swarm.json";

// The swarm scenario under the bank model with `method`. `replicas` > 1:
// six nodes s0..s5 in two groups of `replicas` (s0-s2, s3-s5), the clients
// as in the file.
Scenario with_method(const std::string& method, int replicas = 1) {
  std::string path = kSwarm;
  if (replicas > 1) {
    nlohmann::json doc = nlohmann::json::parse(std::ifstream(kSwarm));
    doc["nodes"] = {"s0", "s1", "s2", "s3", "s4", "s5"};
    path = (std::filesystem::temp_directory_path() / "consim-bank-swarm-groups.json").string();
    std::ofstream(path) << doc.dump();
  }
  Scenario s = swarm_scenario(path, std::nullopt);
  ModelScenario ms;
  for (const auto& n : s.nodes) ms.node_names.push_back(n.name);
  const BankWorkload& b = *s.workload.bank;
  ms.accounts = AccountsSpec{b.accounts, b.initial_balance, b.negative_allowed};
  const nlohmann::json params = {
      {"method", method}, {"step_timeout", "40ms"}, {"replicas_per_shard", replicas}};
  s.model_config = find_model("bank")->parse(JsonReader(params, "test", "$.model.params"), ms);
  return s;
}

// Seeds the bank checker found invalid, and seeds whose run failed.
std::pair<std::uint64_t, std::uint64_t> failures(const std::string& method, std::uint64_t seeds,
                                                 int replicas = 1) {
  SwarmOptions o;
  o.seeds = seeds;
  o.jobs = 2;
  o.checkers = *parse_checker_list("bank");
  std::uint64_t invalid = 0, errors = 0;
  for (const SeedResult& r : run_swarm(with_method(method, replicas), o)) {
    CHECK_MESSAGE(r.error.empty(), "seed " << r.seed << ": " << r.error);
    errors += !r.error.empty();
    for (const auto& [name, verdict] : r.verdicts) invalid += verdict == Verdict::Invalid;
  }
  return {invalid, errors};
}

}  // namespace

TEST_CASE(
    "bank swarm: 2pc across shards never creates or destroys money over 300 seeds of faults") {
  auto [invalid, errors] = failures("2pc", static_cast<std::uint64_t>(consim::test::sweep(300)));
  CHECK(invalid == 0);
  CHECK(errors == 0);
}

TEST_CASE("bank swarm: a saga with compensations never creates or destroys money over 300 seeds") {
  auto [invalid, errors] = failures("saga", static_cast<std::uint64_t>(consim::test::sweep(300)));
  CHECK(invalid == 0);
  CHECK(errors == 0);
}

TEST_CASE("bank swarm: transfers without coordination are found to create or destroy money") {
  auto [invalid, errors] = failures("none", 30);
  CHECK(invalid > 0);
  CHECK(errors == 0);
}

TEST_CASE(
    "bank swarm: 2pc over replica groups of three never creates or destroys money over 300 "
    "seeds") {
  auto [invalid, errors] = failures("2pc", static_cast<std::uint64_t>(consim::test::sweep(300)), 3);
  CHECK(invalid == 0);
  CHECK(errors == 0);
}

TEST_CASE(
    "bank swarm: a saga over replica groups of three never creates or destroys money over 300 "
    "seeds") {
  auto [invalid, errors] =
      failures("saga", static_cast<std::uint64_t>(consim::test::sweep(300)), 3);
  CHECK(invalid == 0);
  CHECK(errors == 0);
}

TEST_CASE("bank swarm: replica groups do not save transfers without coordination") {
  auto [invalid, errors] = failures("none", 30, 3);
  CHECK(invalid > 0);
  CHECK(errors == 0);
}

}  // namespace swarm_bank_test
