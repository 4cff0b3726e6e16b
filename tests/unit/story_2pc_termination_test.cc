// The 2PC coordinator-crash scenarios in scenarios/, run and analysed as a
// class would: without cooperative termination the participants stay
// divergent and blocked on every key whose decision they missed; with it
// they agree, except on what only the crashed coordinator knows, which the
// report still lists as in doubt (acknowledged, held by n1), never as lost.
#include <doctest/doctest.h>

#include "analysis/report/analyze.h"
#include "story_support.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_2pc_termination_test {

namespace {

json scenario_report(const std::string& file) {
  const Scenario scenario = load_scenario(CONSIM_SOURCE_DIR "/scenarios/" + file, model_registry());
  const auto path = temp_trace_path("2pc-termination-" + file);
  run_scenario(scenario, registered_model(scenario.model_name).make, path.string());
  AnalyzeOptions options;
  options.checkers = std::vector<std::string>{"linearizable"};
  json report = analyze_trace(path.string(), options);
  std::filesystem::remove(path);
  return report;
}

std::uint64_t note_count(const json& report, const std::string& what) {
  return report["notes"].contains(what) ? report["notes"][what]["count"].get<std::uint64_t>() : 0;
}

}  // namespace

TEST_CASE(
    "2pc coordinator crash: with cooperative termination the participants agree again, and what "
    "only the coordinator knows stays in doubt, never lost") {
  const json blocked = scenario_report("2pc-coordinator-crash.json");
  const json cooperative = scenario_report("2pc-coordinator-crash-cooperative.json");
  for (const json* r : {&blocked, &cooperative}) {
    CHECK((*r)["lost_writes"]["count"] == 0);
    CHECK((*r)["checkers"]["linearizable"]["verdict"] == "valid");
    // Acknowledged by n1, whose commit reached neither participant: nobody
    // else knows it, so termination cannot resolve it.
    CHECK((*r)["lost_writes"]["in_doubt"]["count"].get<std::uint64_t>() >= 1);
    for (const json& w : (*r)["lost_writes"]["in_doubt"]["listed"])
      CHECK(w["held_by"] == json::array({"n1"}));
  }
  CHECK(blocked["lost_writes"]["in_doubt"] == cooperative["lost_writes"]["in_doubt"]);
  // Without: n2 and n3 disagree to the end on keys one of them resolved.
  CHECK(blocked["convergence"]["divergent_keys_at_end"].get<int>() > 0);
  CHECK(note_count(blocked, "terminated") == 0);
  CHECK(note_count(blocked, "termination-ask") == 0);
  // With: they learn from each other (a commit one saw, an abort of a txn
  // one never voted for) and agree; the unknowable one keeps them asking.
  CHECK(cooperative["convergence"]["divergent_keys_at_end"] == 0);
  CHECK(note_count(cooperative, "terminated") > 0);
  CHECK(note_count(cooperative, "unilateral-abort") > 0);
  CHECK(note_count(cooperative, "termination-ask") > note_count(cooperative, "terminated"));
}

}  // namespace story_2pc_termination_test
