// Reads that return several siblings (version vectors, mv-register) in the
// session and causal checkers: such a read observes every sibling it
// returned (docs/checkers.md, "Sibling reads"). Each history here went
// wrong when a sibling read was judged by its first sibling only: the
// session cases gave false violations, the causal case missed one.
#include <doctest/doctest.h>

#include <string>

#include "analysis/checkers/causal.h"
#include "analysis/checkers/session.h"
#include "analysis/trace/history_loader.h"
#include "tests/unit/jsonl_fixture.h"

using namespace consim;
using consim::testing::write_jsonl;

namespace sibling_reads_test {

namespace {

enum { kRyw, kMr, kMw, kWfr };

// One operation as an invoke line and an ok line, at times t and t + 1.
std::string op(int id, int process, const char* f, const char* key, const std::string& value, int t,
               const std::string& siblings = "") {
  const std::string head = R"({"type":"invoke","time":)" + std::to_string(t) + R"(,"op":)" +
                           std::to_string(id) + R"(,"process":)" + std::to_string(process) +
                           R"(,"f":")" + f + R"(","key":")" + key + "\"";
  const bool read = std::string(f) == "read";
  std::string out = head + (read ? "" : R"(,"value":)" + value) + "}\n";
  out += R"({"type":"ok","time":)" + std::to_string(t + 1) + R"(,"op":)" + std::to_string(id) +
         R"(,"process":)" + std::to_string(process) + R"(,"f":")" + f + R"(","key":")" + key +
         R"(","value":)" + value + (siblings.empty() ? "" : R"(,"siblings":)" + siblings) + "}\n";
  return out;
}

History load(const std::string& name, const std::string& body) {
  return load_history(write_jsonl(
      name, R"({"type":"header","format":"consim-trace","version":1})" + std::string("\n") + body));
}

}  // namespace

TEST_CASE(
    "sibling reads: a read whose siblings include the process's own write, or the value it read "
    "before, keeps read-your-writes and monotonic reads") {
  // Process 1 writes x=1; process 0 writes x=2 after it, not having seen it,
  // so a version-vectors store keeps both. Process 0 then reads [1, 2]: its
  // own write is there (1 comes first, by the writer's node). Process 2
  // reads 2 alone, then [1, 2]: 2 is still there.
  const History h =
      load("siblings-session-ok.jsonl",
           op(1, 1, "write", "x", "1", 10) + op(2, 0, "write", "x", "2", 20) +
               op(3, 0, "read", "x", "1", 30, "[1,2]") + op(4, 2, "read", "x", "2", 40) +
               op(5, 2, "read", "x", "1", 50, "[1,2]"));
  REQUIRE(h.read_siblings.size() == 2);
  const auto r = check_session_guarantees(h);
  CHECK(r[kRyw].reads_checked == 1);
  CHECK(r[kRyw].violating == 0);  // was 1: "returns 1, older than its own write of 2"
  CHECK(r[kMr].reads_checked == 1);
  CHECK(r[kMr].violating == 0);  // was 1: "returns 1, older than 2"
  CHECK(r[kMw].violating == 0);
  CHECK(r[kWfr].violating == 0);
}

TEST_CASE(
    "sibling reads: a read whose siblings are all older than the process's own write "
    "breaks read-your-writes, and the violation lists every sibling") {
  const History h =
      load("siblings-session-bad.jsonl",
           op(1, 1, "write", "y", "10", 10) + op(2, 4, "write", "y", "11", 12) +
               op(3, 5, "write", "y", "12", 20) + op(4, 5, "read", "y", "10", 30, "[10,11]"));
  const auto r = check_session_guarantees(h);
  REQUIRE(r[kRyw].violating == 1);
  REQUIRE(r[kRyw].violations.size() == 1);
  CHECK(r[kRyw].violations[0].reason ==
        "read-your-writes: the read at line 8 by process 5 returns the siblings 10 (written at "
        "line 2), 11 (written at line 4), older than its own write of 12 at line 6, acknowledged "
        "before the read began");
}

TEST_CASE(
    "sibling reads: a sibling read observes every sibling, so what precedes any of them "
    "precedes the reads after it (causal)") {
  // p1 writes z=7, then x=2; p0 writes x=1. p2 reads x and gets the
  // siblings [1, 2], then writes y=5. p3 reads y=5, then z: z=7 causally
  // precedes that read (through the sibling 2), so reading nothing is
  // WriteCOInitRead. Judged by its first sibling (1), p2's read did not
  // depend on 2 and the history passed.
  const std::string before = op(1, 1, "write", "z", "7", 10) + op(2, 1, "write", "x", "2", 20) +
                             op(3, 0, "write", "x", "1", 22) +
                             op(4, 2, "read", "x", "1", 30, "[1,2]") +
                             op(5, 2, "write", "y", "5", 40) + op(6, 3, "read", "y", "5", 50);
  const auto bad =
      check_causal(load("siblings-causal-bad.jsonl", before + op(7, 3, "read", "z", "null", 60)));
  REQUIRE(bad.size() == 3);
  CHECK(bad[0].checker == "causal-cc");
  CHECK(bad[0].verdict == Verdict::Invalid);
  REQUIRE(bad[0].violations.size() == 1);
  CHECK(bad[0].violations[0].reason.rfind("WriteCOInitRead: the read at line 14", 0) == 0);
  // Reading z=7 there is fine, and so is the sibling read itself: its two
  // siblings are concurrent, neither overwrote the other.
  const auto good =
      check_causal(load("siblings-causal-ok.jsonl", before + op(7, 3, "read", "z", "7", 60)));
  for (const CheckResult& c : good) {
    CAPTURE(c.checker);
    CHECK(c.verdict == Verdict::Valid);
  }
  // Siblings where one causally precedes the other: the older one should
  // have been superseded (WriteCORead).
  const auto stale =
      check_causal(load("siblings-causal-stale.jsonl",
                        op(1, 0, "write", "x", "1", 10) + op(2, 0, "write", "x", "2", 20) +
                            op(3, 1, "read", "x", "1", 30, "[1,2]")));
  CHECK(stale[0].verdict == Verdict::Invalid);
}

}  // namespace sibling_reads_test
