// consim swarm (cli/swarm.h): the default nemesis comes from the registries,
// the strong model survives hundreds of seeds, the eventual one is caught,
// and the results do not depend on the number of threads. Iterates the
// fault kind and model registries; pins no list.
#include "cli/swarm.h"

#include <doctest/doctest.h>

#include "tests/unit/story_support.h"
#include "tests/unit/test_scale.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "models/registry.h"
#include "sim/fault_kind.h"
#include "sim/partition.h"

using namespace consim;

namespace swarm_test {

namespace {

const std::string kSmall = CONSIM_SOURCE_DIR "/scenarios/swarm-small.json";

std::vector<std::string> checks(const char* list) { return *parse_checker_list(list); }

std::uint64_t failures(const std::vector<SeedResult>& results, const std::string& checker) {
  std::uint64_t n = 0;
  for (const SeedResult& r : results) {
    CHECK_MESSAGE(r.error.empty(), "seed " << r.seed << ": " << r.error);
    for (const auto& [name, verdict] : r.verdicts)
      n += name == checker && verdict == Verdict::Invalid;
  }
  return n;
}

}  // namespace

TEST_CASE("swarm: the default nemesis draws every fault kind the nemesis can draw") {
  nlohmann::json nemesis = default_nemesis_json(10 * kSecond, 5);
  for (const FaultKindEntry* kind : fault_kinds()) {
    CAPTURE(kind->name);
    bool listed = std::find(nemesis["kinds"].begin(), nemesis["kinds"].end(), kind->name) !=
                  nemesis["kinds"].end();
    CHECK(listed == (kind->draw != nullptr));
    // A drawable kind with a nemesis parameter needs the swarm's value for it.
    if (kind->draw && kind->nemesis_key) CHECK(kind->swarm_value != nullptr);
  }
  CHECK(nemesis["start"] == "1000000000ns");
  CHECK(nemesis["end"] == "6000000000ns");
}

TEST_CASE("swarm: a scenario without a nemesis gets the default one; a model override applies") {
  for (const std::string& model : model_names()) {
    if (!serves_register(model)) continue;  // its own workload's swarm: swarm_bank_test.cc
    Scenario s = swarm_scenario(kSmall, model);
    CHECK(s.model_name == model);
    REQUIRE(s.nemesis);
    CHECK(s.nemesis->kinds.size() == nemesis_kind_names().size());
  }
}

TEST_CASE("swarm: every model runs 20 seeds of random faults without a run error") {
  for (const std::string& model : model_names()) {
    if (!serves_register(model)) continue;  // its own workload's swarm: swarm_bank_test.cc
    CAPTURE(model);
    SwarmOptions o;
    o.seeds = consim::test::scaled(20, 5);  // 5 under ASan (tests/unit/test_scale.h)
    o.checkers = checks("all");
    for (const SeedResult& r : run_swarm(swarm_scenario(kSmall, model), o)) {
      CHECK_MESSAGE(r.error.empty(), "seed " << r.seed << ": " << r.error);
      CHECK(r.verdicts.size() == checker_names().size());
    }
  }
}

TEST_CASE("swarm: strong-2pc over 300 seeds of random faults is never found non-linearizable") {
  SwarmOptions o;
  o.seeds = static_cast<std::uint64_t>(consim::test::sweep(300));
  o.jobs = 2;
  o.checkers = checks("linearizable");
  std::vector<SeedResult> results = run_swarm(swarm_scenario(kSmall, "strong-2pc"), o);
  CHECK(results.size() == o.seeds);
  CHECK(failures(results, "linearizable") == 0);
}

TEST_CASE("swarm: eventual-async is found to violate linearizability") {
  SwarmOptions o;
  o.seeds = 20;
  o.checkers = checks("linearizable");
  std::vector<SeedResult> results = run_swarm(swarm_scenario(kSmall, "eventual-async"), o);
  CHECK(failures(results, "linearizable") > 10);
}

TEST_CASE("swarm: one thread or two, the same seeds give the same results in seed order") {
  SwarmOptions o;
  o.first_seed = 40;
  o.seeds = 16;
  o.checkers = checks("all");
  const Scenario s = swarm_scenario(kSmall, "causal");
  std::vector<std::uint64_t> order;
  std::vector<SeedResult> one =
      run_swarm(s, o, [&](const SeedResult& r) { order.push_back(r.seed); });
  o.jobs = 2;
  std::vector<SeedResult> two = run_swarm(s, o);
  REQUIRE(one.size() == 16);
  REQUIRE(two.size() == 16);
  for (std::size_t i = 0; i < one.size(); ++i) {
    CHECK(order[i] == 40 + i);
    CHECK(one[i].seed == 40 + i);
    CHECK(two[i].seed == 40 + i);
    CHECK(one[i].verdicts == two[i].verdicts);
  }
}

}  // namespace swarm_test
