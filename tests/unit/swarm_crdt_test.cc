// The OR-set and the PN-counter under random faults: every model whose
// registry row serves sets and counters (eventual-async, causal, quorum,
// multi-leader today), each with its defaults, on a small cart or counter
// workload with the swarm's default nemesis (every
// fault kind it can draw: partitions of every shape, crashes, pauses, clock
// jumps, loss, duplication), many seeds. After the faults end and the final
// reads are taken, no acknowledged add is lost, no removed item comes back,
// every node holds the same cart, and every counter reads exactly within
// the bounds of its acknowledged increments.
//
// Each node's client adds and removes its own items (disjoint ranges), so
// no item is ever added on one replica while another removes it: the
// OR-set's add-wins then never applies and its verdict must be exactly
// valid (docs/crdts.md, "cart").
#include <doctest/doctest.h>

#include "analysis/checkers/cart_check.h"
#include "analysis/checkers/counter_check.h"
#include "analysis/trace/history_loader.h"
#include "cli/swarm.h"
#include "story_support.h"
#include "tests/unit/test_scale.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace swarm_crdt_test {

namespace {

json swarm_doc(const std::string& type, const std::string& model) {
  json groups = json::array();
  for (int i = 0; i < 3; ++i) {
    json g = {
        {"name", "c" + std::to_string(i)}, {"count", 1}, {"nodes", {"n" + std::to_string(i + 1)}}};
    if (type == "set") g["workload"] = {{"items", {5 * i + 1, 5 * i + 5}}};
    groups.push_back(g);
  }
  json workload = {
      {"type", type},         {"keys", 2},
      {"read_fraction", 0.3}, {"think_time", {{"type", "exponential"}, {"mean", "20ms"}}},
      {"timeout", "200ms"},   {"stop", "3.5s"},
      {"final_reads", "7s"}};
  if (type == "set") workload["remove_fraction"] = 0.3;
  if (type == "counter") workload["decrement_fraction"] = 0.2;
  return {
      {"name", "swarm-crdt"},
      {"duration", "8s"},
      {"nodes", {"n1", "n2", "n3"}},
      {"network",
       {{"default_link", {{"latency", {{"type", "uniform"}, {"min", "1ms"}, {"max", "3ms"}}}}}}},
      {"model", model},
      {"clients", groups},
      {"workload", workload},
      {"nemesis", default_nemesis_json(4 * kSecond, 3)},
      {"trace", {{"level", "ops"}}}};
}

History run_seed(const Scenario& s, const std::string& tag) {
  auto path = temp_trace_path(tag);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  History h = load_history(path.string());
  std::filesystem::remove(path);
  return h;
}

}  // namespace

// The models that serve workload.type `type`, from the registry.
std::vector<std::string> crdt_models(std::string_view type) {
  std::vector<std::string> out;
  for (const ModelInfo& m : model_registry())
    if (serves(m.name, type)) out.push_back(m.name);
  return out;
}

TEST_CASE("crdt swarm: the OR-set loses no add and resurrects no remove under random faults") {
  const auto seeds = static_cast<std::uint64_t>(sweep(300));
  for (const std::string& model : crdt_models("set")) {
    INFO(model);
    Scenario s = parse_scenario(swarm_doc("set", model), "swarm-crdt-set.json", model_registry());
    std::uint64_t invalid = 0, diverged = 0, adds = 0, removes = 0;
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
      s.seed = seed;
      History h = run_seed(s, "swarm-crdt-set");
      CartCheck c = check_cart(h.sets);
      REQUIRE(h.sets.final_reads.size() > 0);
      if (c.result.verdict != Verdict::Valid) {
        ++invalid;
        MESSAGE(model << " seed " << seed << ": " << c.result.violations.front().reason);
      }
      diverged += c.diverged_keys > 0;
      adds += c.acknowledged_adds;
      removes += c.acknowledged_removes;
    }
    CHECK(invalid == 0);
    CHECK(diverged == 0);
    CHECK(adds > seeds * 50);  // a strict quorum refuses some during partitions
    CHECK(removes > seeds * 20);
  }
}

TEST_CASE("crdt swarm: the PN-counter loses no increment under random faults") {
  const auto seeds = static_cast<std::uint64_t>(sweep(300));
  for (const std::string& model : crdt_models("counter")) {
    INFO(model);
    Scenario s =
        parse_scenario(swarm_doc("counter", model), "swarm-crdt-counter.json", model_registry());
    std::uint64_t invalid = 0, final_reads = 0;
    for (std::uint64_t seed = 1; seed <= seeds; ++seed) {
      s.seed = seed;
      CounterCheck c = check_counter(run_seed(s, "swarm-crdt-counter").counters);
      if (c.result.verdict != Verdict::Valid) {
        ++invalid;
        MESSAGE(model << " seed " << seed << ": " << c.result.violations.front().reason);
      }
      final_reads += c.final_reads;
    }
    CHECK(invalid == 0);
    CHECK(final_reads >= seeds * 4);  // 6 per seed, less reads of a node down or cut off then
  }
}

}  // namespace swarm_crdt_test
