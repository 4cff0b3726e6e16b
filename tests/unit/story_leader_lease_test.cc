// The paused-leader scenarios in scenarios/ (leader election as a service,
// the course's ZooKeeper example), run and analysed: a1 holds the lease,
// is paused mid-write past its lease, a2 takes over with a larger token,
// and a1 wakes and finishes its write. With fencing tokens the storage
// refuses it; without, it overwrites a2's writes and the report counts the
// acknowledged writes lost. The workload stops before a1 wakes, so nothing
// a2 stores later puts its values back. And the course's demo partition
// under leader-lease: who can serve depends on which side the one storage
// node is on.
#include <doctest/doctest.h>

#include "analysis/report/analyze.h"
#include "story_support.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_leader_lease_test {

namespace {

struct Outcome {
  json report;
  std::vector<json> lines;
};

// Runs `scenario` to a temporary trace and analyses it (linearizability only).
Outcome run_and_analyze(const Scenario& scenario, const std::string& tag) {
  const auto path = temp_trace_path(tag);
  run_scenario(scenario, registered_model(scenario.model_name).make, path.string());
  AnalyzeOptions options;
  options.checkers = std::vector<std::string>{"linearizable"};
  Outcome out{analyze_trace(path.string(), options), parse_lines(read_file(path))};
  std::filesystem::remove(path);
  return out;
}

Outcome run_file(const std::string& file) {
  return run_and_analyze(load_scenario(CONSIM_SOURCE_DIR "/scenarios/" + file, model_registry()),
                         "leader-lease-" + file);
}

std::uint64_t notes(const json& report, const std::string& what) {
  return report["notes"].contains(what) ? report["notes"][what]["count"].get<std::uint64_t>() : 0;
}

// The role lines of `node`, as (role, token, time in ms).
std::vector<std::tuple<std::string, std::uint64_t, std::int64_t>> roles_of(
    const std::vector<json>& lines, const std::string& node) {
  std::vector<std::tuple<std::string, std::uint64_t, std::int64_t>> out;
  for (const json& l : of_type(lines, "role"))
    if (l["node"] == node)
      out.emplace_back(l["role"], l["term"], l["time"].get<std::int64_t>() / ms(1));
  return out;
}

// What both runs share: a1 leads first, is paused at 2 s and learns that it
// lost the lease only when it wakes at 4.5 s; a2 leads meanwhile with a
// larger token.
void check_the_takeover(const std::vector<json>& lines) {
  auto a1 = roles_of(lines, "a1");
  auto a2 = roles_of(lines, "a2");
  REQUIRE(a1.size() == 3);
  CHECK(std::get<0>(a1[1]) == "leader");
  CHECK(std::get<2>(a1[1]) < 2000);
  CHECK(std::get<0>(a1[2]) == "follower");
  CHECK(std::get<2>(a1[2]) == 4500);
  REQUIRE(a2.size() == 2);
  CHECK(std::get<0>(a2[1]) == "leader");
  CHECK(std::get<1>(a2[1]) > std::get<1>(a1[1]));  // a larger fencing token
  // The group waited out a1's lease: renewed every 250 ms until the pause
  // at 2 s, it ends after 2.75 s.
  CHECK(std::get<2>(a2[1]) >= 2750);
  CHECK(std::get<2>(a2[1]) < 4500);
}

}  // namespace

TEST_CASE(
    "leader-lease: with fencing tokens the paused leader's late write is refused and nothing is "
    "lost") {
  const Outcome o = run_file("leader-lease-paused.json");
  check_the_takeover(o.lines);
  CHECK(notes(o.report, "fenced") == 1);
  CHECK(notes(o.report, "stale-token") == 0);
  CHECK(o.report["lost_writes"]["count"] == 0);
  CHECK(o.report["checkers"]["linearizable"]["verdict"] == "valid");
}

TEST_CASE(
    "leader-lease: without fencing tokens the paused leader's late write overwrites the new "
    "leader's, and the acknowledged writes it overwrote are counted lost") {
  const Outcome o = run_file("leader-lease-paused-unfenced.json");
  check_the_takeover(o.lines);
  CHECK(notes(o.report, "fenced") == 0);
  CHECK(notes(o.report, "stale-token") == 1);
  CHECK(o.report["lost_writes"]["count"].get<std::uint64_t>() > 0);
  CHECK(o.report["lost_writes"]["in_doubt"]["count"] == 0);
  // Nobody reads after a1 wakes (the workload has stopped), so the history
  // stays linearizable: only the final state shows the loss.
  CHECK(o.report["checkers"]["linearizable"]["verdict"] == "valid");
}

