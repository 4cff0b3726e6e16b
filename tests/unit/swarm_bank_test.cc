// The bank under consim swarm (cli/swarm.h) on scenarios/bank-swarm.json
// and the default nemesis (partitions, crashes, pauses, clock jumps, loss
// and duplication): 2pc and saga never create or destroy money over 300
// seeds; no coordination is found to on some seed.
#include <doctest/doctest.h>

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

// The swarm scenario under the bank model with `method`.
Scenario with_method(const std::string& method) {
  Scenario s = swarm_scenario(kSwarm, std::nullopt);
  ModelScenario ms;
  for (const auto& n : s.nodes) ms.node_names.push_back(n.name);
  const BankWorkload& b = *s.workload.bank;
  ms.accounts = AccountsSpec{b.accounts, b.initial_balance, b.negative_allowed};
  const nlohmann::json params = {{"method", method}, {"step_timeout", "40ms"}};
  s.model_config = find_model("bank")->parse(JsonReader(params, "test", "$.model.params"), ms);
  return s;
}

// Seeds the bank checker found invalid, and seeds whose run failed.
std::pair<std::uint64_t, std::uint64_t> failures(const std::string& method, std::uint64_t seeds) {
  SwarmOptions o;
  o.seeds = seeds;
  o.jobs = 2;
  o.checkers = *parse_checker_list("bank");
  std::uint64_t invalid = 0, errors = 0;
  for (const SeedResult& r : run_swarm(with_method(method), o)) {
    CHECK_MESSAGE(r.error.empty(), "seed " << r.seed << ": " << r.error);
    errors += !r.error.empty();
    for (const auto& [name, verdict] : r.verdicts) invalid += verdict == Verdict::Invalid;
  }
  return {invalid, errors};
}

}  // namespace

TEST_CASE("bank swarm: 2pc across shards never creates or destroys money over 300 seeds of faults") {
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

}  // namespace swarm_bank_test
