// Clients that talk to leaders: a node that is not the leader answers with a
// redirect; the client re-sends the same operation to the hinted leader (or
// its next node without a hint), remembers the leader for its next
// operations, and gives up after a bounded number of redirects. Roles that
// a model announces are trace lines.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "analysis/report/analyze.h"
#include "base/json_input.h"
#include "models/model_support.h"
#include "story_support.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_redirect_test {

namespace {

struct LeaderConfig : ModelConfig {
  bool hint = true;
  nlohmann::json to_json() const override { return {{"hint", hint}}; }
};

// n1 leads term 1 and answers; the others redirect to it (or, without
// hints, say only "not me").
class FixedLeader : public Replica {
 public:
  FixedLeader(const LeaderConfig& config, Context& ctx) : hint_(config.hint), ctx_(ctx) {
    ctx_.role(leads() ? "leader" : "follower", 1);
  }
  void on_request(const Request& r) override {
    if (leads())
      ctx_.reply(r, Reply::ok());
    else
      ctx_.reply(r, Reply::redirect(hint_ ? std::optional<NodeId>(0) : std::nullopt));
  }
  void on_message(NodeId, const Payload&) override {}
  void on_timer(std::uint64_t) override {}
  void on_crash() override {}
  void on_recover() override {}

 private:
  bool leads() const { return hint_ && ctx_.self() == 0; }
  bool hint_;
  Context& ctx_;
};

const ModelCatalog& leader_catalog() {
  static const ModelCatalog catalog = {
      {"fixed-leader",
       "n1 leads; the others redirect",
       [](const JsonReader& params, const ModelScenario&) {
         params.allow_only({"hint"});
         auto config = std::make_shared<LeaderConfig>();
         config->hint = !params.has("hint") || params.boolean("hint");
         return std::shared_ptr<const ModelConfig>(config);
       },
       [](const ModelConfig& c, Context& ctx) {
         return std::make_unique<FixedLeader>(dynamic_cast<const LeaderConfig&>(c), ctx);
       },
       {}},
  };
  return catalog;
}

std::vector<json> run_leader_story(bool hint) {
  json doc = base_scenario("fixed-leader", 3, {"n2"});
  doc["duration"] = "200ms";
  doc["model"]["params"] = {{"hint", hint}};
  Scenario s = parse_scenario(doc, "redirect.json", leader_catalog());
  auto path = temp_trace_path(hint ? "redirect-hint" : "redirect-nohint");
  run_scenario(s, leader_catalog().front().make, path.string());
  auto lines = parse_lines(read_file(path));
  std::filesystem::remove(path);
  return lines;
}

// The report of a leader story whose client sits 1 ms from its node.
json leader_report(bool hint) {
  json doc = base_scenario("fixed-leader", 3, {"n2"});
  doc["duration"] = "200ms";
  doc["model"]["params"] = {{"hint", hint}};
  doc["network"]["client_latency"] = "1ms";
  Scenario s = parse_scenario(doc, "redirect.json", leader_catalog());
  auto path = temp_trace_path(hint ? "redirect-report-hint" : "redirect-report-nohint");
  run_scenario(s, leader_catalog().front().make, path.string());
  AnalyzeOptions options;
  options.checkers = std::vector<std::string>{};
  json report = analyze_trace(path.string(), options);
  std::filesystem::remove(path);
  return report;
}

}  // namespace

TEST_CASE("a client sent away by a follower finds the leader once and then goes straight to it") {
  auto lines = run_leader_story(true);
  auto redirects = of_type(lines, "redirect");
  REQUIRE(redirects.size() == 1);
  CHECK(redirects[0]["node"] == "n2");
  CHECK(redirects[0]["hint"] == "n1");
  CHECK(redirects[0]["to"] == "n1");
  auto oks = of_type(lines, "ok");
  REQUIRE(oks.size() > 5);
  for (const auto& ok : oks) CHECK(ok["node"] == "n1");
  CHECK(oks[0]["op"] == redirects[0]["op"]);
}

TEST_CASE("roles a model announces are trace lines with the node, the role and the term") {
  auto roles = of_type(run_leader_story(true), "role");
  REQUIRE(roles.size() == 3);
  CHECK(roles[0] ==
        json{{"type", "role"}, {"time", 0}, {"node", "n1"}, {"role", "leader"}, {"term", 1}});
  CHECK(roles[1]["role"] == "follower");
}

TEST_CASE("with no leader anywhere an operation fails after a bounded number of redirects") {
  auto lines = run_leader_story(false);
  auto fails = of_type(lines, "fail");
  REQUIRE(!fails.empty());
  CHECK(fails[0]["reason"] == "no leader found after 7 redirects");
  CHECK(of_type(lines, "ok").empty());
  // Without a hint the client walks its own node list: n2 is its only node.
  CHECK(of_type(lines, "redirect")[0]["to"] == "n2");
}

TEST_CASE("the report counts the one redirect and the 2 ms the client spent finding the leader") {
  // Request to n2 (1 ms), its redirect back (1 ms), then straight to n1.
  json r = leader_report(true)["redirects"];
  CHECK(r["redirects"] == 1);
  CHECK(r["operations_redirected"] == 1);
  CHECK(r["gave_up"] == 0);
  CHECK(r["leader_search_ms"]["count"] == 1);
  CHECK(r["leader_search_ms"]["p50"].get<double>() == doctest::Approx(2.0));
}

TEST_CASE("with no leader anywhere every operation gives up and none has a leader search time") {
  json report = leader_report(false);
  json r = report["redirects"];
  CHECK(r["operations_redirected"].get<int>() > 3);
  // Every operation but the one the run's end cut short.
  CHECK(r["gave_up"] == report["overall"]["all"]["fail"]);
  CHECK(r["gave_up"].get<int>() + r["unresolved"].get<int>() ==
        r["operations_redirected"].get<int>());
  CHECK(r["per_operation"]["max"] == 8);  // 7 re-sent, the 8th given up
  CHECK(r["leader_search_ms"]["count"] == 0);
  auto lines = run_leader_story(false);
  auto redirects = of_type(lines, "redirect");
  REQUIRE(redirects.size() >= 8);
  CHECK(redirects[7]["to"].is_null());
}

TEST_CASE("compare shows a redirect column and how each model's clients found the leader") {
  json with = leader_report(true);
  std::string text = comparison_text({with});
  CHECK(text.find("redir") != std::string::npos);
  CHECK(
      text.find("finding the leader\nmodel         redirects  ops redirected  gave up  "
                "search p50/99 ms\nfixed-leader  1          1               0        2.0/2.0\n") !=
      std::string::npos);
  json without = with;
  without["redirects"]["redirects"] = 0;
  for (auto& p : without["redirects"]["phases"]) p["redirects"] = 0;
  std::string plain = comparison_text({without});
  CHECK(plain.find("redir") == std::string::npos);
  CHECK(plain.find("finding the leader") == std::string::npos);
}
}  // namespace story_redirect_test
