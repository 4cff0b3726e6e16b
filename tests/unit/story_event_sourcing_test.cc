// Stories of the event-sourced model and its CQRS read model
// (models/event_sourcing/): a replica's state rebuilt from its log equals
// the state it served; the projection lags during a burst or a cut and
// catches up; a client that queries the projection right after its own
// command misses it (read-your-writes), one that queries the log's owner
// does not.
#include <doctest/doctest.h>

#include <cstdio>
#include <map>
#include <string>

#include "analysis/report/analyze.h"
#include "models/event_sourcing/event_log.h"
#include "story_support.h"
#include "test_scale.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_event_sourcing_test {

namespace {

// n1 owns the log, n2 is a log replica, n3 the projection (2 ms per event).
// Lossy, duplicating links; every node crashes once and recovers.
json crashing_store(std::uint64_t seed) {
  json s = base_scenario("event-sourced", 3, {"n1", "n1", "n3"});
  s["seed"] = seed;
  s["duration"] = "2s";
  s["network"]["default_link"]["loss"] = 0.05;
  s["network"]["default_link"]["duplicate"] = 0.05;
  s["model"]["params"] = {{"log_owner", "n1"}, {"projection", "n3"}, {"apply_time", "2ms"}};
  s["workload"]["keys"] = 5;
  s["workload"]["stop"] = "1800ms";
  s["faults"] = json::array({
      {{"type", "crash"}, {"node", "n3"}, {"at", "400ms"}, {"restart", "600ms"}},
      {{"type", "crash"}, {"node", "n2"}, {"at", "700ms"}, {"restart", "1s"}},
      {{"type", "crash"}, {"node", "n1"}, {"at", "1200ms"}, {"restart", "1300ms"}},
  });
  return s;
}

std::string digest_text(const event_sourcing::State& s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx",
                static_cast<unsigned long long>(event_sourcing::state_digest(s)));
  return buf;
}

// The lagging store: n1 owns the log, n3 hosts the projection; two
// shoppers write and query through n1 (one operation per 20 ms each); a
// burst of 4 writers (one command per 10 ms each) from 1 s to 2 s outruns
// the projector (3 ms per event), and a partition cuts n3 off from 3 s to
// 4 s (the owner probes it every 200 ms at most). Queries go where
// `queries` says.
json lagging_store(const std::string& queries) {
  json s = base_scenario("event-sourced", 3, {});
  s["duration"] = "7s";
  s["model"]["params"] = {{"log_owner", "n1"},
                          {"projection", "n3"},
                          {"apply_time", "3ms"},
                          {"queries", queries},
                          {"retry_max", "200ms"}};
  s["clients"] = json::array(
      {{{"name", "shoppers"}, {"count", 2}, {"nodes", {"n1"}}},
       {{"name", "burst"},
        {"count", 4},
        {"nodes", {"n1"}},
        {"workload",
         {{"read_fraction", 0}, {"start", "1s"}, {"stop", "2s"}, {"think_time", "10ms"}}}}});
  s["workload"]["keys"] = 4;
  s["workload"]["think_time"] = "20ms";
  s["workload"]["stop"] = "6s";
  s["faults"] = json::array({{{"type", "partition"},
                              {"name", "cut projection"},
                              {"shape", "majority-minority"},
                              {"minority", {"n3"}},
                              {"start", "3s"},
                              {"heal", "4s"}}});
  return s;
}

struct Analyzed {
  json report;
  std::vector<json> lines;  // the trace, lines[i] is line i + 1
};

Analyzed analyze_story(const json& doc, const std::string& tag) {
  auto path = temp_trace_path(tag);
  Scenario s = parse_scenario(doc, tag + ".json", model_registry());
  run_scenario(s, registered_model(s.model_name).make, path.string());
  Analyzed out{analyze_trace(path.string()), parse_lines(read_file(path))};
  std::filesystem::remove(path);
  return out;
}

// The start of the first 100 ms bucket at or after `from` in which the node
// was at most 2 events behind throughout (the series holds each bucket's
// max): its backlog is drained, only the commands in flight (a network hop
// and one apply_time each) remain.
Time caught_up_after(const json& node, Time from) {
  const json& series = node["series"];
  for (std::size_t b = static_cast<std::size_t>(from / ms(100)); b < series.size(); ++b)
    if (series[b].get<int>() <= 2) return static_cast<Time>(b) * ms(100);
  FAIL("never caught up");
  return 0;
}

const json& node_of(const json& report, const std::string& node) {
  for (const json& n : report["events_behind"]["nodes"])
    if (n["node"] == node) return n;
  FAIL("no events_behind entry for " << node);
  static json none;
  return none;
}

}  // namespace

