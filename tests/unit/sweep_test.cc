// consim sweep's parts: the Student t quantile and the confidence interval
// on known numbers, JSON paths into scenarios and reports, and the grid's
// expansion (order, keys) from a sweep file.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "base/json_input.h"
#include "base/stats.h"
#include "cli/json_path.h"
#include "cli/sweep_spec.h"
#include "cli/sweep_table.h"

using namespace consim;
using namespace consim::cli;

namespace sweep_test {

namespace {

std::string write_temp(const std::string& name, const std::string& text) {
  const auto path = std::filesystem::temp_directory_path() / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

}  // namespace

TEST_CASE("t quantile: the 97.5% point matches published tables to 1e-9") {
  // Values from R's qt(0.975, df) (and any printed t table).
  const std::pair<std::uint64_t, double> known[] = {
      {1, 12.706204736174705},   {2, 4.302652729749464},     {3, 3.182446305284263},
      {4, 2.7764451051977934},   {5, 2.570581835636314},     {9, 2.2621571627982053},
      {10, 2.2281388519862744},  {19, 2.093024054408263},    {30, 2.0422724563012373},
      {100, 1.9839715185235556}, {1000, 1.9623390808264074}, {5000, 1.9604385517065079}};
  for (const auto& [df, t] : known) {
    CAPTURE(df);
    CHECK(std::fabs(student_t_quantile(0.975, df) - t) < 1e-9);
  }
  CHECK(std::fabs(student_t_quantile(0.95, 7) - 1.894578605090005) < 1e-9);
}

TEST_CASE("t CDF: symmetric, and 0.975 at the quantile") {
  CHECK(student_t_cdf(0.0, 3) == doctest::Approx(0.5));
  CHECK(student_t_cdf(-2.0, 6) == doctest::Approx(1 - student_t_cdf(2.0, 6)));
  CHECK(student_t_cdf(12.706204736174705, 1) == doctest::Approx(0.975).epsilon(1e-12));
}

TEST_CASE("summary: 1..5 gives mean 3 and the interval 3 +- 1.9632") {
  const SampleSummary s = summarize({1, 2, 3, 4, 5});
  CHECK(s.n == 5);
  CHECK(*s.mean == 3.0);
  CHECK(*s.sd == doctest::Approx(std::sqrt(2.5)));
  CHECK(*s.ci95_half == doctest::Approx(2.7764451051977934 * std::sqrt(2.5) / std::sqrt(5.0)));
  CHECK(*s.ci95_half == doctest::Approx(1.963243).epsilon(1e-6));
}

TEST_CASE("summary: no interval from fewer than two values, nothing from none") {
  const SampleSummary one = summarize({0.25});
  CHECK(*one.mean == 0.25);
  CHECK(!one.sd);
  CHECK(!one.ci95_half);
  const SampleSummary none = summarize({});
  CHECK(none.n == 0);
  CHECK(!none.mean);
  const SampleSummary same = summarize({2, 2, 2});
  CHECK(*same.ci95_half == 0.0);
}

TEST_CASE("json path: members, indices and [key=value] selectors") {
  const nlohmann::json report = nlohmann::json::parse(
      R"({"staleness": {"phases": [{"phase": "before", "stale": 1},
                                   {"phase": "during partition", "stale": 7}]},
          "checkers": {"causal-cc": {"verdict": "valid"}}})");
  std::string missing;
  const auto* v =
      find_at(report, parse_json_path("$.staleness.phases[phase=during partition].stale"), missing);
  REQUIRE(v);
  CHECK(*v == 7);
  CHECK(*find_at(report, parse_json_path("$.staleness.phases[0].stale"), missing) == 1);
  CHECK(*find_at(report, parse_json_path("$.checkers.causal-cc.verdict"), missing) == "valid");
  CHECK(!find_at(report, parse_json_path("$.staleness.overall"), missing));
  CHECK(missing == "no member \"overall\" at $.staleness (members: phases)");
  CHECK(!find_at(report, parse_json_path("$.staleness.phases[5]"), missing));
  CHECK(missing == "no element 5 at $.staleness.phases (it has 2)");
  CHECK(!find_at(report, parse_json_path("$.staleness.phases[phase=after]"), missing));
  CHECK(missing == "no element with phase = \"after\" at $.staleness.phases");
}

