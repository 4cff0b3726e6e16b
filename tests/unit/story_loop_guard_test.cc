// The loop guard, end to end: a scenario whose time cannot advance stops
// with bad input naming the repeating kind of event, the instant and the
// likely setting, and leaves no trace (not even the .tmp). The Scenario is
// changed after loading, so this does not depend on what the loader
// rejects (it rejects a zero think time itself).
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "base/json_input.h"
#include "story_support.h"

using namespace consim;
using namespace consim::test;

namespace story_loop_guard_test {

TEST_CASE(
    "a think time of zero stops the run as bad input, naming the setting, with no trace left") {
  Scenario s = parse_scenario(base_scenario("eventual-async", 3, {"n1", "n2"}), "guard.json",
                              model_registry());
  s.workload.think_time = Distribution::constant(0);
  auto path = temp_trace_path("loop-guard");
  std::filesystem::remove(path);
  try {
    run_scenario(s, registered_model(s.model_name).make, path.string(), RunLimits{100'000});
    FAIL("the run finished");
  } catch (const InputError& e) {
    CHECK(e.file() == "guard.json");
    CHECK(e.path() == "$.workload.think_time");
    CHECK(e.message() ==
          "simulated time stopped advancing at 0s: 100000 events ran at that one instant (the "
          "last 10000: 10000 client operation starts); this setting is the likely cause: a think "
          "time (or an open-loop gap) of 0 ns lets every client invoke its next operation at the "
          "same instant");
  }
  CHECK_FALSE(std::filesystem::exists(path));
  CHECK_FALSE(std::filesystem::exists(path.string() + ".tmp"));
}

TEST_CASE("the guard leaves a run with many events at one instant, under the limit, alone") {
  // 40 clients on 3 nodes, constant think time and latency: every client
  // acts at the same instants, each burst far under the limit.
  nlohmann::json doc = base_scenario("eventual-async", 3, {});
  for (int i = 0; i < 40; ++i)
    doc["clients"].push_back({{"node", "n" + std::to_string(i % 3 + 1)}});
  Scenario s = parse_scenario(doc, "burst.json", model_registry());
  s.duration = 200 * kMillisecond;
  std::string text = run_to_text(s, "loop-burst");
  CHECK(text.find("\"type\":\"end\"") != std::string::npos);
}

}  // namespace story_loop_guard_test
