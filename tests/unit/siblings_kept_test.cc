// The siblings-kept checker (analysis/checkers/siblings_kept.h) on tiny
// hand-written traces: siblings a client merged pass; a sibling a replica
// drops without a covering write fails, naming the write, the replica and
// the apply line; a write that ended unknown covers what its process had
// seen; a compact vector that claims a sibling its writer never read does
// not; lww runs are not applicable (and say how many writes lww
// overwrote); a malformed "vv" is bad input.
#include "analysis/checkers/siblings_kept.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "analysis/report/analyze.h"
#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "tests/unit/jsonl_fixture.h"

using namespace consim;
using consim::testing::write_jsonl;

namespace siblings_kept_test {

namespace {

constexpr const char* kHeader =
    R"({"type":"header","format":"consim-trace","version":1,"nodes":["n1","n2"]})";

// Lines 2-9: x=1 written at n1, x=2 at n2, concurrently; both replicas end
// up holding the siblings [1, 2].
constexpr const char* kConcurrent =
    R"({"type":"invoke","time":1,"op":1,"process":0,"f":"write","key":1,"value":1,"node":"n1"}
{"type":"apply","time":2,"node":"n1","key":1,"value":1,"vv":{"n1":1}}
{"type":"ok","time":3,"op":1,"process":0,"f":"write","key":1,"value":1,"node":"n1","vv":{"n1":1}}
{"type":"invoke","time":4,"op":2,"process":1,"f":"write","key":1,"value":2,"node":"n2"}
{"type":"apply","time":5,"node":"n2","key":1,"value":2,"vv":{"n2":1}}
{"type":"ok","time":6,"op":2,"process":1,"f":"write","key":1,"value":2,"node":"n2","vv":{"n2":1}}
{"type":"apply","time":7,"node":"n1","key":1,"value":1,"siblings":[1,2],"vv":{"n1":1,"n2":1}}
{"type":"apply","time":8,"node":"n2","key":1,"value":1,"siblings":[1,2],"vv":{"n1":1,"n2":1}}
)";

// Lines 10-15: a client reads both siblings and writes x=3 with their
// context; both replicas replace [1, 2] by [3].
constexpr const char* kMerged =
    R"({"type":"invoke","time":9,"op":3,"process":0,"f":"read","key":1,"node":"n1"}
{"type":"ok","time":10,"op":3,"process":0,"f":"read","key":1,"value":1,"node":"n1","siblings":[1,2],"vv":{"n1":1,"n2":1}}
{"type":"invoke","time":11,"op":4,"process":0,"f":"write","key":1,"value":3,"node":"n1"}
{"type":"apply","time":12,"node":"n1","key":1,"value":3,"vv":{"n1":2,"n2":1}}
{"type":"ok","time":13,"op":4,"process":0,"f":"write","key":1,"value":3,"node":"n1","vv":{"n1":2,"n2":1}}
{"type":"apply","time":14,"node":"n2","key":1,"value":3,"vv":{"n1":2,"n2":1}}
)";

// Lines 10-11: both replicas keep 2 alone, with a vector that claims 1 was
// seen: 1 is dropped, and no write covers it.
constexpr const char* kDropped =
    R"({"type":"apply","time":9,"node":"n2","key":1,"value":2,"vv":{"n1":1,"n2":1}}
{"type":"apply","time":10,"node":"n1","key":1,"value":2,"vv":{"n1":1,"n2":1}}
)";

History history_of(const std::string& name, const std::string& body) {
  return load_checked_history(write_jsonl(
      name, std::string(kHeader) + "\n" + body + R"({"type":"end","time":20,"events":9})" + "\n"));
}

}  // namespace

TEST_CASE("siblings-kept: siblings a client read and merged with its next write pass") {
  History h = history_of("siblings-merged.jsonl", std::string(kConcurrent) + kMerged);
  REQUIRE(h.versions);
  CheckResult r = check_siblings_kept(h);
  CHECK(r.verdict == Verdict::Valid);
  CHECK(r.note == "3 acknowledged writes: 1 still held at the end, 2 covered by a later write");
  // Siblings still held at the end pass too.
  CHECK(check_siblings_kept(history_of("siblings-held.jsonl", kConcurrent)).verdict ==
        Verdict::Valid);
}

TEST_CASE("siblings-kept: a sibling dropped without a covering write is a violation naming it") {
  History h = history_of("siblings-dropped.jsonl", std::string(kConcurrent) + kDropped);
  CheckResult r = check_siblings_kept(h);
  CHECK(r.verdict == Verdict::Invalid);
  REQUIRE(r.violations.size() == 1);
  const Violation& v = r.violations[0];
  CHECK(v.key == "1");
  CHECK(v.ops == std::vector<std::uint64_t>{2});
  CHECK(v.slice == std::vector<std::uint64_t>{2, 4, 11});
  CHECK(v.reason ==
        "the write of 1 at line 2, acknowledged at line 4 with vv {n1:1}, is held by no replica "
        "at the end and no later write of key 1 follows it causally (none of their processes read "
        "it, or a value after it, or wrote it): it last left n1 at line 11");
  // Through the registry, as `consim check --consistency siblings-kept` runs it.
  nlohmann::json json;
  CheckOutcome out = run_checks(h, CheckSelection{{"siblings-kept"}}, json);
  CHECK(out.overall == Verdict::Invalid);
  CHECK(json["siblings-kept"]["violation_count"] == 1);
}

