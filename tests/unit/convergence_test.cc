// Replica divergence, convergence after heals and restarts, replica
// staleness and lost acknowledged writes, from apply lines.
#include <doctest/doctest.h>

#include "analysis/report/run_analysis.h"
#include "tests/unit/trace_builder.h"

using consim::EventType;
using consim::testing::phase_entry;
using consim::testing::TraceBuilder;

namespace convergence_test {

namespace {

// Three replicas agree on x = 1; a partition cuts n3 off; x = 2 reaches n1
// and n2 only.
TraceBuilder diverged_by_partition() {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 2);
  for (const char* n : {"n1", "n2", "n3"}) t.apply(1, n, "x", 1);
  t.partition(10, "p1", {{"n1", "n2"}, {"n3"}});
  t.write(2, "x", 2, "n1", 20, 22);
  t.apply(21, "n1", "x", 2);
  t.apply(22, "n2", "x", 2);
  return t;
}

}  // namespace

TEST_CASE("convergence: the time from a heal until every replica agrees") {
  TraceBuilder t = diverged_by_partition();
  t.apply(25, "n1", "y", 7);
  t.apply(25, "n3", "y", 6);  // y divergent too
  t.heal(100, "p1");
  t.apply(104, "n3", "y", 7);
  t.apply(110, "n2", "z", 1);  // z: n2 and n3 disagree from 110 to 115
  t.apply(110, "n3", "z", 2);
  t.apply(112, "n3", "x", 2);
  t.apply(115, "n3", "z", 1);
  t.end(200);
  const nlohmann::json c = t.run()["convergence"];
  REQUIRE(c["available"] == true);
  REQUIRE(c["after_faults"].size() == 1);
  const nlohmann::json& heal = c["after_faults"][0];
  CHECK(heal["fault"] == "p1");
  CHECK(heal["event"] == "heal");
  CHECK(heal["time_ms"] == 100.0);
  CHECK(heal["divergent_keys"] == 2);
  CHECK(heal["converged_ms"] == 12.0);
  CHECK(heal["all_agree_ms"] == 15.0);
  CHECK(c["divergent_keys_at_end"] == 0);
}

TEST_CASE("convergence: replicas that never agree again give null") {
  TraceBuilder t = diverged_by_partition();
  t.heal(100, "p1");
  t.end(200);
  const nlohmann::json c = t.run()["convergence"];
  CHECK(c["after_faults"][0]["converged_ms"].is_null());
  CHECK(c["after_faults"][0]["all_agree_ms"].is_null());
  CHECK(c["divergent_keys_at_end"] == 1);
}

TEST_CASE("convergence: divergent keys per phase, maximum and time-weighted mean") {
  TraceBuilder t = diverged_by_partition();  // x divergent from 21 ms
  t.apply(50, "n1", "y", 1);
  t.apply(50, "n3", "y", 2);  // y divergent from 50 to 60 ms
  t.apply(60, "n3", "y", 1);
  t.heal(110, "p1");  // during p1: [10, 110)
  t.apply(130, "n3", "x", 2);
  t.end(210);  // after p1: [110, 210)
  const nlohmann::json report = t.run();
  const nlohmann::json& during = phase_entry(report["convergence"]["phases"], "during p1");
  CHECK(during["divergent_keys_max"] == 2);
  // x for 89 ms and y for 10 ms out of 100 ms.
  CHECK(during["divergent_keys_mean"].get<double>() == doctest::Approx(0.99));
  const nlohmann::json& after = phase_entry(report["convergence"]["phases"], "after p1");
  CHECK(after["divergent_keys_max"] == 1);
  CHECK(after["divergent_keys_mean"].get<double>() == doctest::Approx(0.2));
  CHECK(phase_entry(report["convergence"]["phases"], "before")["divergent_keys_max"] == 0);
}

TEST_CASE("convergence: a crashed replica does not count until it restarts") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 2);
  for (const char* n : {"n1", "n2", "n3"}) t.apply(1, n, "x", 1);
  t.crash(10, "c3", "n3");
  t.write(2, "x", 2, "n1", 20, 22);
  t.apply(21, "n1", "x", 2);
  t.apply(22, "n2", "x", 2);  // n3 is down: the live replicas agree
  t.restart(50, "c3", "n3");  // n3 comes back with x = 1
  t.apply(58, "n3", "x", 2);
  t.end(100);
  const nlohmann::json report = t.run();
  const nlohmann::json& c = report["convergence"];
  // during c3 is [10, 50): x differs between n1 and n2 for 1 ms only; n3's
  // old x = 1 does not count while it is down.
  CHECK(phase_entry(c["phases"], "during c3")["divergent_keys_mean"].get<double>() ==
        doctest::Approx(1.0 / 40.0));
  REQUIRE(c["after_faults"].size() == 1);
  CHECK(c["after_faults"][0]["event"] == "restart");
  CHECK(c["after_faults"][0]["node"] == "n3");
  CHECK(c["after_faults"][0]["divergent_keys"] == 1);
  CHECK(c["after_faults"][0]["converged_ms"] == 8.0);
}

