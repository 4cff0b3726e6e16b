// Determinism, tested rather than assumed: same scenario and seed give the
// same trace bytes; another seed gives another trace; named streams keep a
// new client from changing what the network or other clients draw.
#include <doctest/doctest.h>

#include <filesystem>

#include "models/registry.h"
#include "story_support.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace {

// The first line where two texts differ, for a useful failure message.
std::string first_difference(const std::string& a, const std::string& b) {
  auto la = parse_lines(a), lb = parse_lines(b);
  for (std::size_t i = 0; i < std::min(la.size(), lb.size()); ++i)
    if (la[i] != lb[i])
      return "line " + std::to_string(i + 1) + ": " + la[i].dump() + " vs " + lb[i].dump();
  return "lengths " + std::to_string(la.size()) + " vs " + std::to_string(lb.size());
}

}  // namespace

TEST_CASE(
    "every scenario in scenarios/, under every model, run twice gives identical trace bytes") {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(CONSIM_SOURCE_DIR "/scenarios")) {
    if (entry.path().extension() != ".json") continue;
    for (const auto& model : model_names()) {
      Scenario s = load_scenario(entry.path().string());
      apply_model_override(s, model);
      if (s.duration > 30 * kSecond) s.duration = 30 * kSecond;  // keep the suite quick
      std::string first = run_to_text(s, "det-a");
      std::string second = run_to_text(s, "det-b");
      INFO(entry.path().filename().string() << " under " << model);
      CHECK_MESSAGE(first == second, first_difference(first, second));
      ++checked;
    }
  }
  CHECK(checked >= 3);
}

TEST_CASE("a change of seed changes the trace") {
  Scenario s = load_scenario(CONSIM_SOURCE_DIR "/scenarios/demo-partition.json");
  std::string a = run_to_text(s, "seed-a");
  s.seed += 1;
  std::string b = run_to_text(s, "seed-b");
  CHECK(a != b);
}

namespace {

struct Observed {
  std::vector<json> network;  // (time, type, from, to, kind) of every network event
  std::vector<json> client0;  // (time, type, f, key) of client 0's operations
};

Observed observe(const std::vector<json>& lines) {
  Observed o;
  for (const auto& l : lines) {
    std::string t = l["type"];
    if (t == "send" || t == "deliver" || t == "drop" || t == "duplicate")
      o.network.push_back({l["time"], t, l["from"], l["to"], l["kind"]});
    if ((t == "invoke" || t == "ok" || t == "info" || t == "fail") && l["process"] == 0)
      o.client0.push_back({l["time"], t, l["f"], l["key"]});
  }
  return o;
}

}  // namespace

TEST_CASE("adding a client does not change the network's draws or another client's") {
  // The added client talks to a node that is down for the whole run, so it
  // adds no traffic: everything else must be exactly as before.
  json s = base_scenario("eventual-async", 3, {"n1"});
  s["network"]["default_link"] = {
      {"latency", {{"type", "exponential"}, {"mean", "3ms"}}}, {"loss", 0.1}, {"duplicate", 0.1}};
  s["faults"] = json::array({{{"type", "crash"}, {"node", "n3"}, {"at", "0s"}}});
  auto before = observe(run_story(s, "streams-a"));
  s["clients"].push_back({{"node", "n3"}});
  auto after = observe(run_story(s, "streams-b"));
  CHECK(before.network.size() > 100);
  CHECK(before.network == after.network);
  CHECK(before.client0 == after.client0);
}