TEST_CASE("siblings-kept: under lww it does not apply and says how many writes lww overwrote") {
  History h = history_of(
      "siblings-lww.jsonl",
      R"({"type":"invoke","time":1,"op":1,"process":0,"f":"write","key":1,"value":1,"node":"n1"}
{"type":"apply","time":2,"node":"n1","key":1,"value":1}
{"type":"ok","time":3,"op":1,"process":0,"f":"write","key":1,"value":1,"node":"n1"}
{"type":"apply","time":4,"node":"n1","key":1,"value":2}
{"type":"note","time":4,"node":"n1","what":"lww-overwrote","detail":"write of 1 (n1:1) to key 1 replaced by 2 (n2:1), whose writer had not seen it"}
)");
  CheckResult r = check_siblings_kept(h);
  CHECK(r.verdict == Verdict::Valid);
  CHECK(r.note.find("not applicable") == 0);
  CHECK(r.note.find("1 concurrent writes were overwritten by lww") != std::string::npos);
}

TEST_CASE(
    "siblings-kept: a write that ended unknown but took effect covers what its process had seen; "
    "a compact vector that claims a sibling its writer never read does not") {
  // p0 wrote x=1, then writes x=3, which times out (info) but is applied;
  // p1 wrote x=2, then x=4. Each later write follows its process's earlier
  // one: 1 and 2 are covered.
  History h = history_of(
      "siblings-info.jsonl",
      std::string(kConcurrent) +
          R"({"type":"invoke","time":9,"op":3,"process":0,"f":"write","key":1,"value":3,"node":"n1"}
{"type":"invoke","time":9,"op":4,"process":1,"f":"write","key":1,"value":4,"node":"n2"}
{"type":"apply","time":10,"node":"n2","key":1,"value":4,"vv":{"n2":2}}
{"type":"ok","time":10,"op":4,"process":1,"f":"write","key":1,"value":4,"node":"n2","vv":{"n2":2}}
{"type":"apply","time":11,"node":"n1","key":1,"value":3,"siblings":[3,4],"vv":{"n1":2,"n2":2}}
{"type":"apply","time":11,"node":"n2","key":1,"value":3,"siblings":[3,4],"vv":{"n1":2,"n2":2}}
{"type":"info","time":12,"op":3,"process":0,"f":"write","key":1,"value":3,"node":"n1"}
)");
  CheckResult r = check_siblings_kept(h);
  CHECK(r.verdict == Verdict::Valid);
  CHECK(r.note == "3 acknowledged writes: 1 still held at the end, 2 covered by a later write");

  // Two clients of n1: p0 writes x=1 ({n1:1}); p1 writes x=2 blind
  // ({n1:2}), then x=3 with the context of its own write, {n1:2}, which
  // claims n1:1 too. Its vector {n1:3} dominates 1's, but p1 never read 1:
  // dropped without a merge.
  History compact = history_of(
      "siblings-compact.jsonl",
      R"({"type":"invoke","time":1,"op":1,"process":0,"f":"write","key":1,"value":1,"node":"n1"}
{"type":"apply","time":2,"node":"n1","key":1,"value":1,"vv":{"n1":1}}
{"type":"ok","time":3,"op":1,"process":0,"f":"write","key":1,"value":1,"node":"n1","vv":{"n1":1}}
{"type":"invoke","time":4,"op":2,"process":1,"f":"write","key":1,"value":2,"node":"n1"}
{"type":"apply","time":5,"node":"n1","key":1,"value":1,"siblings":[1,2],"vv":{"n1":2}}
{"type":"ok","time":6,"op":2,"process":1,"f":"write","key":1,"value":2,"node":"n1","vv":{"n1":2}}
{"type":"invoke","time":7,"op":3,"process":1,"f":"write","key":1,"value":3,"node":"n1"}
{"type":"apply","time":8,"node":"n1","key":1,"value":3,"vv":{"n1":3}}
{"type":"ok","time":9,"op":3,"process":1,"f":"write","key":1,"value":3,"node":"n1","vv":{"n1":3}}
)");
  CheckResult c = check_siblings_kept(compact);
  CHECK(c.verdict == Verdict::Invalid);
  REQUIRE(c.violations.size() == 1);
  CHECK(c.violations[0].ops == std::vector<std::uint64_t>{2});
}

TEST_CASE("siblings-kept: a history without replica state has nothing to judge") {
  History ops_only = history_of(
      "siblings-ops.jsonl",
      R"({"type":"invoke","time":1,"op":1,"process":0,"f":"write","key":1,"value":1,"node":"n1"}
{"type":"ok","time":3,"op":1,"process":0,"f":"write","key":1,"value":1,"node":"n1","vv":{"n1":1}}
)");
  CheckResult none = check_siblings_kept(ops_only);
  CHECK(none.verdict == Verdict::Valid);
  CHECK(none.note.find("no replica state") == 0);
}

TEST_CASE("siblings-kept: a vv that is not an object of counts is bad input naming the line") {
  for (const char* vv : {R"("n1:1")", R"({"n1":-1})", R"({"n1":1.5})"}) {
    CAPTURE(std::string(vv));
    const std::string body =
        std::string(R"({"type":"apply","time":2,"node":"n1","key":1,"value":1,"vv":)") + vv + "}\n";
    try {
      history_of("siblings-bad-vv.jsonl", body);
      FAIL("accepted");
    } catch (const InputError& e) {
      const std::string what = e.what();
      CHECK(what.find("line 2") != std::string::npos);
      CHECK(what.find("\"vv\"") != std::string::npos);
      CHECK(what.find("node name to a non-negative integer count") != std::string::npos);
    }
  }
}

}  // namespace siblings_kept_test
