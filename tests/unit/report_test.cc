// Report stories: availability and latency, phases, messages per operation,
// the CAP side attribution and the report's top-level shape.
#include <doctest/doctest.h>

#include "analysis/report/run_analysis.h"
#include "tests/unit/trace_builder.h"

using consim::EventType;
using consim::HistOp;
using consim::testing::phase_entry;
using consim::testing::TraceBuilder;

namespace report_test {

TEST_CASE("report: availability and latency percentiles of a handful of operations") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 10);
  t.write(2, "x", 2, "n1", 100, 120);
  t.write(3, "x", 3, "n1", 200, 230);
  t.write(4, "x", 4, "n1", 300, 340);
  t.invoke(400, 5, HistOp::Write, "x", 5, "n1").info(1400, 5);
  t.read(6, "y", std::nullopt, "n2", 0, 5);
  t.read(7, "y", std::nullopt, "n2", 10, 25);
  t.invoke(30, 8, HistOp::Read, "y", std::nullopt, "n2").fail(31, 8);
  const nlohmann::json report = t.run();
  const nlohmann::json& w = report["overall"]["write"];
  CHECK(w["ok"] == 4);
  CHECK(w["info"] == 1);
  CHECK(w["availability"].get<double>() == doctest::Approx(0.8));
  CHECK(w["latency_ms"]["p50"].get<double>() == 20.0);
  CHECK(w["latency_ms"]["p95"].get<double>() == 40.0);
  CHECK(w["latency_ms"]["p99"].get<double>() == 40.0);
  CHECK(w["latency_ms"]["max"].get<double>() == 40.0);
  const nlohmann::json& r = report["overall"]["read"];
  CHECK(r["fail"] == 1);
  CHECK(r["availability"].get<double>() == doctest::Approx(2.0 / 3.0));
  CHECK(r["latency_ms"]["p50"].get<double>() == 5.0);
  CHECK(r["latency_ms"]["max"].get<double>() == 15.0);
  CHECK(report["overall"]["all"]["availability"].get<double>() == doctest::Approx(6.0 / 8.0));
}

TEST_CASE("report: an operation belongs to the phase in which it was invoked") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 90, 150);  // invoked before, completes during
  t.partition(100, "p1", {{"n1"}, {"n2"}});
  t.write(2, "x", 2, "n1", 150, 160);
  t.invoke(190, 3, HistOp::Read, "x", std::nullopt, "n2").info(290, 3);
  t.heal(200, "p1");
  t.write(4, "x", 4, "n1", 250, 251);
  t.end(300);
  const nlohmann::json report = t.run();
  const nlohmann::json& phases = report["phases"];
  REQUIRE(phases.size() == 3);
  CHECK(phases[0]["name"] == "before");
  CHECK(phases[0]["end_ms"] == 100.0);
  CHECK(phases[0]["write"]["ok"] == 1);
  CHECK(phases[0]["write"]["latency_ms"]["max"] == 60.0);
  CHECK(phases[1]["name"] == "during p1");
  CHECK(phases[1]["start_ms"] == 100.0);
  CHECK(phases[1]["faults"] == nlohmann::json::array({"p1"}));
  CHECK(phases[1]["write"]["ok"] == 1);
  CHECK(phases[1]["read"]["info"] == 1);
  CHECK(phases[1]["read"]["availability"] == 0.0);
  CHECK(phases[2]["name"] == "after p1");
  CHECK(phases[2]["end_ms"] == 300.0);
  CHECK(phases[2]["write"]["ok"] == 1);
}

TEST_CASE("phases: overlapping faults nest in start order and a recurring name gets a suffix") {
  TraceBuilder t;
  t.partition(5000, "A", {{"n1"}, {"n2"}});
  t.crash(7000, "B", "n3");
  t.heal(9000, "A");
  t.restart(11000, "B", "n3");
  t.partition(13000, "A", {{"n1"}, {"n2"}});
  t.heal(14000, "A");
  t.end(15000);
  const nlohmann::json report = t.run();
  std::vector<std::string> names;
  for (const auto& p : report["phases"]) names.push_back(p["name"]);
  CHECK(names == std::vector<std::string>{"before", "during A", "during A + B", "during B",
                                          "after B", "during A (2)", "after A"});
  CHECK(report["phases"][2]["faults"] == nlohmann::json::array({"A", "B"}));
}

