// The metric table (analysis/report/metric_registry.h): every metric gets its
// section of report.json, and the metrics added through it report what
// docs/report.md says. Iterates the table; never pins its length.
#include "analysis/report/metric_registry.h"

#include <doctest/doctest.h>

#include <set>

#include "tests/unit/trace_builder.h"

using consim::EventType;
using consim::metric_registry;
using consim::testing::phase_entry;
using consim::testing::TraceBuilder;

namespace metric_registry_test {

namespace {

// n1 and n2 serve clients; n2 crashes and its client falls back to n1.
TraceBuilder crash_story() {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 2);
  t.read(2, "x", 1, "n2", 3, 4);
  t.crash(10, "crash n2", "n2");
  t.write(3, "x", 2, "n1", 11, 12);
  t.read(4, "x", 2, "n1", 13, 14);
  t.invoke(15, 5, consim::HistOp::Write, "x", 3, "n1");
  t.fail(16, 5);
  t.restart(20, "crash n2", "n2");
  t.end(30);
  return t;
}

}  // namespace

TEST_CASE("metric registry: every metric has a unique name, a description and a section") {
  const nlohmann::json report = crash_story().run();
  std::set<std::string_view> seen;
  for (const auto& entry : metric_registry()) {
    CAPTURE(entry.name);
    CHECK(seen.insert(entry.name).second);
    CHECK(!entry.description.empty());
    CHECK((entry.make() != nullptr));
    CHECK(report.contains(std::string(entry.name)));
  }
}

TEST_CASE("ops per node: operations counted per node and phase, by outcome") {
  const nlohmann::json report = crash_story().run();
  const nlohmann::json& phases = report["ops_per_node"]["phases"];
  REQUIRE(phases.size() == 3);
  const nlohmann::json& before = phase_entry(phases, "before")["nodes"];
  CHECK(before["n1"]["total"] == 1);
  CHECK(before["n2"]["total"] == 1);
  const nlohmann::json& during = phase_entry(phases, "during crash n2")["nodes"];
  CHECK(during["n1"] == nlohmann::json({{"ok", 2}, {"fail", 1}, {"info", 0}, {"total", 3}}));
  CHECK(!during.contains("n2"));
  CHECK(phase_entry(phases, "after crash n2")["nodes"].empty());
}

TEST_CASE("timeline: operations, the fault window and divergence for the run charts") {
  TraceBuilder t = crash_story();
  t.apply(1, "n1", "x", 1);
  t.apply(2.5, "n2", "x", 1);
  t.apply(11.5, "n1", "x", 2);
  const nlohmann::json report = t.run();
  const nlohmann::json& timeline = report["timeline"];
  CHECK(timeline["ops"]["count"] == 5);
  CHECK(timeline["ops"]["ok_stride"] == 1);
  CHECK(timeline["ops"]["outcome"] == "oooof");
  CHECK(timeline["ops"]["write"] == "wrwrw");
  CHECK(timeline["faults"] == nlohmann::json::array({{{"name", "crash n2"},
                                                      {"kind", "crash"},
                                                      {"start_ms", 10.0},
                                                      {"end_ms", 20.0},
                                                      {"what", "n2"}}}));
  // n2 restarts holding 1 while n1 holds 2: one divergent key, as convergence says.
  CHECK(timeline["divergence"]["highest"] == report["convergence"]["divergent_keys_max"]);
  CHECK(timeline["divergence"]["highest"] == 1);
  CHECK(timeline["end_ms"] == 30.0);
  CHECK(timeline["complete"] == true);
}

TEST_CASE("timeline: stale reads are marked, and noted states become windows for the charts") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 2);
  t.write(2, "x", 2, "n1", 3, 4);
  t.read(3, "x", 1, "n2", 5, 6);  // x=2 was acknowledged at 4: stale
  t.read(4, "x", 2, "n1", 7, 8);
  t.note(10, "n3", "buffered");
  t.note(14, "n3", "released", TraceBuilder::ms(4));  // [10, 14]
  t.note(15, "n2", "released", TraceBuilder::ms(3));  // [12, 15]: overlaps, one window
  t.note(30, "n3", "released", TraceBuilder::ms(2));  // [28, 30]
  t.end(40);
  const nlohmann::json timeline = t.run()["timeline"];
  CHECK(timeline["ops"]["stale"] == "--s-");
  CHECK(timeline["noted"] ==
        nlohmann::json::parse(R"({"released": [[10.0, 15.0], [28.0, 30.0]]})"));
}

}  // namespace metric_registry_test
