// The scenario loader on small inline documents: the defaults users rely on
// when they leave parts out, how clients bind, how links inherit, how faults
// are named, the partition shape table, and the model override.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "models/registry.h"
#include "sim/partition.h"
#include "sim/scenario_loader.h"

using namespace consim;

namespace loader_values_test {

namespace {

// A valid three-node scenario with `extra` spliced in as more top-level keys.
Scenario load(const std::string& extra = "") {
  std::string text =
      R"({"name": "t", "duration": "10s", "nodes": ["n1", "n2", "n3"], "model": "causal")" +
      (extra.empty() ? "" : ", " + extra) + "}";
  return parse_scenario_text(text, "inline.json", model_registry());
}

std::string error_of(const std::string& extra) {
  try {
    load(extra);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("loader: a minimal scenario gets the documented defaults") {
  Scenario s = load();
  CHECK(s.file == "inline.json");
  CHECK(s.description == "");
  CHECK(s.seed == 1);
  CHECK(s.topology.mesh);
  CHECK(s.topology.regions.empty());
  CHECK(s.topology.default_link.latency.mean() == 1e6);
  CHECK(s.topology.default_link.loss == 0);
  CHECK(s.cut_policy == CutPolicy::Drop);
  CHECK(s.model_name == "causal");
  REQUIRE(s.clients.size() == 3);
  CHECK(s.clients[2].node == "n3");
  CHECK(s.clients[2].fallback.empty());
  CHECK(s.workload.read_fraction == 0.5);
  CHECK(s.workload.keys == 10);
  CHECK(s.workload.loop == LoopKind::Closed);
  CHECK(s.workload.think_time.mean() == 10e6);
  CHECK(s.workload.timeout == kSecond);
  CHECK_FALSE(s.workload.stop.has_value());
  CHECK(s.faults.empty());
  CHECK_FALSE(s.nemesis.has_value());
  CHECK(s.trace_level == TraceLevel::Full);
}

TEST_CASE("loader: group clients bind round-robin and skip their own node among fallbacks") {
  Scenario s = load(R"("clients": {"count": 5, "nodes": ["n2", "n3"], "fallback": ["n3", "n1"]})");
  REQUIRE(s.clients.size() == 5);
  CHECK(s.clients[0].node == "n2");
  CHECK(s.clients[1].node == "n3");
  CHECK(s.clients[4].node == "n2");
  CHECK(s.clients[0].fallback == std::vector<std::string>{"n3", "n1"});
  CHECK(s.clients[1].fallback == std::vector<std::string>{"n1"});
}

TEST_CASE("loader: a client listing its own node as fallback is rejected") {
  CHECK(error_of(R"("clients": [{"node": "n1", "fallback": ["n2", "n1"]}])") ==
        "inline.json: $.clients[0].fallback[1]: \"n1\" is the client's own node, not a fallback");
}

TEST_CASE("loader: link fields left out come from default_link") {
  Scenario s = load(R"("network": {"default_link": {"latency": "3ms", "loss": 0.2},
      "links": [{"between": ["n1", "n2"], "duplicate": 0.5}]})");
  REQUIRE(s.topology.links.size() == 1);
  const LinkSpec& l = s.topology.links[0].spec;
  CHECK(l.latency.mean() == 3e6);
  CHECK(l.loss == 0.2);
  CHECK(l.duplicate == 0.5);
  CHECK_FALSE(s.topology.links[0].one_way);
}

TEST_CASE("loader: a two-way link and a one-way link over the same pair collide") {
  CHECK(error_of(R"("network": {"links": [{"between": ["n1", "n2"]},
      {"between": ["n2", "n1"], "one_way": true}]})") ==
        "inline.json: $.network.links[1].between: the link n2 -> n1 is already given by "
        "$.network.links[0]");
}

TEST_CASE("loader: regions and mesh exclude each other") {
  CHECK(
      error_of(
          R"("network": {"mesh": true, "regions": [{"name": "a", "nodes": ["n1", "n2", "n3"]}]})") ==
      "inline.json: $.network.mesh: regions already link every pair of nodes: drop \"mesh\" or "
      "\"regions\"");
}

TEST_CASE("loader: open loop workload reads rate; think_time is left at its default") {
  Scenario s = load(R"("workload": {"rate": 250, "stop": "10s"})");
  CHECK(s.workload.loop == LoopKind::Open);
  CHECK(s.workload.rate_per_second == 250);
  CHECK(s.workload.stop == 10 * kSecond);
}

TEST_CASE("loader: unnamed faults are named by type and rank, named ones included") {
  Scenario s = load(R"("faults": [
      {"type": "crash", "node": "n1", "at": "1s", "restart": "2s"},
      {"type": "partition", "shape": "random-halves", "start": "1s"},
      {"type": "crash", "name": "boom", "node": "n1", "at": "3s", "restart": "4s"},
      {"type": "crash", "node": "n1", "at": "5s"}])");
  REQUIRE(s.faults.size() == 4);
  CHECK(s.faults[0].name == "crash 1");
  CHECK(s.faults[1].name == "partition 1");
  CHECK(s.faults[2].name == "boom");
  CHECK(s.faults[3].name == "crash 3");
  CHECK(s.faults[0].end == 2 * kSecond);
  CHECK_FALSE(s.faults[3].end.has_value());
}