TEST_CASE("phases: faults starting at one instant with nothing between make one phase") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 1);
  t.partition(100, "p", {{"n1"}, {"n2"}});
  t.crash(100, "c", "n2");
  t.end(200);
  const nlohmann::json report = t.run();
  REQUIRE(report["phases"].size() == 2);
  CHECK(report["phases"][1]["name"] == "during p + c");
}

TEST_CASE("phases: a clock fault (it never ends) is a state, not a phase boundary") {
  TraceBuilder t;
  t.clock(10, "skew", "n1");
  t.clock(20, "skew", "n1");  // a repeated begin line changes nothing
  t.partition(30, "p", {{"n1"}, {"n2"}});
  t.heal(40, "p");
  t.clock(45, "skew 2", "n2");
  t.end(50);
  const nlohmann::json report = t.run();
  std::vector<std::string> names;
  for (const auto& p : report["phases"]) names.push_back(p["name"]);
  CHECK(names == std::vector<std::string>{"before", "during p", "after p"});
  CHECK(report["phases"][1]["faults"] == nlohmann::json::array({"p"}));
  // The run charts still shade the skew from its begin line to the end.
  const nlohmann::json& faults = report["timeline"]["faults"];
  REQUIRE(faults.size() == 3);
  CHECK(faults[0]["name"] == "skew");
  CHECK(faults[0]["start_ms"] == 10.0);
  CHECK(faults[0]["end_ms"].is_null());
}

TEST_CASE("phases: more than two active faults are counted, so names stay short") {
  TraceBuilder t;
  t.partition(10, "p", {{"n1"}, {"n2"}});
  t.crash(20, "c", "n3");
  t.crash(30, "e", "n1");
  t.crash(40, "d", "n4");
  t.end(50);
  const nlohmann::json report = t.run();
  REQUIRE(report["phases"].size() == 5);
  CHECK(report["phases"][3]["name"] == "during p + c + 1 more");
  CHECK(report["phases"][4]["name"] == "during p + c + 2 more");
}

TEST_CASE("report: operations still outstanding at the end count as info") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 10);
  t.invoke(20, 2, HistOp::Write, "x", 2, "n1");
  const nlohmann::json report = t.run();
  CHECK(report["overall"]["write"]["info"] == 1);
  CHECK(report["overall"]["write"]["availability"] == 0.5);
  CHECK(report["complete"] == false);
  CHECK(report["duration_ms"] == 20.0);
}

TEST_CASE("report: a history without op ids pairs completions by process") {
  TraceBuilder t;
  t.header = nullptr;
  consim::TraceEvent invoke;
  invoke.type = EventType::Invoke;
  invoke.process = 3;
  invoke.f = HistOp::Write;
  invoke.key = 0;
  invoke.value = 9;
  t.names.keys = {"x"};
  consim::RunAnalysis analysis(nullptr);
  analysis.on_event(invoke, t.names);
  consim::TraceEvent ok = invoke;
  ok.type = EventType::Ok;
  ok.time = TraceBuilder::ms(4);
  analysis.on_event(ok, t.names);
  ok.process = 4;  // no outstanding op for process 4
  analysis.on_event(ok, t.names);
  const nlohmann::json report = analysis.finish(t.names);
  CHECK(report["overall"]["write"]["ok"] == 1);
  CHECK(report["overall"]["write"]["latency_ms"]["p50"] == 4.0);
  CHECK(report["overall"]["unmatched_completions"] == 1);
  CHECK(report["scenario"].is_null());
}