TEST_CASE("json path: set replaces or adds a member, never creates a parent") {
  nlohmann::json doc = nlohmann::json::parse(R"({"model": {"name": "a", "params": {}}})");
  std::string missing;
  CHECK(set_at(doc, parse_json_path("$.model.params.n"), 3, missing));
  CHECK(doc["model"]["params"]["n"] == 3);
  CHECK(!set_at(doc, parse_json_path("$.faults[0].heal"), "2s", missing));
  CHECK(missing == "no member \"faults\" at $ (members: model)");
}

TEST_CASE("json path: bad paths are rejected with the reason") {
  CHECK_THROWS_WITH(parse_json_path("faults[0]"),
                    "bad JSON path \"faults[0]\": it must start with $");
  CHECK_THROWS_WITH(parse_json_path("$.a[x"), "bad JSON path \"$.a[x\": unclosed [");
  CHECK_THROWS_WITH(parse_json_path("$.a[-1]"),
                    "bad index [-1] in \"$.a[-1]\": expected [N] or [key=value]");
  CHECK_THROWS_WITH(parse_json_path("$..a"),
                    "bad JSON path \"$..a\": expected a member name at character 3");
}

TEST_CASE("sweep: the grid expands row-major, seeds innermost, one key per distinct run") {
  const std::string sweep = write_temp("consim-sweep-test.json", R"({
    "scenario": ")" CONSIM_SOURCE_DIR R"(/scenarios/demo-partition.json",
    "seeds": [5, 6],
    "grid": [{"name": "heal", "path": "$.faults[0].heal", "values": ["8s", "12s"]},
             {"name": "model", "path": "$.model.name", "values": ["causal", "eventual-async", "raft"]}],
    "metrics": [{"name": "stale", "path": "$.staleness.overall.stale_rate"}]})");
  const SweepSpec spec = load_sweep(sweep);
  CHECK(spec.name == "consim-sweep-test");
  const SweepPlan plan = expand_sweep(spec);
  REQUIRE(plan.points.size() == 6);
  REQUIRE(plan.runs.size() == 12);
  CHECK(plan.points[1].labels == std::vector<std::string>{"8s", "eventual-async"});
  CHECK(plan.points[3].labels == std::vector<std::string>{"12s", "causal"});
  CHECK(plan.points[3].scenario.model_name == "causal");
  CHECK(plan.runs[3].point == 1);
  CHECK(plan.runs[3].seed == 6);
  std::set<std::string> keys;
  for (const auto& run : plan.runs) keys.insert(run.key);
  CHECK(keys.size() == 12);
  CHECK(describe_run(spec, plan, plan.runs[3]) == "heal=8s model=eventual-async seed 6");
  // The same inputs give the same keys: a rerun finds its results.
  const SweepPlan again = expand_sweep(load_sweep(sweep));
  CHECK(again.runs[7].key == plan.runs[7].key);
  std::filesystem::remove(sweep);
}

TEST_CASE("sweep: a metric that names nothing in the report names the run and the member") {
  const std::string sweep = write_temp("consim-sweep-metric.json", R"({
    "scenario": ")" CONSIM_SOURCE_DIR R"(/scenarios/demo-partition.json",
    "seeds": [1],
    "grid": [],
    "metrics": [{"name": "a", "path": "$.overall.all.availability"},
                {"name": "v", "path": "$.verdict", "equals": "invalid"},
                {"name": "b", "path": "$.overall.al.ok"}]})");
  const SweepSpec spec = load_sweep(sweep);
  const nlohmann::json report = nlohmann::json::parse(
      R"({"overall": {"all": {"availability": 0.5, "ok": 2}}, "verdict": "invalid"})");
  CHECK_THROWS_WITH(run_metrics(spec, report, "seed 1"),
                    (sweep + ": $.metrics[2].path: the report of run seed 1 has no member \"al\" "
                             "at $.overall (members: all)")
                        .c_str());
  std::filesystem::remove(sweep);
}

}  // namespace sweep_test
