// The analysis of traces with siblings (reads and replicas that hold
// concurrent versions): the reader's "siblings" field, staleness by the
// freshest sibling, convergence on the sibling set, lost writes kept as
// siblings, the linearizability verdict of a multi-value read, and the
// conflicts metric.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "analysis/checkers/linearizability.h"
#include "analysis/trace/trace_reader.h"
#include "base/json_input.h"
#include "tests/unit/jsonl_fixture.h"
#include "tests/unit/trace_builder.h"

using namespace consim;
using consim::testing::TraceBuilder;
using consim::testing::write_jsonl;

namespace siblings_analysis_test {

TEST_CASE("siblings: the reader takes them from apply and read lines, and rejects bad ones") {
  std::string path = write_jsonl("siblings.jsonl", R"(
{"type":"apply","time":1,"node":"n1","key":3,"value":11,"siblings":[11,12],"vv":{"n1":1,"n2":1}}
{"type":"invoke","time":2,"op":1,"process":0,"f":"read","key":3,"value":null,"node":"n1"}
{"type":"ok","time":3,"op":1,"process":0,"f":"read","key":3,"value":11,"node":"n1","siblings":[11,12],"vv":{"n1":1,"n2":1}}
{"type":"apply","time":4,"node":"n1","key":3,"value":13,"vv":{"n1":2,"n2":1}}
)");
  TraceReader reader(path);
  std::vector<TraceEvent> ev;
  TraceEvent e;
  while (reader.next(e)) ev.push_back(e);
  REQUIRE(ev.size() == 4);
  CHECK(ev[0].siblings == std::vector<std::int64_t>{11, 12});
  CHECK(ev[2].siblings == std::vector<std::int64_t>{11, 12});
  CHECK(ev[3].siblings.empty());
  auto error = [](const std::string& line) {
    std::string bad = write_jsonl("bad-siblings.jsonl", line + "\n");
    try {
      TraceReader r(bad);
      TraceEvent x;
      while (r.next(x)) {
      }
    } catch (const InputError& err) {
      return err.message();
    }
    return std::string("no error");
  };
  CHECK(error(R"({"type":"apply","time":1,"node":"n1","key":3,"value":11,"siblings":[12,11]})") ==
        "field \"siblings\" must start with the line's \"value\"");
  CHECK(error(R"({"type":"apply","time":1,"node":"n1","key":3,"value":11,"siblings":[11]})") ==
        "field \"siblings\" must be an array of at least two integers, got an array [11]");
}

TEST_CASE("siblings: a read counts as fresh when one of its siblings is the newest write") {
  TraceBuilder t;
  t.write(1, "x", 10, "n1", 0, 10);
  t.write(2, "x", 20, "n2", 5, 20);
  t.read_siblings(3, "x", {10, 20}, "n3", 30, 31);  // fresh: contains 20
  t.read(4, "x", 10, "n3", 32, 33);                 // stale, k = 1
  t.end(50);
  const nlohmann::json s = t.run()["staleness"]["overall"];
  CHECK(s["reads_ok"] == 2);
  CHECK(s["stale"] == 1);
}

TEST_CASE(
    "siblings: replicas agree only on the same set, and a write kept as a sibling is not "
    "lost") {
  TraceBuilder t;
  t.write(1, "x", 10, "n1", 0, 1);
  t.write(2, "x", 20, "n2", 5, 6);  // invoked after 10 was acknowledged
  t.apply(1, "n1", "x", 10);
  t.apply(6, "n2", "x", 20);
  t.apply_siblings(8, "n1", "x", {10, 20});
  t.apply_siblings(9, "n2", "x", {10, 20});
  t.end(50);
  const nlohmann::json report = t.run();
  CHECK(report["lost_writes"]["count"] == 0);
  CHECK(report["convergence"]["divergent_keys_at_end"] == 0);

  // Same writes, but the replicas hold different sets: divergent, and 10
  // (which precedes 20) lost where only 20 survives.
  TraceBuilder u;
  u.write(1, "x", 10, "n1", 0, 1);
  u.write(2, "x", 20, "n2", 5, 6);
  u.apply_siblings(8, "n1", "x", {10, 20});
  u.apply(9, "n2", "x", 20);
  u.end(50);
  const nlohmann::json diverged = u.run();
  CHECK(diverged["convergence"]["divergent_keys_at_end"] == 1);
  CHECK(diverged["lost_writes"]["count"] == 0);  // n1 still keeps 10 as a sibling
}

TEST_CASE("siblings: a read that returned two values makes its key not linearizable") {
  History h;
  h.key_names = {"x"};
  Operation w1, w2, r;
  w1.f = w2.f = HistOp::Write;
  w1.value = 1, w2.value = 2;
  w1.invoke_line = 2, w1.complete_line = 3, w1.invoke_time = 1, w1.complete_time = 2;
  w2.invoke_line = 4, w2.complete_line = 5, w2.invoke_time = 1, w2.complete_time = 3;
  w1.outcome = w2.outcome = r.outcome = Outcome::Ok;
  w1.process = 0, w2.process = 1, r.process = 2;
  r.f = HistOp::Read;
  r.value = 1;
  r.siblings = 2;
  r.invoke_line = 6, r.complete_line = 7, r.invoke_time = 4, r.complete_time = 5;
  h.ops = {w1, w2, r};
  CheckResult result = check_linearizability(h).result;
  CHECK(result.verdict == Verdict::Invalid);
  REQUIRE(result.violations.size() == 1);
  CHECK(result.violations[0].ops == std::vector<std::uint64_t>{6});
  CHECK(result.violations[0].reason ==
        "read returned 2 siblings (concurrent versions); a single-copy register returns one "
        "value");
  h.ops[2].siblings = 0;  // the same read of one value is fine
  CHECK(check_linearizability(h).result.verdict == Verdict::Valid);
}

TEST_CASE("siblings: the conflicts metric counts siblings per read and lww's overwritten writes") {
  TraceBuilder t;
  t.header["params"] = {{"conflict", "version-vectors"}};
  t.write(1, "x", 10, "n1", 0, 1);
  t.write(2, "x", 20, "n2", 0, 1);
  t.read_siblings(3, "x", {10, 20}, "n1", 5, 6);
  t.read(4, "x", 10, "n1", 7, 8);
  t.read(5, "y", std::nullopt, "n1", 9, 10);
  t.note(11, "n2", "lww-overwrote");
  t.note(12, "n2", "lww-hidden");
  t.end(50);
  const nlohmann::json c = t.run()["conflicts"];
  CHECK(c["strategy"] == "version-vectors");
  CHECK(c["siblings_per_read"]["reads_ok"] == 3);
  CHECK(c["siblings_per_read"]["reads_with_siblings"] == 1);
  CHECK(c["siblings_per_read"]["max"] == 2);
  CHECK(c["siblings_per_read"]["histogram"] ==
        nlohmann::json::parse(
            R"([{"siblings":0,"count":1},{"siblings":1,"count":1},{"siblings":2,"count":1}])"));
  CHECK(c["lww_overwritten"]["total"] == 2);
  CHECK(c["lost_writes"].is_null());  // no apply lines: not known
}

}  // namespace siblings_analysis_test