TEST_CASE(
    "loader: a crash that would still be down when an earlier-listed crash starts is rejected") {
  CHECK(error_of(R"("faults": [
      {"type": "crash", "node": "n1", "at": "5s", "restart": "8s"},
      {"type": "crash", "node": "n1", "at": "2s", "restart": "6s"}])") ==
        "inline.json: $.faults[1].restart: n1 would still be crashed at 5s, when \"crash 1\" "
        "crashes it (5s to 8s)");
}

TEST_CASE("loader: back-to-back crashes of one node are fine") {
  Scenario s = load(R"("faults": [
      {"type": "crash", "node": "n1", "at": "1s", "restart": "2s"},
      {"type": "pause", "node": "n1", "at": "2s", "resume": "3s"}])");
  CHECK(s.faults.size() == 2);
}

TEST_CASE("loader: distributions keep their parameters in nanoseconds") {
  Scenario s = load(R"("workload": {"think_time": {"type": "mixture", "components": [
      {"weight": 3, "dist": {"type": "pareto", "scale": "2ms", "shape": 1.5}},
      {"weight": 1, "dist": {"type": "empirical", "cdf": [["1ms", 0], ["3ms", 1]]}}]}})");
  const auto* m = std::get_if<dist::Mixture>(&s.workload.think_time.kind());
  REQUIRE(m != nullptr);
  CHECK(m->weights == std::vector<double>{3, 1});
  const auto* p = std::get_if<dist::Pareto>(&m->parts[0].kind());
  REQUIRE(p != nullptr);
  CHECK(p->scale == 2e6);
  CHECK(p->shape == 1.5);
  const auto* e = std::get_if<dist::Empirical>(&m->parts[1].kind());
  REQUIRE(e != nullptr);
  CHECK(e->points.back() == std::pair<double, double>{3e6, 1.0});
}

TEST_CASE("loader: a key repeated inside a nested object is named by its path") {
  CHECK(error_of(R"("workload": {"keys": 5, "keys": 6})") ==
        "inline.json: $.workload.keys: key \"keys\" appears twice in this object");
  CHECK(error_of(R"("faults": [{"type": "crash", "node": "n1", "at": "1s"},
      {"type": "crash", "node": "n2", "at": "1s", "at": "2s"}])") ==
        "inline.json: $.faults[1].at: key \"at\" appears twice in this object");
}

TEST_CASE("loader: the model may be given as a bare name or an object without params") {
  CHECK(load().model_config != nullptr);
  std::string text =
      R"({"name": "t", "duration": "1s", "nodes": ["a"], "model": {"name": "strong-2pc"}})";
  Scenario s = parse_scenario_text(text, "inline.json", model_registry());
  CHECK(s.model_name == "strong-2pc");
  CHECK(s.model_config != nullptr);
}

TEST_CASE("loader: a model override swaps the model and keeps the source as read") {
  Scenario s = load();
  apply_model_override(s, model_registry(), "strong-2pc");
  CHECK(s.model_name == "strong-2pc");
  CHECK(s.model_config != nullptr);
  REQUIRE(s.source != nullptr);
  CHECK((*s.source)["model"] == "causal");
  CHECK_THROWS_WITH_AS(
      apply_model_override(s, model_registry(), "no-such-model"),
      ("inline.json: $.model.name: unknown model \"no-such-model\" given as override; "
       "valid models: " +
       join_names(model_names()))
          .c_str(),
      InputError);
  CHECK(s.model_name == "strong-2pc");
}

TEST_CASE("loader: a model override naming the scenario's own model keeps its parameters") {
  std::string text = R"({"name": "t", "duration": "1s", "nodes": ["a", "b", "c", "d", "e"],
    "model": {"name": "quorum", "params": {"n": 3, "r": 1, "w": 1}}})";
  Scenario s = parse_scenario_text(text, "inline.json", model_registry());
  auto own = s.model_config;
  apply_model_override(s, model_registry(), "quorum");
  CHECK(s.model_name == "quorum");
  CHECK(s.model_config == own);  // not a fresh config with n=5 of the defaults
  apply_model_override(s, model_registry(), "raft");
  CHECK(s.model_config != own);
}

TEST_CASE("partition shapes: every name is found and has a description") {
  REQUIRE_FALSE(partition_shapes().empty());
  for (const auto& info : partition_shapes()) {
    CAPTURE(info.name);
    CHECK(find_shape(info.name) == &info);
    CHECK(std::string(info.description).size() > 10);
  }
  CHECK(find_shape("majority") == nullptr);
}

TEST_CASE("loader: a null where a value belongs is called null, once") {
  CHECK(error_of(R"("network": {"client_latency": null})") ==
        "inline.json: $.network.client_latency: expected a distribution: an object with "
        "\"type\", or a duration such as \"5ms\"; got null");
  CHECK(error_of(R"("workload": {"timeout": null})") ==
        "inline.json: $.workload.timeout: expected a duration with a unit such as \"10ms\", "
        "got null");
}

}  // namespace loader_values_test
