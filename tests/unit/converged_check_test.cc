// The converged checker (analysis/checkers/converged.h) on tiny hand-written
// traces: replicas that agree at the end pass; a key whose replicas disagree
// fails, naming the replicas, their values and the apply lines; while a
// partition is active at the end the verdict is unknown; a skewed clock
// (a fault that never ends) is no excuse.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "analysis/checkers/converged.h"
#include "analysis/report/analyze.h"
#include "analysis/trace/history_loader.h"
#include "tests/unit/jsonl_fixture.h"

using namespace consim;
using consim::testing::write_jsonl;

namespace converged_check_test {

namespace {

constexpr const char* kHeader =
    R"({"type":"header","format":"consim-trace","version":1,"nodes":["n1","n2","n3"]})";

// n1 and n2 apply x=5; n2 then applies x=6, which n1 never gets.
constexpr const char* kDiverging =
    R"({"type":"invoke","time":1,"op":1,"process":0,"client":0,"f":"write","key":1,"value":5,"node":"n1"}
{"type":"apply","time":2,"node":"n1","key":1,"value":5}
{"type":"apply","time":2,"node":"n2","key":1,"value":5}
{"type":"ok","time":3,"op":1,"process":0,"client":0,"f":"write","key":1,"value":5,"node":"n1"}
{"type":"invoke","time":4,"op":2,"process":1,"client":1,"f":"write","key":1,"value":6,"node":"n2"}
{"type":"apply","time":5,"node":"n2","key":1,"value":6}
{"type":"ok","time":6,"op":2,"process":1,"client":1,"f":"write","key":1,"value":6,"node":"n2"}
)";

constexpr const char* kSkew =
    R"({"type":"fault","time":1,"fault":"skew","kind":"clock","edge":"begin","action":"clock","label":"skew: clock of n1 +5ms","node":"n1","offset":5000000,"drift_ppm":0}
)";

constexpr const char* kSplit =
    R"({"type":"fault","time":7,"fault":"split","kind":"partition","edge":"begin","action":"partition","label":"split: n1 | n2,n3","sides":[["n1"],["n2","n3"]]}
)";

History history_of(const std::string& name, const std::string& body) {
  return load_checked_history(write_jsonl(
      name, std::string(kHeader) + "\n" + body + R"({"type":"end","time":10,"events":9})" + "\n"));
}

}  // namespace

TEST_CASE("converged: replicas that agree at the end pass") {
  History h =
      history_of("agree.jsonl", std::string(kDiverging) +
                                    R"({"type":"apply","time":8,"node":"n1","key":1,"value":6}
)");
  REQUIRE(h.convergence);
  CHECK(h.convergence->divergent_keys == 0);
  CHECK(check_converged(h).verdict == Verdict::Valid);
}

TEST_CASE("converged: a key whose replicas disagree at the end fails, naming values and lines") {
  History h = history_of("disagree.jsonl", kDiverging);
  REQUIRE(h.convergence);
  CHECK(h.convergence->divergent_keys == 1);
  CheckResult r = check_converged(h);
  CHECK(r.verdict == Verdict::Invalid);
  CHECK(r.violation_count == 1);
  REQUIRE(r.violations.size() == 1);
  CHECK(r.violations[0].key == "1");
  CHECK(r.violations[0].ops == std::vector<std::uint64_t>{3, 7});
  CHECK(r.violations[0].reason ==
        "replicas disagree at the end of the run: n1 holds 5 (line 3), n2 holds 6 (line 7)");
}

TEST_CASE("converged: a clock fault never ends, and is no excuse for diverging") {
  History h = history_of("skew.jsonl", std::string(kSkew) + kDiverging);
  REQUIRE(h.convergence);
  // A clock fault is a state, not an active fault (docs/report.md, phases).
  CHECK(h.convergence->active_faults.empty());
  CHECK(check_converged(h).verdict == Verdict::Invalid);
}

TEST_CASE("converged: divergent while a partition is active at the end is unknown") {
  History h = history_of("split.jsonl", std::string(kSkew) + kDiverging + kSplit);
  CheckResult r = check_converged(h);
  CHECK(r.verdict == Verdict::Unknown);
  CHECK(r.note ==
        "1 keys divergent at the end, but faults were active at the end (split): not final");
}

TEST_CASE("converged: a history without replica state passes, saying what it needs") {
  History h = load_checked_history(
      write_jsonl("converged-no-apply.jsonl",
                  std::string(kHeader) + "\n" +
                      R"({"type":"invoke","time":1,"process":0,"f":"write","key":1,"value":5}
{"type":"ok","time":2,"process":0,"f":"write","key":1,"value":5}
)"));
  CHECK(!h.convergence);
  CheckResult r = check_converged(h);
  CHECK(r.verdict == Verdict::Valid);
  CHECK(r.note.find("needs a consim trace at level state or full") != std::string::npos);
}

TEST_CASE("converged: in the registry, judged on the whole run") {
  bool found = false;
  for (const CheckerEntry& c : checker_registry())
    if (c.name == "converged") found = c.whole_run;
  CHECK(found);
  const std::string path =
      write_jsonl("converged-report.jsonl", std::string(kHeader) + "\n" + kDiverging +
                                                R"({"type":"end","time":10,"events":7})" + "\n");
  AnalyzeOptions options;
  options.checkers = std::vector<std::string>{"converged"};
  nlohmann::json report = analyze_trace(path, options);
  CHECK(report["checkers"]["converged"]["verdict"] == "invalid");
  CHECK(report["convergence"]["divergent_at_end"][0]["key"] == "1");
  CHECK(report["convergence"]["divergent_at_end"][0]["held"].size() == 2);
  for (const auto& phase : report["phases"]) CHECK(!phase["checkers"].contains("converged"));
}

}  // namespace converged_check_test
