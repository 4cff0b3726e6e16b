// Stories of the engine: partitions, one-way cuts, held messages, crashes,
// pauses and clocks, told through the trace a user would read.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "story_support.h"

using namespace consim::test;
using nlohmann::json;

namespace story_engine_test {

TEST_CASE("a one-way cut drops a->b but delivers b->a") {
  json s = base_scenario("eventual-async", 2, {"n1", "n2"});
  s["workload"]["read_fraction"] = 0.0;
  s["faults"] = json::array({{{"type", "partition"},
                              {"shape", "one-way"},
                              {"from", {"n1"}},
                              {"to", {"n2"}},
                              {"start", "1s"},
                              {"heal", "3s"}}});
  auto lines = run_story(s, "one-way");
  int dropped_forward = 0, delivered_back = 0, delivered_forward_during = 0;
  for (const auto& l : lines) {
    std::int64_t t = l.value("time", std::int64_t{0});
    bool during = t >= ms(1000) + ms(5) && t < ms(3000);
    if (!during) continue;
    if (l["type"] == "drop" && l["from"] == "n1" && l["to"] == "n2") {
      CHECK(l["reason"] == "partition");
      ++dropped_forward;
    }
    if (l["type"] == "deliver" && l["from"] == "n2" && l["to"] == "n1") ++delivered_back;
    if (l["type"] == "deliver" && l["from"] == "n1" && l["to"] == "n2") ++delivered_forward_during;
  }
  CHECK(dropped_forward > 10);
  CHECK(delivered_back > 10);
  CHECK(delivered_forward_during == 0);
  auto parts = fault_lines(lines, "partition");
  REQUIRE(parts.size() == 1);
  CHECK(parts[0]["cuts"] == json::array({json::array({"n1", "n2"})}));
}

TEST_CASE("held messages arrive after the heal") {
  json s = base_scenario("eventual-async", 3, {"n1"});
  s["workload"]["read_fraction"] = 0.0;
  s["network"]["cut_policy"] = "hold";
  s["faults"] = json::array({{{"type", "partition"},
                              {"shape", "isolate"},
                              {"node", "n1"},
                              {"start", "1s"},
                              {"heal", "2s"}}});
  auto lines = run_story(s, "hold");
  std::set<std::uint64_t> held;
  for (const auto& l : lines)
    if (l["type"] == "hold") held.insert(l["msg"].get<std::uint64_t>());
  REQUIRE(held.size() > 5);
  std::set<std::uint64_t> arrived;
  for (const auto& l : lines) {
    if (l["type"] == "drop") CHECK(held.count(l["msg"].get<std::uint64_t>()) == 0);
    if (l["type"] == "deliver" && held.count(l["msg"].get<std::uint64_t>())) {
      CHECK(l["time"].get<std::int64_t>() >= ms(2000));
      arrived.insert(l["msg"].get<std::uint64_t>());
    }
  }
  CHECK(arrived == held);
}

TEST_CASE("a crashed node answers nothing until restarted") {
  json s = base_scenario("eventual-async", 3, {"n2"});
  s["faults"] =
      json::array({{{"type", "crash"}, {"node", "n2"}, {"at", "1s"}, {"restart", "2500ms"}}});
  auto lines = run_story(s, "crash");
  std::map<std::uint64_t, std::int64_t> invoked;
  int timed_out = 0, ok_after = 0;
  for (const auto& l : lines) {
    std::int64_t t = l.value("time", std::int64_t{0});
    if (l["type"] == "invoke") invoked[l["op"]] = t;
    bool down = t > ms(1000) && t < ms(2500);
    if (l["type"] == "deliver" && l["to"] == "n2") CHECK_FALSE(down);
    if (l["type"] == "ok") {
      std::int64_t began = invoked[l["op"]];
      CHECK_FALSE((began >= ms(1000) && began < ms(2500)));
      if (began > ms(2500)) ++ok_after;
    }
    if (l["type"] == "info" && l["reason"] == "timeout") ++timed_out;
    if (l["type"] == "drop" && l["to"] == "n2" && down) CHECK(l["reason"] == "crashed");
  }
  CHECK(timed_out >= 5);
  CHECK(ok_after > 20);
  CHECK(fault_lines(lines, "crash").size() == 1);
  CHECK(fault_lines(lines, "restart").size() == 1);
}

TEST_CASE("a paused node runs what arrived while paused when it resumes") {
  json s = base_scenario("eventual-async", 2, {"n1"});
  s["workload"]["read_fraction"] = 0.0;
  s["faults"] =
      json::array({{{"type", "pause"}, {"node", "n2"}, {"at", "1s"}, {"resume", "1500ms"}}});
  auto lines = run_story(s, "pause");
  int applied_on_resume = 0;
  for (const auto& l : lines) {
    if (l["type"] != "apply" || l["node"] != "n2") continue;
    std::int64_t t = l["time"];
    CHECK_FALSE((t > ms(1000) && t < ms(1500)));
    if (t == ms(1500)) ++applied_on_resume;
  }
  CHECK(applied_on_resume > 5);
}

TEST_CASE("a clock fault shifts the node's clock and is traced") {
  json s = base_scenario("eventual-async", 2, {"n1"});
  s["faults"] = json::array(
      {{{"type", "clock"}, {"node", "n2"}, {"at", "1s"}, {"offset", "-50ms"}, {"drift_ppm", 100}}});
  auto lines = run_story(s, "clock");
  auto clocks = fault_lines(lines, "clock");
  REQUIRE(clocks.size() == 1);
  CHECK(clocks[0]["node"] == "n2");
  CHECK(clocks[0]["offset"] == -ms(50));
  CHECK(clocks[0]["drift_ppm"] == 100);
}

TEST_CASE("every trace ends with an end line and no operation left open") {
  json s = base_scenario("strong-2pc", 3, {"n1", "n2", "n3"});
  auto lines = run_story(s, "end");
  REQUIRE(lines.back()["type"] == "end");
  CHECK(lines.back()["time"] == ms(4000));
  std::set<std::uint64_t> open;
  for (const auto& l : lines) {
    if (l["type"] == "invoke") open.insert(l["op"].get<std::uint64_t>());
    if (l["type"] == "ok" || l["type"] == "fail" || l["type"] == "info")
      CHECK(open.erase(l["op"].get<std::uint64_t>()) == 1);
  }
  CHECK(open.empty());
}

TEST_CASE("with a client link, a local read takes the link's delay both ways") {
  json s = base_scenario("eventual-async", 3, {"n1", "n2"});
  s["network"]["client_latency"] = "3ms";
  auto lines = run_story(s, "client-link");
  std::map<std::uint64_t, std::int64_t> invoked;
  int reads = 0, writes = 0;
  for (const auto& l : lines) {
    if (l["type"] == "invoke") invoked[l["op"]] = l["time"].get<std::int64_t>();
    if (l["type"] != "ok") continue;
    std::int64_t took = l["time"].get<std::int64_t>() - invoked.at(l["op"]);
    CHECK(took == ms(6));  // eventual-async answers at once: 3 ms there, 3 ms back
    (l["f"] == "read" ? reads : writes) += 1;
  }
  CHECK(reads > 50);
  CHECK(writes > 50);
}

TEST_CASE("a request still in flight when its client gives up reaches the node and takes effect") {
  json s = base_scenario("eventual-async", 2, {"n1"});
  s["workload"]["read_fraction"] = 0.0;
  s["workload"]["timeout"] = "100ms";
  s["network"]["client_latency"] = "150ms";
  auto lines = run_story(s, "client-link-timeout");
  std::map<std::int64_t, std::int64_t> info_at;  // value -> time the client gave up
  for (const auto& l : lines)
    if (l["type"] == "info" && l["reason"] == "timeout") {
      info_at[l["value"].get<std::int64_t>()] = l["time"].get<std::int64_t>();
    }
  REQUIRE(info_at.size() > 5);
  std::set<std::int64_t> applied_later;
  for (const auto& l : lines)
    if (l["type"] == "apply" && l["node"] == "n1" && !l["value"].is_null()) {
      auto it = info_at.find(l["value"].get<std::int64_t>());
      if (it != info_at.end() && l["time"].get<std::int64_t>() > it->second)
        applied_later.insert(it->first);
    }
  // Every timed-out write reached n1 50 ms after its client gave up, except
  // perhaps the last, if the run ended first.
  CHECK(applied_later.size() + 1 >= info_at.size());
  CHECK(of_type(lines, "ok").empty());
}

}  // namespace story_engine_test
