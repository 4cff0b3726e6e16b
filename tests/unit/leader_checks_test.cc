// one-leader-per-term and no-lost-writes (analysis/checkers/leader_checks.h):
// tiny hand-written traces and facts with the expected verdicts, the role
// line as the reader sees it, and the lost-write facts of a real run.
#include "analysis/checkers/leader_checks.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "analysis/report/analyze.h"
#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "tests/unit/jsonl_fixture.h"

using namespace consim;
using consim::testing::write_jsonl;

namespace leader_checks_test {

namespace {

constexpr const char* kHeader =
    R"({"type":"header","format":"consim-trace","version":1,"nodes":["n1","n2","n3"]})";

History roles_history(const std::string& name, const std::string& role_lines) {
  return load_history(write_jsonl(name, std::string(kHeader) + "\n" + role_lines));
}

}  // namespace

TEST_CASE("trace reader: a role line gives its node, role and term, in the history") {
  History h = roles_history("roles-read.jsonl",
                            R"({"type":"role","time":5,"node":"n2","role":"leader","term":3}
{"type":"role","time":9,"node":"n2","role":"follower","term":4}
)");
  REQUIRE(h.roles.size() == 2);
  CHECK(h.roles[0].line == 2);
  CHECK(h.roles[0].time == 5);
  CHECK(h.node_names.at(h.roles[0].node) == "n2");
  CHECK(h.roles[0].role == "leader");
  CHECK(h.roles[0].term == 3);
  CHECK(h.roles[1].role == "follower");
  CHECK(h.roles[1].term == 4);
}

TEST_CASE("trace reader: a role line without a term, or with a negative one, names the line") {
  auto error = [](const std::string& name, const std::string& line) {
    try {
      roles_history(name, line + "\n");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(error("role-no-term.jsonl", R"({"type":"role","time":1,"node":"n1","role":"leader"})")
            .find("line 2: \"role\" line is missing required field \"term\"") != std::string::npos);
  CHECK(error("role-neg-term.jsonl",
              R"({"type":"role","time":1,"node":"n1","role":"leader","term":-1})")
            .find("line 2: field \"term\" must not be negative, got -1") != std::string::npos);
}

TEST_CASE("one-leader-per-term: two nodes leading one term is a violation naming both lines") {
  History h = roles_history("two-leaders.jsonl",
                            R"({"type":"role","time":1,"node":"n1","role":"leader","term":3}
{"type":"role","time":2,"node":"n3","role":"follower","term":3}
{"type":"role","time":3,"node":"n2","role":"primary","term":3}
)");
  CheckResult r = check_one_leader_per_term(h);
  CHECK(r.verdict == Verdict::Invalid);
  CHECK(r.violation_count == 1);
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].ops == std::vector<std::uint64_t>{2, 4});
  CHECK(r.violations[0].reason == "term 3 has 2 leaders: n1 (line 2), n2 (line 4)");
}

TEST_CASE("one-leader-per-term: a leader per term, re-announced or stepping down, is valid") {
  History h = roles_history("leaders-ok.jsonl",
                            R"({"type":"role","time":1,"node":"n1","role":"leader","term":3}
{"type":"role","time":2,"node":"n1","role":"leader","term":3}
{"type":"role","time":3,"node":"n1","role":"follower","term":4}
{"type":"role","time":4,"node":"n2","role":"leader","term":4}
{"type":"role","time":5,"node":"n3","role":"candidate","term":4}
)");
  CheckResult r = check_one_leader_per_term(h);
  CHECK(r.verdict == Verdict::Valid);
  CHECK(r.violation_count == 0);
}

TEST_CASE("one-leader-per-term: a model without role lines trivially passes") {
  History h = roles_history("no-roles.jsonl", "");
  CheckResult r = check_one_leader_per_term(h);
  CHECK(r.verdict == Verdict::Valid);
  CHECK(r.note == "no role lines: nothing announced a leader");
}

TEST_CASE("no-lost-writes: a lost acknowledged write fails; one in doubt does not") {
  History h;
  LostWriteFacts f;
  f.in_doubt = 2;
  h.lost_writes = f;
  CheckResult r = check_no_lost_writes(h);
  CHECK(r.verdict == Verdict::Valid);
  CHECK(r.note == "2 acknowledged writes in doubt (held only by crashed replicas), not lost");

  f.lost = 1;
  f.listed.push_back({17, "3", 42});
  h.lost_writes = f;
  r = check_no_lost_writes(h);
  CHECK(r.verdict == Verdict::Invalid);
  CHECK(r.violation_count == 1);
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].key == "3");
  CHECK(r.violations[0].ops == std::vector<std::uint64_t>{17});
  CHECK(r.violations[0].reason.find("write of 42 was acknowledged") == 0);
}

