// Stories of the store models under partitions, told through the trace.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "story_support.h"

using namespace consim::test;
using nlohmann::json;

namespace story_models_test {

namespace {

json partition_minority(std::int64_t start_ms, std::int64_t heal_ms) {
  return json::array({{{"type", "partition"},
                       {"shape", "majority-minority"},
                       {"minority", {"n4", "n5"}},
                       {"start", std::to_string(start_ms) + "ms"},
                       {"heal", std::to_string(heal_ms) + "ms"}}});
}

// The final value each node exposes for each key, from the apply events.
std::map<std::string, std::map<std::int64_t, json>> final_values(const std::vector<json>& lines) {
  std::map<std::string, std::map<std::int64_t, json>> out;
  for (const auto& l : lines)
    if (l["type"] == "apply") out[l["node"]][l["key"]] = l["value"];
  return out;
}

}  // namespace

TEST_CASE("strong-2pc: a write during a partition fails and no replica changes") {
  json s = base_scenario("strong-2pc", 5, {"n1", "n2", "n3", "n4", "n5"});
  s["faults"] = partition_minority(1000, 3000);
  auto lines = run_story(s, "2pc-partition");
  std::map<std::uint64_t, std::int64_t> write_invoked;
  std::set<std::int64_t> failed_values;
  int writes_during = 0;
  for (const auto& l : lines) {
    if (l["type"] == "invoke" && l["f"] == "write") write_invoked[l["op"]] = l["time"];
    if (!l.contains("f") || l["f"] != "write" || l["type"] == "invoke") continue;
    std::int64_t began = write_invoked[l["op"]];
    if (began < ms(1000) + ms(10) || began >= ms(3000)) continue;
    ++writes_during;
    CHECK_MESSAGE(l["type"] != "ok", "write op " << l["op"] << " succeeded during the partition");
    if (l["type"] == "fail") failed_values.insert(l["value"].get<std::int64_t>());
  }
  CHECK(writes_during > 20);
  CHECK(failed_values.size() > 10);
  for (const auto& l : lines)
    if (l["type"] == "apply" && !l["value"].is_null())
      CHECK(failed_values.count(l["value"].get<std::int64_t>()) == 0);
}

TEST_CASE(
    "eventual-async: a read on the minority side during the partition is stale, "
    "and every replica holds the same value after the heal") {
  json s = base_scenario("eventual-async", 5, {"n1", "n5"});
  s["duration"] = "6s";
  s["workload"]["stop"] = "4s";
  s["faults"] = partition_minority(1000, 3000);
  auto lines = run_story(s, "eventual-partition");
  // Newest acknowledged write per key, and reads on n5 during the partition.
  std::map<std::int64_t, std::int64_t> newest_acked;                          // key -> value
  std::map<std::uint64_t, std::pair<std::int64_t, std::int64_t>> read_began;  // op -> (time, key)
  std::map<std::uint64_t, std::int64_t> newest_at_begin;
  int stale = 0;
  for (const auto& l : lines) {
    if (!l.contains("f")) continue;
    if (l["type"] == "ok" && l["f"] == "write") newest_acked[l["key"]] = l["value"];
    if (l["type"] == "invoke" && l["f"] == "read") {
      read_began[l["op"]] = {l["time"], l["key"]};
      auto it = newest_acked.find(l["key"]);
      if (it != newest_acked.end()) newest_at_begin[l["op"]] = it->second;
    }
    if (l["type"] == "ok" && l["f"] == "read" && l["node"] == "n5") {
      auto [began, key] = read_began[l["op"]];
      bool during = began > ms(1100) && began < ms(3000);
      auto expected = newest_at_begin.find(l["op"]);
      if (during && expected != newest_at_begin.end() && l["value"] != expected->second) ++stale;
    }
  }
  CHECK(stale > 10);
  auto finals = final_values(lines);
  REQUIRE(finals.size() == 5);
  for (const auto& [node, values] : finals) CHECK(values == finals.begin()->second);
}

namespace {

// Per node, the values of one writer's writes in the order the node applied them.
std::map<std::string, std::vector<std::int64_t>> apply_order(const std::vector<json>& lines) {
  std::map<std::string, std::vector<std::int64_t>> order;
  for (const auto& l : lines)
    if (l["type"] == "apply" && !l["value"].is_null()) order[l["node"]].push_back(l["value"]);
  return order;
}

json single_writer_with_reordering(const std::string& model) {
  json s = base_scenario(model, 4, {"n1"});
  s["workload"]["read_fraction"] = 0.0;
  s["workload"]["keys"] = 4;
  s["workload"]["think_time"] = {{"type", "constant"}, {"value", "2ms"}};
  s["network"]["default_link"]["latency"] = {{"type", "uniform"}, {"min", "1ms"}, {"max", "40ms"}};
  s["duration"] = "2s";
  return s;
}

}  // namespace

TEST_CASE("causal: no replica ever shows a write before a write it depends on") {
  // One client writes; each write depends on every earlier one, so every
  // replica must apply them in increasing value order although the network
  // reorders messages heavily.
  auto lines = run_story(single_writer_with_reordering("causal"), "causal-order");
  auto order = apply_order(lines);
  REQUIRE(order.size() == 4);
  for (const auto& [node, values] : order) {
    CHECK(values.size() > 100);
    for (std::size_t i = 1; i < values.size(); ++i)
      REQUIRE_MESSAGE(values[i - 1] < values[i],
                      node << " applied " << values[i] << " after " << values[i - 1]);
  }
}

TEST_CASE("eventual-async: with the same reordering network, replicas apply writes out of order") {
  auto lines = run_story(single_writer_with_reordering("eventual-async"), "eventual-order");
  int inversions = 0;
  for (const auto& [node, values] : apply_order(lines))
    for (std::size_t i = 1; i < values.size(); ++i) inversions += values[i - 1] > values[i];
  CHECK(inversions > 10);
}

}  // namespace story_models_test