TEST_CASE(
    "leader-lease with fencing tokens: under random partitions, crashes and pauses nothing "
    "acknowledged is lost and every history is linearizable") {
  json s = json::parse(read_file(CONSIM_SOURCE_DIR "/scenarios/leader-lease-paused.json"));
  s["duration"] = "20s";
  s["workload"]["stop"] = "19s";
  s["workload"]["keys"] = 10;
  s["faults"] = json::array();
  s["nemesis"] = {{"start", "1s"},
                  {"end", "17s"},
                  {"interval", {{"type", "exponential"}, {"mean", "1s"}}},
                  {"length", {{"type", "exponential"}, {"mean", "1500ms"}}},
                  {"kinds", {"partition", "crash", "pause"}}};
  std::uint64_t leases_lost = 0;
  for (std::uint64_t seed = 1; seed <= 12; ++seed) {
    CAPTURE(seed);
    s["seed"] = seed;
    const Scenario scenario = parse_scenario(s, "leader-lease-nemesis.json", model_registry());
    const auto path = temp_trace_path("leader-lease-nemesis");
    run_scenario(scenario, registered_model(scenario.model_name).make, path.string());
    AnalyzeOptions options;
    options.checkers = std::vector<std::string>{"linearizable"};
    const json report = analyze_trace(path.string(), options);
    std::filesystem::remove(path);
    CHECK(report["lost_writes"]["count"] == 0);
    CHECK(report["checkers"]["linearizable"]["verdict"] == "valid");
    leases_lost += notes(report, "lease-lost");
  }
  CHECK(leases_lost > 0);  // the faults did take leases away
}

namespace {

// scenarios/demo-partition.json under leader-lease with `params`: n4 and n5
// are cut off from n1-n3 from 5 s to 12 s.
Outcome run_demo(const json& params, const std::string& tag) {
  json s = json::parse(read_file(CONSIM_SOURCE_DIR "/scenarios/demo-partition.json"));
  s["model"] = {{"name", "leader-lease"}, {"params", params}};
  return run_and_analyze(parse_scenario(s, tag + ".json", model_registry()), tag);
}

const json& phase(const json& report, const std::string& name) {
  for (const json& p : report["phases"])
    if (p["name"] == name) return p;
  FAIL("no phase " << name);
  return report;
}

// The note lines `what` written by `node` in [from_ms, to_ms).
int notes_at(const std::vector<json>& lines, const std::string& what, const std::string& node,
             std::int64_t from_ms, std::int64_t to_ms) {
  int n = 0;
  for (const json& l : of_type(lines, "note")) {
    std::int64_t t = l["time"];
    if (l["what"] == what && l["node"] == node && t >= ms(from_ms) && t < ms(to_ms)) ++n;
  }
  return n;
}

}  // namespace

TEST_CASE(
    "leader-lease in the demo partition: the storage (by default the last node, n5) is on the "
    "minority side, so neither side serves: n3 keeps the lease on the majority and its "
    "operations time out at the storage, while n4 and n5 cannot elect a group leader") {
  const Outcome o = run_demo(json::object(), "leader-lease-demo");
  // One lease for the whole run: n3's, granted before the partition, never lost.
  std::vector<std::string> leaders;
  for (const json& l : of_type(o.lines, "role"))
    if (l["role"] == "leader") leaders.push_back(l["node"]);
  CHECK(leaders == std::vector<std::string>{"n3"});
  CHECK(roles_of(o.lines, "n3").back() == std::make_tuple(std::string("leader"), 2, 253));
  // The majority side holds the lease but cannot reach the document: every
  // operation n3 starts during the partition is abandoned and noted.
  const json& during = phase(o.report, "during partition");
  CHECK(during["all"]["ok"] == 0);
  CHECK(during["all"]["info"].get<int>() > 100);
  CHECK(notes_at(o.lines, "storage-timeout", "n3", 5000, 12500) > 50);
  // The minority side reaches the storage but cannot get a lease: n4 and n5
  // stand for election again and again, and neither wins until the heal.
  CHECK(notes_at(o.lines, "election", "n4", 5000, 12000) +
            notes_at(o.lines, "election", "n5", 5000, 12000) >
        10);
  CHECK(notes_at(o.lines, "elected", "n4", 5000, 12000) +
            notes_at(o.lines, "elected", "n5", 5000, 12000) ==
        0);
  CHECK(phase(o.report, "after partition")["all"]["availability"].get<double>() > 0.95);
}

TEST_CASE(
    "leader-lease in the demo partition with the storage on the majority side (n1): the majority "
    "side, which holds the lease, serves every operation") {
  const Outcome o = run_demo({{"storage", "n1"}}, "leader-lease-demo-n1");
  const json& during = phase(o.report, "during partition");
  CHECK(during["all"]["availability"] == 1.0);
  CHECK(during["all"]["ok"].get<int>() > 1000);
  CHECK(notes_at(o.lines, "storage-timeout", "n3", 5000, 12500) == 0);
  CHECK(o.report["checkers"]["linearizable"]["verdict"] == "valid");
}

}  // namespace story_leader_lease_test