TEST_CASE("no-lost-writes: missing writes while faults are active are unknown, not a failure") {
  History h;
  LostWriteFacts f;
  f.lost = 3;
  f.final = false;
  h.lost_writes = f;
  CheckResult r = check_no_lost_writes(h);
  CHECK(r.verdict == Verdict::Unknown);
  CHECK(r.note.find("3 acknowledged writes missing, but the run ended with a fault active") == 0);
}

TEST_CASE("no-lost-writes: a history without replica state passes, saying what it needs") {
  History h = load_checked_history(write_jsonl(
      "no-apply.jsonl", std::string(kHeader) + "\n" +
                            R"({"type":"invoke","time":1,"process":0,"f":"write","key":1,"value":5}
{"type":"ok","time":2,"process":0,"f":"write","key":1,"value":5}
)"));
  CHECK(!h.lost_writes);
  CheckResult r = check_no_lost_writes(h);
  CHECK(r.verdict == Verdict::Valid);
  CHECK(r.note.find("needs a consim trace at level state or full") != std::string::npos);
}

TEST_CASE("no-lost-writes: reads the report's lost writes from a trace's apply lines") {
  // n1 applies and acknowledges x=5; then n1 and n2 apply x=6, acknowledged
  // later; at the end every replica holds 5: the write of 6 was acknowledged
  // after 5, so it is lost.
  const std::string path = write_jsonl(
      "lost-one.jsonl",
      std::string(kHeader) + "\n" +
          R"({"type":"invoke","time":1,"op":1,"process":0,"client":0,"f":"write","key":1,"value":5,"node":"n1"}
{"type":"apply","time":2,"node":"n1","key":1,"value":5}
{"type":"apply","time":2,"node":"n2","key":1,"value":5}
{"type":"ok","time":3,"op":1,"process":0,"client":0,"f":"write","key":1,"value":5,"node":"n1"}
{"type":"invoke","time":4,"op":2,"process":0,"client":0,"f":"write","key":1,"value":6,"node":"n1"}
{"type":"apply","time":5,"node":"n1","key":1,"value":6}
{"type":"ok","time":6,"op":2,"process":0,"client":0,"f":"write","key":1,"value":6,"node":"n1"}
{"type":"apply","time":7,"node":"n1","key":1,"value":5}
{"type":"end","time":10,"events":9}
)");
  History h = load_checked_history(path);
  REQUIRE(h.lost_writes);
  CHECK(h.lost_writes->lost == 1);
  CHECK(h.lost_writes->final);
  CheckResult r = check_no_lost_writes(h);
  CHECK(r.verdict == Verdict::Invalid);
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].ops == std::vector<std::uint64_t>{6});
}

TEST_CASE("report: no-lost-writes is judged on the whole run, not per phase") {
  const std::string path = write_jsonl(
      "phases-nlw.jsonl",
      std::string(kHeader) + "\n" +
          R"({"type":"invoke","time":1,"op":1,"process":0,"client":0,"f":"write","key":1,"value":5,"node":"n1"}
{"type":"apply","time":2,"node":"n1","key":1,"value":5}
{"type":"ok","time":3,"op":1,"process":0,"client":0,"f":"write","key":1,"value":5,"node":"n1"}
{"type":"end","time":10,"events":3}
)");
  AnalyzeOptions options;
  options.checkers = std::vector<std::string>{"no-lost-writes", "one-leader-per-term"};
  nlohmann::json report = analyze_trace(path, options);
  CHECK(report["checkers"]["no-lost-writes"]["verdict"] == "valid");
  CHECK(report["checkers"]["one-leader-per-term"]["verdict"] == "valid");
  for (const auto& phase : report["phases"]) {
    CHECK(!phase["checkers"].contains("no-lost-writes"));
    CHECK(phase["checkers"].contains("one-leader-per-term"));
  }
}

}  // namespace leader_checks_test