TEST_CASE("report: the top level names the run and leaves checkers for the integrator") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 10);
  t.end(1000);
  const nlohmann::json report = t.run();
  CHECK(report["format"] == "consim-report");
  CHECK(report["version"] == 1);
  CHECK(report["scenario"] == "test");
  CHECK(report["model"] == "test-model");
  CHECK(report["seed"] == 7);
  CHECK(report["duration_ms"] == 1000.0);
  CHECK(report["complete"] == true);
  CHECK(report["checkers"] == nlohmann::json::object());
  for (const char* field : {"overall", "phases", "staleness", "t_visibility", "convergence",
                            "lost_writes", "messages", "cap"}) {
    CHECK_MESSAGE(report.contains(field), field);
  }
}

TEST_CASE("report: messages and bytes per operation, per phase and per kind") {
  TraceBuilder t;
  for (int op = 1; op <= 3; ++op) {
    t.write(op, "x", op, "n1", op * 10, op * 10 + 5);
    for (int m = 0; m < 4; ++m) t.send(op * 10 + 1, "n1", "n2", m < 3 ? "replicate" : "ack", 100);
  }
  t.partition(100, "p", {{"n1"}, {"n2"}});
  t.send(110, "n1", "n2", "replicate", 50);  // a phase with messages but no ops
  t.end(200);
  const nlohmann::json report = t.run();
  const nlohmann::json& before = phase_entry(report["messages"]["phases"], "before");
  CHECK(before["messages"] == 12);
  CHECK(before["ops"] == 3);
  CHECK(before["messages_per_op"] == 4.0);
  CHECK(before["bytes_per_op"] == 400.0);
  CHECK(before["kinds"]["replicate"]["messages_per_op"] == 3.0);
  CHECK(before["kinds"]["ack"]["messages"] == 3);
  const nlohmann::json& during = phase_entry(report["messages"]["phases"], "during p");
  CHECK(during["messages"] == 1);
  CHECK(during["messages_per_op"].is_null());
  const nlohmann::json& overall = report["messages"]["overall"];
  CHECK(overall["messages"] == 13);
  CHECK(overall["bytes"] == 1250);
  CHECK(overall["bytes_per_op"].get<double>() == doctest::Approx(1250.0 / 3.0));
}

TEST_CASE("cap: operations count on the side of the node they were sent to") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 10);
  t.write(2, "x", 2, "n1", 20, 30);
  t.write(3, "x", 3, "n1", 40, 50);
  t.read(4, "x", 3, "n2", 60, 62);  // before the partition: the "else" figures
  t.partition(100, "p1", {{"n1", "n2", "n3"}, {"n4", "n5"}});
  t.write(5, "x", 5, "n1", 110, 120);
  t.invoke(130, 6, HistOp::Write, "x", 6, "n4").info(1130, 6);
  t.read(7, "x", 3, "n5", 140, 141);  // stale: 5 was acknowledged at 120
  t.read(8, "x", 5, "n9", 150, 151);  // n9 is on no side
  t.heal(2000, "p1");
  t.end(2100);
  const nlohmann::json report = t.run();
  REQUIRE(report["cap"]["partitions"].size() == 1);
  const nlohmann::json& p = report["cap"]["partitions"][0];
  CHECK(p["fault"] == "p1");
  CHECK(p["start_ms"] == 100.0);
  CHECK(p["end_ms"] == 2000.0);
  CHECK(p["checkers"] == nlohmann::json::object());
  const nlohmann::json& majority = p["sides"][0];
  CHECK(majority["nodes"] == nlohmann::json::array({"n1", "n2", "n3"}));
  CHECK(majority["availability"] == 1.0);
  CHECK(majority["reads_ok"] == 0);
  CHECK(majority["fresh_fraction"].is_null());
  const nlohmann::json& minority = p["sides"][1];
  CHECK(minority["availability"] == 0.5);
  CHECK(minority["write"]["info"] == 1);
  CHECK(minority["reads_ok"] == 1);
  CHECK(minority["fresh_fraction"] == 0.0);
  CHECK(p["unassigned"]["read"]["ok"] == 1);
  CHECK(p["unassigned"]["fresh_fraction"] == 1.0);
  const nlohmann::json& no_fault = report["cap"]["else"];
  CHECK(no_fault["phases"] == nlohmann::json::array({"before", "after p1"}));
  CHECK(no_fault["reads_ok"] == 1);
  CHECK(no_fault["stale_rate"] == 0.0);
  CHECK(no_fault["read_latency_ms"]["p50"] == 2.0);
  CHECK(no_fault["write_latency_ms"]["p99"] == 10.0);
}

