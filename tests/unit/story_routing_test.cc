// Stories of routing: nodes are hosts, not routers. Under the default
// "direct" routing a message between two nodes takes their own link, however
// slow; under "shortest-path" it may be relayed, but never through a node
// that is crashed or paused. Told through send and deliver lines.
#include <doctest/doctest.h>

#include <map>

#include "story_support.h"

using namespace consim::test;
using nlohmann::json;

namespace story_routing_test {

namespace {

// Three nodes, 1 ms links, except n1 - n3 at 300 ms; one writing client on n1
// (eventual-async replicates each write to n2 and n3 at once).
json slow_link_scenario() {
  json s = base_scenario("eventual-async", 3, {"n1"});
  s["workload"]["read_fraction"] = 0.0;
  s["network"]["links"] = json::array(
      {{{"between", {"n1", "n3"}}, {"latency", {{"type", "constant"}, {"value", "300ms"}}}}});
  return s;
}

struct Transits {
  // send time -> transit time of n1 -> n3 messages delivered.
  std::map<std::int64_t, std::int64_t> n1_to_n3;
};

Transits transits(const std::vector<json>& lines) {
  std::map<std::uint64_t, std::int64_t> sent;
  Transits out;
  for (const auto& l : lines) {
    if (l["type"] == "send" && l["from"] == "n1" && l["to"] == "n3")
      sent[l["msg"].get<std::uint64_t>()] = l["time"].get<std::int64_t>();
    if (l["type"] == "deliver" && l["from"] == "n1" && l["to"] == "n3") {
      std::int64_t at = sent.at(l["msg"].get<std::uint64_t>());
      out.n1_to_n3[at] = l["time"].get<std::int64_t>() - at;
    }
  }
  return out;
}

}  // namespace

TEST_CASE("routing: by default a message takes its own link, not a faster relay") {
  auto lines = run_story(slow_link_scenario(), "routing-direct");
  Transits t = transits(lines);
  REQUIRE(t.n1_to_n3.size() > 50);
  for (const auto& [at, took] : t.n1_to_n3) CHECK(took == ms(300));
}

TEST_CASE("routing: shortest-path relays through n2, and not while n2 is crashed or paused") {
  json s = slow_link_scenario();
  s["network"]["routing"] = "shortest-path";
  s["faults"] = json::array({{{"type", "crash"}, {"node", "n2"}, {"at", "1s"}, {"restart", "2s"}},
                             {{"type", "pause"}, {"node", "n2"}, {"at", "3s"}}});
  Transits t = transits(run_story(s, "routing-shortest"));
  int relayed = 0, direct_while_down = 0;
  for (const auto& [at, took] : t.n1_to_n3) {
    bool n2_down = (at >= ms(1000) && at < ms(2000)) || at >= ms(3000);
    CHECK(took == (n2_down ? ms(300) : ms(2)));
    (n2_down ? direct_while_down : relayed) += 1;
  }
  CHECK(relayed > 50);
  CHECK(direct_while_down > 50);
}

TEST_CASE("routing: with a relay down and no other route, the pair is cut until it returns") {
  // A line n1 - n2 - n3: n1 reaches n3 only through n2.
  json s = base_scenario("eventual-async", 3, {"n1"});
  s["workload"]["read_fraction"] = 0.0;
  s["network"]["mesh"] = false;
  s["network"]["routing"] = "shortest-path";
  s["network"]["links"] = json::array({{{"between", {"n1", "n2"}}}, {{"between", {"n2", "n3"}}}});
  s["faults"] = json::array({{{"type", "crash"}, {"node", "n2"}, {"at", "1s"}, {"restart", "2s"}}});
  auto lines = run_story(s, "routing-line");
  int no_route = 0;
  for (const auto& l : lines) {
    if (l["type"] == "drop" && l["from"] == "n1" && l["to"] == "n3") {
      CHECK(l["reason"] == "no route");
      std::int64_t at = l["time"];
      CHECK((at >= ms(1000) && at < ms(2000)));
      ++no_route;
    }
  }
  CHECK(no_route > 50);
  Transits t = transits(lines);
  for (const auto& [at, took] : t.n1_to_n3) {
    CHECK_FALSE((at >= ms(1000) && at < ms(2000)));
    CHECK(took == ms(2));
  }
}

}  // namespace story_routing_test
