// Lost acknowledged writes (analysis/metrics/lost_writes.h) where the order
// of acknowledgements is not the order of the writes: concurrent writes whose
// acknowledgements cross, and compare-and-set. The basic cases (last-writer-
// wins, in doubt on a crashed coordinator) are in convergence_test.cc.
#include <doctest/doctest.h>

#include "analysis/report/run_analysis.h"
#include "tests/unit/trace_builder.h"

using consim::testing::TraceBuilder;

namespace lost_writes_test {

namespace {

// Ops 1358 and 1359 write x concurrently (invoked at 10 and 12 ms) and
// commit in that order, so every replica ends on 1359's value; their
// acknowledgements cross on the client links: 1359 is ok at 25 ms, 1358 at
// 30 ms. Linearizable: 1358 then 1359.
TraceBuilder crossed_acknowledgements() {
  TraceBuilder t;
  t.write(1358, "x", 58, "n1", 10, 30);
  t.write(1359, "x", 59, "n2", 12, 25);
  for (const char* n : {"n1", "n2", "n3"}) {
    t.apply(20, n, "x", 58);
    t.apply(22, n, "x", 59);
  }
  return t;
}

}  // namespace

TEST_CASE("lost writes: of two concurrent writes whose acknowledgements cross, neither is lost") {
  TraceBuilder t = crossed_acknowledgements();
  t.end(100);
  const nlohmann::json lost = t.run()["lost_writes"];
  CHECK(lost["count"] == 0);
  CHECK(lost["listed"].empty());
  CHECK(lost["lower_bound"] == false);
  CHECK(lost["in_doubt"]["count"] == 0);
}

TEST_CASE("lost writes: a write invoked after the final value was acknowledged is still lost") {
  // After the crossed pair, op 1360 writes x (invoked at 40 ms, after both
  // were acknowledged) and is acknowledged, but no replica applies it.
  TraceBuilder t = crossed_acknowledgements();
  t.write(1360, "x", 60, "n1", 40, 45);
  t.end(100);
  const nlohmann::json lost = t.run()["lost_writes"];
  CHECK(lost["count"] == 1);
  REQUIRE(lost["listed"].size() == 1);
  CHECK(lost["listed"][0]["line"] == t.invoke_line(1360));
  CHECK(lost["listed"][0]["value"] == 60);
  CHECK(lost["listed"][0]["ack_ms"] == 45.0);
}

TEST_CASE("lost writes: a crashed replica holding a concurrent write keeps a write in doubt") {
  // x = 1 everywhere; 1358 and 1359 as above, but only n1 applies them and
  // crashes; n2 and n3 keep 1, which both writes follow. n1 holds 59, which
  // 1358 does not precede (concurrent): both are in doubt, none lost.
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 4);
  for (const char* n : {"n1", "n2", "n3"}) t.apply(2, n, "x", 1);
  t.write(1358, "x", 58, "n1", 10, 30);
  t.write(1359, "x", 59, "n1", 12, 25);
  t.apply(20, "n1", "x", 58);
  t.apply(22, "n1", "x", 59);
  t.crash(35, "crash n1", "n1");
  t.end(100);
  const nlohmann::json lost = t.run()["lost_writes"];
  CHECK(lost["count"] == 0);
  REQUIRE(lost["in_doubt"]["count"] == 2);
  for (const nlohmann::json& w : lost["in_doubt"]["listed"]) {
    CHECK(w["held_by"] == nlohmann::json::array({"n1"}));
  }
  CHECK(lost["in_doubt"]["listed"][0]["line"] == t.invoke_line(1358));
  CHECK(lost["in_doubt"]["listed"][1]["line"] == t.invoke_line(1359));
}

TEST_CASE("lost writes: a successful cas writes its new value and a failed cas writes nothing") {
  // x: write 1, cas 1->2 (true, applied everywhere), cas 1->7 (false), then
  // cas 2->3 (true, invoked after the first cas was acknowledged) that no
  // replica applies: that one is lost, the rest are not.
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 2);
  for (const char* n : {"n1", "n2"}) t.apply(1, n, "x", 1);
  t.cas(2, "x", 1, 2, true, "n1", 3, 5);
  for (const char* n : {"n1", "n2"}) t.apply(4, n, "x", 2);
  t.cas(3, "x", 1, 7, false, "n2", 6, 8);
  t.cas(4, "x", 2, 3, true, "n1", 9, 11);
  t.end(100);
  const nlohmann::json lost = t.run()["lost_writes"];
  CHECK(lost["keys_skipped"] == 0);
  CHECK(lost["lower_bound"] == false);
  CHECK(lost["count"] == 1);
  REQUIRE(lost["listed"].size() == 1);
  CHECK(lost["listed"][0]["line"] == t.invoke_line(4));
  CHECK(lost["listed"][0]["value"] == 3);
}

TEST_CASE("lost writes: a key ending on a cas after more writes than the window loses nothing") {
  // Window 2: writes 1, 2, 3 then cas 3->4, which every replica ends on.
  // Were the cas not a write, 4 would look older than the window.
  TraceBuilder t;
  for (int v = 1; v <= 3; ++v) {
    t.write(static_cast<std::uint64_t>(v), "x", v, "n1", 10.0 * v, 10.0 * v + 2);
    t.apply(10.0 * v + 1, "n1", "x", v);
  }
  t.cas(4, "x", 3, 4, true, "n1", 40, 42);
  t.apply(41, "n1", "x", 4);
  t.end(100);
  consim::AnalysisOptions options;
  options.write_window = 2;
  const nlohmann::json lost = t.run(options)["lost_writes"];
  CHECK(lost["count"] == 0);
  CHECK(lost["lower_bound"] == false);
  CHECK(lost["keys_skipped"] == 0);
}

TEST_CASE("lost writes: a write invoked after every write older than the window is lost") {
  // Window 2: writes 1, 2, 3, 4 in sequence (each invoked after the one
  // before was acknowledged); every replica ends on 1. The window keeps 3
  // and 4, both invoked after write 2's ok, the newest line that left it:
  // lost. Write 2 is lost too, but its invoke line has left the window: the
  // count is a lower bound.
  TraceBuilder t;
  for (int v = 1; v <= 4; ++v) {
    t.write(static_cast<std::uint64_t>(v), "x", v, "n1", 10.0 * v, 10.0 * v + 2);
  }
  t.apply(11, "n1", "x", 1);
  t.end(100);
  consim::AnalysisOptions options;
  options.write_window = 2;
  const nlohmann::json lost = t.run(options)["lost_writes"];
  CHECK(lost["count"] == 2);           // 3 and 4
  CHECK(lost["lower_bound"] == true);  // 2: its invoke line is gone
  REQUIRE(lost["listed"].size() == 2);
  CHECK(lost["listed"][0]["value"] == 3);
  CHECK(lost["listed"][1]["value"] == 4);
}

}  // namespace lost_writes_test