namespace {

// "k3" etc.; appended, since GCC 12 misreports "k" + std::string at -O3.
std::string named(const char* prefix, int i) {
  std::string name = prefix;
  name += std::to_string(i);
  return name;
}

}  // namespace

TEST_CASE("report: the same trace gives a byte-identical report") {
  auto build = [] {
    TraceBuilder t;
    for (int i = 1; i <= 50; ++i) {
      t.write(2 * i, named("k", i % 7), i, named("n", i % 3), i, i + 3);
      t.read(2 * i + 1, named("k", i % 5), i / 2, named("n", i % 4), i, i + 1);
      t.apply(i + 2, named("n", i % 3), named("k", i % 7), i);
    }
    t.partition(20, "p", {{"n0", "n1"}, {"n2", "n3"}});
    t.heal(40, "p");
    return t.run().dump();
  };
  CHECK(build() == build());
}

TEST_CASE("cap: an operation to a bridge node counts on every side it is listed on") {
  TraceBuilder t;
  t.partition(0, "bridge", {{"n1", "n2"}, {"n2", "n3"}});
  t.write(1, "x", 1, "n2", 10, 11);
  t.invoke(20, 2, HistOp::Write, "x", 2, "n3").fail(21, 2);
  t.end(100);
  const nlohmann::json sides = t.run()["cap"]["partitions"][0]["sides"];
  CHECK(sides[0]["write"]["ok"] == 1);
  CHECK(sides[0]["availability"] == 1.0);
  CHECK(sides[1]["write"]["ok"] == 1);
  CHECK(sides[1]["write"]["fail"] == 1);
  CHECK(sides[1]["availability"] == 0.5);
}

TEST_CASE("report: a trace without network lines says messages were not measured") {
  TraceBuilder t;
  t.header["level"] = "ops";
  t.write(1, "x", 1, "n1", 0, 10);
  t.end(100);
  nlohmann::json report = t.run();
  CHECK(report["messages"]["available"] == false);
  CHECK(report["messages"]["reason"] ==
        "the trace has no network lines (trace level ops or state, or a history)");

  TraceBuilder full;
  full.header["level"] = "full";
  full.write(1, "x", 1, "n1", 0, 10);  // one node: no messages, yet measured
  full.end(100);
  report = full.run();
  CHECK(report["messages"]["available"] == true);
  CHECK(report["messages"]["overall"]["messages"] == 0);
  CHECK_FALSE(report["messages"].contains("reason"));
}

TEST_CASE("report: notes are counted per kind, with how long the states they end lasted") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 10);
  t.note(1, "n2", "in-doubt");
  t.note(3, "n2", "resolved", TraceBuilder::ms(2));
  t.note(4, "n3", "in-doubt");
  t.note(9, "n3", "resolved", TraceBuilder::ms(5));
  t.note(9, "n1", "decided");
  t.end(100);
  const nlohmann::json notes = t.run()["notes"];
  CHECK(notes["in-doubt"]["count"] == 2);
  CHECK(notes["in-doubt"]["lasted_ms"].is_null());
  CHECK(notes["decided"]["count"] == 1);
  CHECK(notes["resolved"]["count"] == 2);
  CHECK(notes["resolved"]["lasted_ms"]["p50"] == 2.0);
  CHECK(notes["resolved"]["lasted_ms"]["max"] == 5.0);
}

}  // namespace report_test