TEST_CASE("replica staleness: the time-weighted share of replicas behind the newest write") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 0);
  t.apply(0, "n1", "x", 1);
  t.apply(0, "n2", "x", 1);
  t.write(2, "x", 2, "n1", 10, 10);  // n1 applies at once, n2 30 ms later
  t.apply(10, "n1", "x", 2);
  t.apply(40, "n2", "x", 2);
  t.end(100);
  const nlohmann::json r = t.run()["staleness"]["replicas"];
  REQUIRE(r["available"] == true);
  // One of two replicas behind for 30 of 100 ms.
  CHECK(r["behind_fraction_mean"].get<double>() == doctest::Approx(0.15));
}

TEST_CASE("lost writes: under last-writer-wins the write acknowledged later is lost") {
  // Both sides of a partition accept a write to x; after the heal every
  // replica keeps 10 (a larger timestamp from a skewed clock), which was
  // acknowledged before 20.
  TraceBuilder t;
  t.partition(0, "p1", {{"n1"}, {"n2"}});
  t.write(1, "x", 10, "n1", 5, 6);
  t.apply(5, "n1", "x", 10);
  t.write(2, "x", 20, "n2", 7, 8);
  t.apply(7, "n2", "x", 20);
  t.write(3, "y", 30, "n2", 7, 8);
  t.apply(7, "n2", "y", 30);
  t.heal(100, "p1");
  t.apply(105, "n2", "x", 10);
  t.apply(105, "n1", "y", 30);
  t.end(200);
  const nlohmann::json report = t.run();
  const nlohmann::json& lost = report["lost_writes"];
  REQUIRE(lost["available"] == true);
  CHECK(lost["count"] == 1);
  REQUIRE(lost["listed"].size() == 1);
  CHECK(lost["listed"][0]["line"] == t.invoke_line(2));
  CHECK(lost["listed"][0]["key"] == "x");
  CHECK(lost["listed"][0]["value"] == 20);
  CHECK(lost["listed"][0]["ack_ms"] == 8.0);
  CHECK(lost["converged_at_end"] == true);
  CHECK(lost["faults_active_at_end"] == false);
}

TEST_CASE("lost writes: none when the replicas end on the newest write") {
  TraceBuilder t = diverged_by_partition();
  t.heal(100, "p1");
  t.apply(101, "n3", "x", 2);
  t.end(200);
  const nlohmann::json lost = t.run()["lost_writes"];
  CHECK(lost["count"] == 0);
  CHECK(lost["listed"].empty());
}

TEST_CASE("lost writes: a key ending on a write never acknowledged is skipped") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 1);
  t.write(2, "x", 2, "n1", 2, 3);
  t.invoke(4, 3, consim::HistOp::Write, "x", 3, "n1").info(9, 3);
  t.apply(5, "n1", "x", 3);
  t.end(10);
  const nlohmann::json lost = t.run()["lost_writes"];
  CHECK(lost["count"] == 0);
  CHECK(lost["keys_skipped"] == 1);
}

TEST_CASE("convergence: a trace without apply lines says it was not measured") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 1);
  const nlohmann::json report = t.run();
  CHECK(report["convergence"]["available"] == false);
  CHECK(report["lost_writes"]["available"] == false);
  CHECK(report["staleness"]["replicas"]["available"] == false);
}

TEST_CASE("lost writes: a write held only by a crashed coordinator is in doubt, not lost") {
  // strong-2pc: n1 coordinates x=5, commits, applies it and acknowledges the
  // client, then crashes before the commit reaches n2 and n3 (which hold 5
  // prepared). The live replicas show 1, but n1 keeps 5 durably: the write
  // is blocked until n1 recovers.
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 4);
  t.apply(1, "n1", "x", 1);
  t.apply(2, "n2", "x", 1);
  t.apply(2, "n3", "x", 1);
  t.write(2, "x", 5, "n1", 10, 14);
  t.apply(13, "n1", "x", 5);
  t.crash(15, "crash n1", "n1");
  t.end(100);
  const nlohmann::json lost = t.run()["lost_writes"];
  CHECK(lost["count"] == 0);
  CHECK(lost["listed"].empty());
  REQUIRE(lost["in_doubt"]["count"] == 1);
  const nlohmann::json& w = lost["in_doubt"]["listed"][0];
  CHECK(w["line"] == t.invoke_line(2));
  CHECK(w["key"] == "x");
  CHECK(w["value"] == 5);
  CHECK(w["held_by"] == nlohmann::json::array({"n1"}));
}

TEST_CASE("lost writes: a write no replica holds stays lost even with a node crashed") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 4);
  t.apply(1, "n1", "x", 1);
  t.apply(2, "n2", "x", 1);
  t.write(2, "x", 5, "n1", 10, 14);  // acknowledged, applied nowhere
  t.crash(15, "crash n2", "n2");
  t.end(100);
  const nlohmann::json lost = t.run()["lost_writes"];
  CHECK(lost["count"] == 1);
  CHECK(lost["in_doubt"]["count"] == 0);
  CHECK(lost["in_doubt"]["listed"].empty());
}

}  // namespace convergence_test
