// Issue 9's convergence property under consim swarm (cli/swarm.h): every
// replica converges after the last fault heals, for every seed of 300 with
// random faults (the default nemesis), for every model that takes a
// "conflict" parameter and every strategy it accepts, with anti-entropy on
// where the model has it. Nothing here names a model or a strategy: the
// models are those of the registry whose parser accepts "conflict", the
// strategies those of conflict::strategy_names(). The siblings-kept checker
// runs beside converged: no acknowledged write vanishes without a write
// that covers it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "analysis/checkers/checks.h"
#include "base/json_input.h"
#include "cli/swarm.h"
#include "models/conflict.h"
#include "models/registry.h"
#include "tests/unit/test_scale.h"

namespace swarm_convergence_test {

using namespace consim;

const std::string kScenario = CONSIM_SOURCE_DIR "/scenarios/swarm-convergence.json";

ModelScenario three_nodes() {
  ModelScenario s;
  for (NodeId n = 0; n < 3; ++n) s.node_names.push_back("n" + std::to_string(n + 1));
  return s;
}

// Whether the model's parser accepts `params` (an unknown key is an error).
bool accepts(const ModelInfo& model, const nlohmann::json& params) {
  try {
    model.parse(JsonReader(params, "probe", "$.model.params"), three_nodes());
    return true;
  } catch (const InputError&) {
    return false;
  }
}

// The parameters a convergence run uses: the strategy, and anti-entropy
// every 100 ms where the model has it.
nlohmann::json convergence_params(const ModelInfo& model, const std::string& strategy) {
  nlohmann::json params = {{"conflict", strategy}};
  if (accepts(model, {{"anti_entropy", "100ms"}})) params["anti_entropy"] = "100ms";
  return params;
}

// Seeds of the swarm below where siblings-kept finds a sibling dropped
// without a merge: a known defect of the models' compact version vectors
// (models/conflict.h; docs/models.md, "Known defect: compact contexts"),
// not of the checker. Counters are per node over all
// keys and a context is one count per node, so a client's context after a
// blind write, {n3:71} (its own dot), also claims every older dot of n3:
// its next write supersedes a concurrent sibling n3:65 that another client
// wrote and this one never read (after an info a client carries on with a
// fresh session, so its next write is blind). Dotted version vectors keep
// the dot apart from the context ({} plus n3:71) and do not. The test case
// after this one replays seed 203.
std::set<std::uint64_t> known_drops(const std::string& model) {
  if (model == "quorum") return {110, 203};
  return {};
}

TEST_CASE(
    "swarm: every replica converges after the last fault, for every model with a conflict "
    "parameter and every strategy (300 seeds each)") {
  const std::uint64_t seeds = static_cast<std::uint64_t>(consim::test::sweep(300));
  std::size_t models = 0;
  for (const ModelInfo& model : model_registry()) {
    if (!accepts(model, {{"conflict", conflict::strategy_names().front()}})) continue;
    ++models;
    for (const std::string& strategy : conflict::strategy_names()) {
      const nlohmann::json params = convergence_params(model, strategy);
      CAPTURE(model.name);
      CAPTURE(params.dump());
      Scenario s = swarm_scenario(kScenario, std::nullopt);
      s.model_name = model.name;
      s.model_config = model.parse(JsonReader(params, "test", "$.model.params"), three_nodes());
      SwarmOptions o;
      o.seeds = seeds;
      o.jobs = 2;
      o.checkers = {"converged", "siblings-kept"};
      std::uint64_t failed = 0, unknown = 0;
      std::set<std::uint64_t> dropped;
      for (const SeedResult& r : run_swarm(s, o)) {
        CHECK_MESSAGE(r.error.empty(), "seed " << r.seed << ": " << r.error);
        for (const auto& [name, verdict] : r.verdicts) {
          if (name == "converged") {
            CHECK_MESSAGE(verdict != Verdict::Invalid, "seed " << r.seed << " did not converge");
            failed += verdict == Verdict::Invalid;
            unknown += verdict == Verdict::Unknown;
          } else {
            if (verdict == Verdict::Invalid) dropped.insert(r.seed);
          }
        }
      }
      CHECK(failed == 0);
      CHECK(unknown == 0);  // every fault that ends has ended: the verdict is final
      // No sibling is dropped without a merge (lww: not applicable, valid),
      // but for the known defect below.
      const std::set<std::uint64_t> known =
          strategy == "lww" ? std::set<std::uint64_t>{} : known_drops(model.name);
      for (std::uint64_t seed : dropped)
        CHECK_MESSAGE(known.count(seed) == 1, "seed " << seed << " dropped a sibling");
      MESSAGE(model.name << " " << strategy << ": siblings-kept invalid on " << dropped.size()
                         << " of " << seeds << " seeds");
    }
  }
  CHECK(models >= 2);  // eventual-async and quorum at least
}

TEST_CASE(
    "siblings-kept: quorum swarm seed 203 drops a sibling without a merge (known defect: a blind "
    "write's context covers its coordinator's older dots)") {
  const ModelInfo* quorum = find_model("quorum");
  REQUIRE(quorum);
  for (const std::string strategy : {"version-vectors", "mv-register"}) {
    CAPTURE(strategy);
    Scenario s = swarm_scenario(kScenario, std::nullopt);
    s.model_config = quorum->parse(
        JsonReader(convergence_params(*quorum, strategy), "test", "$.model.params"), three_nodes());
    SwarmOptions o;
    o.seeds = 1;
    o.first_seed = 203;
    o.checkers = {"siblings-kept"};
    const std::vector<SeedResult> results = run_swarm(s, o);
    REQUIRE(results.size() == 1);
    REQUIRE(results[0].verdicts.size() == 1);
    CHECK(results[0].verdicts[0].second == Verdict::Invalid);
  }
}

TEST_CASE("swarm: without anti-entropy a quorum store misses writes for good on some seed") {
  // What anti-entropy is for: a replica cut off while a write reached W
  // others keeps its old value, since nothing else repairs keys not read.
  // Found among the first 100 seeds.
  for (const ModelInfo& model : model_registry()) {
    if (!accepts(model, {{"anti_entropy", "off"}}) || !accepts(model, {{"read_repair", "off"}}))
      continue;
    CAPTURE(model.name);
    Scenario s = swarm_scenario(kScenario, std::nullopt);
    s.model_name = model.name;
    const nlohmann::json params = {{"anti_entropy", "off"}};
    s.model_config = model.parse(JsonReader(params, "test", "$.model.params"), three_nodes());
    SwarmOptions o;
    o.seeds = 100;
    o.jobs = 2;
    o.checkers = {"converged"};
    std::uint64_t failed = 0;
    for (const SeedResult& r : run_swarm(s, o)) failed += r.failed();
    CHECK(failed > 0);
  }
}

}  // namespace swarm_convergence_test
