// Stories of sessions across timeouts: after an operation whose outcome is
// unknown (`info`), the client carries on as a new process (Jepsen's
// convention), so session order never runs through it, and every checker
// reads the history the same way.
#include <doctest/doctest.h>

#include <map>
#include <optional>
#include <set>

#include "analysis/report/analyze.h"
#include "story_support.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_sessions_test {

namespace {

// Issue 7, defect 1: one client on n1 falling back to n2, one key; n1 is
// paused from 1 s to 2 s. The write invoked at n1 at 1 s times out (info);
// the client carries on at n2, writes the key again, stops writing at
// 1.5 s; n1 resumes at 2 s and applies the old write, which wins (its stamp
// is later, under lww), and the client's reads at n2 return it.
json pause_fallback() {
  json s = base_scenario("causal", 3, {"n1"});
  s["model"]["params"] = {{"conflict", "lww"}};
  s["seed"] = 2;
  s["clients"] = json::array({{{"node", "n1"}, {"fallback", {"n2"}}}});
  s["workload"]["keys"] = 1;
  s["workload"]["timeout"] = "100ms";
  s["workload"]["writes_stop"] = "1500ms";
  s["faults"] = json::array({{{"type", "pause"}, {"node", "n1"}, {"at", "1s"}, {"resume", "2s"}}});
  return s;
}

}  // namespace

TEST_CASE("sessions: after an info the client carries on as a new process, same client") {
  auto lines = run_story(pause_fallback(), "sessions-process");
  std::map<std::uint64_t, std::uint64_t> process_of_op;
  std::set<std::uint64_t> processes;
  std::uint64_t current = 0;
  bool after_info = false;
  for (const auto& l : lines) {
    if (l["type"] != "invoke" && l["type"] != "ok" && l["type"] != "fail" && l["type"] != "info")
      continue;
    CHECK(l["client"] == 0);
    std::uint64_t process = l["process"];
    if (l["type"] == "invoke") {
      // One client: process 0, then 1 after the first info, 2 after the next...
      if (after_info) CHECK(process == current + 1);
      if (!after_info) CHECK(process == current);
      current = process;
      after_info = false;
      process_of_op[l["op"]] = process;
    } else {
      CHECK(process == process_of_op.at(l["op"]));  // a completion keeps its invoke's process
    }
    if (l["type"] == "info" && l["reason"] == "timeout") after_info = true;
    processes.insert(process);
  }
  CHECK(processes.size() >= 2);
}

TEST_CASE("sessions: a timed-out write applied late breaks no session or causal guarantee") {
  json s = pause_fallback();
  auto path = temp_trace_path("sessions-checkers");
  const Scenario scenario = parse_scenario(s, "sessions.json", model_registry());
  run_scenario(scenario, registered_model(scenario.model_name).make, path.string());
  // The story happened: a write timed out at n1, and n2 applied it after
  // n1 resumed.
  std::optional<std::int64_t> lost_in_doubt;
  bool applied_late = false;
  for (const auto& l : parse_lines(read_file(path))) {
    if (l["type"] == "info" && l["f"] == "write" && l["node"] == "n1")
      lost_in_doubt = l["value"].get<std::int64_t>();
    if (l["type"] == "apply" && l["node"] == "n2" && lost_in_doubt &&
        l["value"] == *lost_in_doubt && l["time"].get<std::int64_t>() >= ms(2000))
      applied_late = true;
  }
  REQUIRE(lost_in_doubt.has_value());
  CHECK(applied_late);
  json report = analyze_trace(path.string());
  std::filesystem::remove(path);
  CHECK(report["checkers"]["linearizable"]["verdict"] == "valid");
  CHECK(report["checkers"]["causal-cc"]["verdict"] == "valid");
  for (const char* g :
       {"read-your-writes", "monotonic-reads", "monotonic-writes", "writes-follow-reads"}) {
    INFO(g);
    CHECK(report["checkers"][g]["verdict"] == "valid");
  }
}

}  // namespace story_sessions_test
