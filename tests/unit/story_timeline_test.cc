// Stories of scripted sessions and the social timeline: the scenario
// timeline-causal over many seeds (eventual-async shows comments before
// their posts, causal never does, posters always see their own posts), what
// a script does step by step (a comment answers the post its commenter
// read; a step after a read of nothing is skipped; repeat; fraction), and
// the determinism of a scripted run.
#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/checkers/timeline_check.h"
#include "analysis/report/analyze.h"
#include "analysis/trace/history_loader.h"
#include "tests/unit/story_support.h"
#include "tests/unit/test_scale.h"

using namespace consim;
using namespace consim::test;
using json = nlohmann::json;

namespace story_timeline_test {

namespace {

const std::string kTimeline = CONSIM_SOURCE_DIR "/scenarios/timeline-causal.json";

json timeline_doc(const std::string& model, std::uint64_t seed) {
  json doc = json::parse(read_file(kTimeline));
  doc["model"] = {{"name", model}, {"params", json::object()}};
  doc["seed"] = seed;
  return doc;
}

TimelineCheck run_check(const json& doc, const std::string& tag) {
  Scenario s = parse_scenario(doc, tag + ".json", model_registry());
  auto path = temp_trace_path(tag);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  TimelineCheck t = check_timeline(load_history(path.string()));
  std::filesystem::remove(path);
  return t;
}

// A three-node eventual store, `keys` keys, and the given client groups.
json script_doc(const json& clients, std::uint64_t keys = 20) {
  return {{"name", "script"},
          {"seed", 3},
          {"duration", "2s"},
          {"nodes", {"n1", "n2", "n3"}},
          {"model", "eventual-async"},
          {"network", {{"client_latency", "1ms"}}},
          {"workload", {{"keys", keys}, {"think_time", "10ms"}}},
          {"clients", clients}};
}

std::vector<json> ops_of(const std::vector<json>& lines, const std::string& type) {
  std::vector<json> out;
  for (const auto& l : lines)
    if (l["type"] == type) out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("timeline-causal: eventual-async shows comments before their posts; causal never does") {
  const int seeds = sweep(30);
  int eventual_seeds_with_anomalies = 0;
  std::uint64_t eventual_anomalies = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    TimelineCheck ev = run_check(timeline_doc("eventual-async", seed), "timeline-ev");
    TimelineCheck ca = run_check(timeline_doc("causal", seed), "timeline-ca");
    INFO("seed " << seed);
    CHECK(ev.comments > 0);
    CHECK(ca.comments > 0);
    CHECK(ca.post_reads > 0);
    // Causal: the reader's node holds a comment back until its post is applied.
    CHECK(ca.causal_anomalies == 0);
    CHECK(ca.result.verdict == Verdict::Valid);
    // Both: a poster reads its timeline at its own node.
    CHECK(ev.own_post_missed == 0);
    CHECK(ca.own_post_missed == 0);
    if (ev.causal_anomalies > 0) ++eventual_seeds_with_anomalies;
    eventual_anomalies += ev.causal_anomalies;
  }
  // The 60 ms link from n1 to n3 lets comments (via n2, 2 ms) overtake posts
  // on most seeds; at least half of them show it.
  CHECK(eventual_seeds_with_anomalies * 2 >= seeds);
  CHECK(eventual_anomalies > 0);
}

TEST_CASE("scripted sessions: a comment answers the post its commenter read, on the key it names") {
  json posters = {
      {"name", "posters"},
      {"count", 2},
      {"nodes", {"n1"}},
      {"workload",
       {{"script",
         {{"steps", json::array({{{"name", "post"}, {"op", "write"}, {"key", {{"own", 0}}}}})}}}}}};
  json commenters = {{"name", "commenters"},
                     {"count", 1},
                     {"nodes", {"n2"}},
                     {"workload",
                      {{"script",
                        {{"steps",
                          {{{"name", "read-post"}, {"op", "read"}, {"key", {{"uniform", {0, 1}}}}},
                           {{"name", "comment"},
                            {"op", "write"},
                            {"key", {{"same_as", "read-post"}, {"plus", 10}}},
                            {"value", {{"answers", "read-post"}}}}}}}}}}};
  auto lines = run_story(script_doc(json::array({posters, commenters})), "script-comment");
  // In trace order: each comment answers the value of its client's last ok
  // read of a post, on that read's key + 10; posters only post.
  json last_read;
  int comments = 0;
  for (const auto& l : lines) {
    if (l["type"] == "ok" && l["client"] == 2 && l["step"] == "read-post") last_read = l;
    if (l["type"] != "invoke") continue;
    if (l["client"] < 2) CHECK(l["step"] == "post");
    if (l["step"] != "comment") continue;
    REQUIRE(!last_read.is_null());
    CHECK(l["answers"] == last_read["value"]);
    CHECK(l["key"].get<int>() == last_read["key"].get<int>() + 10);
    ++comments;
  }
  CHECK(comments > 10);
}

TEST_CASE("scripted sessions: a step that depends on a read of nothing is skipped") {
  json commenters = {{"name", "commenters"},
                     {"count", 2},
                     {"workload",
                      {{"script",
                        {{"steps",
                          {{{"name", "read-post"}, {"op", "read"}, {"key", 0}},
                           {{"name", "comment"},
                            {"op", "write"},
                            {"key", 10},
                            {"value", {{"answers", "read-post"}}}}}}}}}}};
  auto lines = run_story(script_doc(json::array({commenters})), "script-skip");
  auto invokes = ops_of(lines, "invoke");
  CHECK(invokes.size() > 50);
  for (const auto& l : invokes) CHECK(l["step"] == "read-post");  // nobody posts: no comment
}

TEST_CASE("scripted sessions: post_of after a value that is no comment is skipped") {
  // Random writers (no script) write key 5; a reader follows what it reads
  // there as if it were a comment: no value is one, so it never reads a post.
  json writers = {{"name", "writers"}, {"count", 1}, {"workload", {{"read_fraction", 0}}}};
  json readers = {{"name", "readers"},
                  {"count", 1},
                  {"workload",
                   {{"script",
                     {{"steps",
                       {{{"name", "c"}, {"op", "read"}, {"key", 5}},
                        {{"name", "p"}, {"op", "read"}, {"key", {{"post_of", "c"}}}}}}}}}}};
  auto lines = run_story(script_doc(json::array({writers, readers}), 6), "script-not-comment");
  int reads_of_5 = 0;
  for (const auto& l : ops_of(lines, "ok")) {
    if (l["client"] != 1) continue;
    CHECK(l["step"] == "c");
    if (!l["value"].is_null()) ++reads_of_5;
  }
  CHECK(reads_of_5 > 10);
}

TEST_CASE("scripted sessions: repeat runs that many rounds, then the client stops") {
  json readers = {{"name", "readers"},
                  {"count", 3},
                  {"workload",
                   {{"script",
                     {{"repeat", 4},
                      {"steps",
                       {{{"name", "w"}, {"op", "write"}, {"key", {{"own", 0}}}},
                        {{"name", "r"}, {"op", "read"}, {"key", {{"same_as", "w"}}}}}}}}}}};
  auto lines = run_story(script_doc(json::array({readers})), "script-repeat");
  std::map<int, int> per_client;
  for (const auto& l : ops_of(lines, "ok")) ++per_client[l["client"].get<int>()];
  REQUIRE(per_client.size() == 3);
  for (const auto& [client, n] : per_client) CHECK(n == 8);
  // Each client wrote and read its own key.
  for (const auto& l : ops_of(lines, "ok")) CHECK(l["key"] == l["client"]);
}

TEST_CASE("scripted sessions: fraction mixes script rounds with random operations") {
  json mixed = {{"name", "mixed"},
                {"count", 2},
                {"workload",
                 {{"script",
                   {{"fraction", 0.5},
                    {"steps", json::array({{{"name", "s"}, {"op", "read"}, {"key", 19}}})}}}}}};
  auto lines = run_story(script_doc(json::array({mixed})), "script-mixed");
  int scripted = 0, random = 0;
  for (const auto& l : ops_of(lines, "invoke")) {
    if (l.contains("step")) {
      CHECK(l["key"] == 19);
      ++scripted;
    } else {
      ++random;
    }
  }
  CHECK(scripted > 50);
  CHECK(random > 50);
}

TEST_CASE("timeline-causal: compare and the run summary give the timeline verdict per model") {
  std::vector<json> reports;
  for (const std::string model : {"eventual-async", "causal"}) {
    Scenario s = parse_scenario(timeline_doc(model, 1), "timeline-cmp.json", model_registry());
    auto path = temp_trace_path("timeline-cmp-" + model);
    run_scenario(s, registered_model(s.model_name).make, path.string());
    AnalyzeOptions options;
    options.checkers = std::vector<std::string>{"timeline"};
    reports.push_back(analyze_trace(path.string(), options));
    std::filesystem::remove(path);
  }
  const std::string text = comparison_text(reports);
  CHECK(text.find("timeline (comments seen before their post; posters missing their own "
                  "post):\neventual-async invalid: 248 of 676 reads of a post after its comment "
                  "missed it; 0 of 128 own-timeline reads missed the poster's post\ncausal         "
                  "valid: 0 of 669 reads") != std::string::npos);
  CHECK(report_summary_text(reports[0])
            .find("timeline: 248 of 676 reads of a post after its comment missed it (causal "
                  "anomalies)") != std::string::npos);
}

TEST_CASE("scripted sessions: the same scenario and seed give the same trace") {
  json doc = timeline_doc("eventual-async", 7);
  Scenario s = parse_scenario(doc, "timeline-det.json", model_registry());
  CHECK(run_to_text(s, "timeline-det-a") == run_to_text(s, "timeline-det-b"));
}

}  // namespace story_timeline_test