TEST_CASE("event-sourced: a node's state rebuilt from its log is the state it served") {
  int seeds = sweep(300);
  int rebuilds = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    auto lines = run_story(crashing_store(static_cast<std::uint64_t>(seed)), "es-rebuild");
    std::map<std::string, event_sourcing::State> served;  // per node, from its apply lines
    std::map<std::string, int> rebuilt;
    for (const auto& l : lines) {
      if (l["type"] == "apply") served[l["node"]][l["key"]] = l["value"].get<std::int64_t>();
      if (l["type"] != "note" || l["what"] != "rebuilt") continue;
      std::string node = l["node"];
      std::string detail = l["detail"];
      INFO("seed " << seed << " node " << node << ": " << detail);
      CHECK(detail.ends_with("digest " + digest_text(served[node])));
      CHECK(detail.find("of " + std::to_string(served[node].size()) + " entities") !=
            std::string::npos);
      rebuilt[node] += 1;
      rebuilds += 1;
    }
    INFO("seed " << seed);
    CHECK(rebuilt.size() == 3);  // every node crashed once and rebuilt
  }
  CHECK(rebuilds == 3 * seeds);
}

TEST_CASE("event-sourced: the fold of a log is its last value per entity, versions per entity") {
  event_sourcing::EventLog log;
  log.append_new(1, 5);
  log.append_new(2, 7);
  const auto& e = log.append_new(1, 9);
  CHECK(e.offset == 2);
  CHECK(e.version == 2);
  CHECK(log.version(1) == 2);
  CHECK(log.version(2) == 1);
  CHECK(log.version(3) == 0);
  auto state = event_sourcing::fold(log.events());
  CHECK(state == event_sourcing::State{{1, 9}, {2, 7}});
  CHECK(event_sourcing::state_digest(state) != event_sourcing::state_digest({{1, 5}, {2, 7}}));
}

TEST_CASE("cqrs: the projection falls behind in a burst and a cut, then catches up") {
  json report = analyze_story(lagging_store("projection"), "cqrs-lag").report;
  const json& n3 = node_of(report, "n3");
  const json& n1 = node_of(report, "n1");
  // Phases: before (with the burst), during the cut, after.
  REQUIRE(n3["phases"].size() == 3);
  CHECK(n3["phases"][0]["max"].get<int>() >= 20);  // the burst outran the projector
  CHECK(n3["phases"][1]["max"].get<int>() >= 20);  // nothing reaches n3 during the cut
  CHECK(n3["at_end"] == 0);                        // caught up
  CHECK(n3["series"].back() == 0);
  CHECK(n3["lag_ms"]["max"].get<double>() > 900.0);  // writes made early in the cut
  // The owner appends before it acknowledges: never a write behind for long.
  CHECK(n1["lag_ms"]["max"].get<double>() < 1.0);
  CHECK(n1["at_end"] == 0);
  // The report's staleness covers reads of the read model.
  CHECK(report["staleness"]["overall"]["stale"].get<int>() > 0);
}

TEST_CASE("cqrs: read-your-writes fails on the lagging projection, holds at the log's owner") {
  Analyzed lagging = analyze_story(lagging_store("projection"), "cqrs-ryw-projection");
  const json& lag = lagging.report;
  CHECK(lag["checkers"]["read-your-writes"]["verdict"] == "invalid");
  CHECK(lag["phases"][1]["checkers"]["read-your-writes"]["verdict"] == "invalid");
  // Once the projection has caught up after the heal, no query misses its
  // client's own command: every violating read was invoked before then.
  Time caught_up = caught_up_after(node_of(lag, "n3"), ms(4000));
  CHECK(caught_up < ms(5000));
  int violations = 0;
  for (const json& v : lag["checkers"]["read-your-writes"]["violations"]) {
    const json& read = lagging.lines.at(v["ops"][1].get<std::size_t>() - 1);
    CHECK(read["time"].get<Time>() < caught_up);
    violations += 1;
  }
  CHECK(violations > 0);
  int reads_after = 0;
  for (const json& l : lagging.lines)
    if (l["type"] == "invoke" && l["f"] == "read" && l["time"].get<Time>() >= caught_up)
      reads_after += 1;
  CHECK(reads_after > 50);

  json owner = analyze_story(lagging_store("log"), "cqrs-ryw-log").report;
  CHECK(owner["checkers"]["read-your-writes"]["verdict"] == "valid");
  CHECK(owner["checkers"]["linearizable"]["verdict"] == "valid");
  CHECK(owner["staleness"]["overall"]["stale"] == 0);
}

}  // namespace story_event_sourcing_test
