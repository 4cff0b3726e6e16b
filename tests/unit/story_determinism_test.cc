// Determinism, tested rather than assumed: same scenario and seed give the
// same trace bytes; another seed gives another trace; named streams keep a
// new client from changing what the network or other clients draw.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "base/json_input.h"
#include "models/registry.h"
#include "story_support.h"
#include "tests/unit/test_scale.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_determinism_test {

namespace {

// The first line where two texts differ, for a useful failure message.
std::string first_difference(const std::string& a, const std::string& b) {
  auto la = parse_lines(a), lb = parse_lines(b);
  for (std::size_t i = 0; i < std::min(la.size(), lb.size()); ++i)
    if (la[i] != lb[i])
      return "line " + std::to_string(i + 1) + ": " + la[i].dump() + " vs " + lb[i].dump();
  return "lengths " + std::to_string(la.size()) + " vs " + std::to_string(lb.size());
}

// FNV-1a, 64 bits: a stable digest of a trace's bytes.
std::uint64_t fnv1a(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

// tests/golden/trace-digests.txt: "scenario.json model digest" per line.
const char* const kDigestFile = CONSIM_SOURCE_DIR "/tests/golden/trace-digests.txt";

std::map<std::string, std::string> read_digests() {
  std::map<std::string, std::string> out;
  std::ifstream in(kDigestFile);
  std::string file, model, digest;
  while (in >> file >> model >> digest) out[file + " " + model] = digest;
  return out;
}

std::string hex(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace

// The digests pin the bytes: the suite runs in the regular build and again
// in the debug ASan/UBSan build, and both must match the same file, so the
// trace does not depend on the build type. A changed digest fails; a
// (scenario, model) pair with no pinned digest (a new model or scenario) is
// reported in a message and does not fail. After a deliberate change to
// what a trace holds, or to pin new pairs, regenerate with
//   CONSIM_REGENERATE_EXPECTED=1 ./build/tests/unit_tests -tc="every scenario*"
// and review the diff (docs/testing.md says when that is right).
//
// Under AddressSanitizer (a debug build, ten times slower) each scenario
// runs once, under its own model, and the demo under every model: every
// scenario and every model is still compared with its pinned digest on a
// second build type; the normal build runs the whole matrix, twice.
TEST_CASE(
    "every scenario in scenarios/, under every model, gives the same trace bytes twice and on "
    "every build type") {
  bool regenerate = std::getenv("CONSIM_REGENERATE_EXPECTED") != nullptr;
  std::map<std::string, std::string> pinned = read_digests(), seen;
  std::string missing;  // "scenario model digest" lines without a pinned digest
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(CONSIM_SOURCE_DIR "/scenarios"))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  const bool full_matrix = kSweepDivisor == 1;
  for (const auto& path : files) {
    for (const auto& model : model_names()) {
      Scenario s = load_scenario(path.string(), model_registry());
      // Each scenario runs on the models that serve its workload type.
      if (!serves(model, workload_type_name(s.workload.type))) continue;
      const bool own_model = s.model_name == model;
      if (!full_matrix && !own_model && path.filename() != "demo-partition.json") continue;
      try {
        apply_model_override(s, model_registry(), model);
      } catch (const InputError&) {
        // Latencies per message type name the scenario model's message types;
        // the loader rightly refuses a model that never sends them
        // (docs/scenario-format.md), so that pair has no trace.
        if (!own_model && !s.message_latency.empty()) continue;
        throw;
      }
      if (s.duration > 30 * kSecond) s.duration = 30 * kSecond;  // keep the suite quick
      std::string first = run_to_text(s, "det-a");
      std::string name = path.filename().string() + " " + model;
      INFO(name);
      if (full_matrix) {
        std::string second = run_to_text(s, "det-b");
        CHECK_MESSAGE(first == second, first_difference(first, second));
      }
      seen[name] = hex(fnv1a(first));
      auto p = pinned.find(name);
      if (p == pinned.end())
        missing += "\n  " + name + " " + seen[name];
      else if (!regenerate)
        CHECK_MESSAGE(p->second == seen[name], "pinned " << p->second << ", now " << seen[name]);
    }
  }
  CHECK(seen.size() >= 9);
  // A new model or scenario has no digest yet: that is reported, not a
  // failure, so adding one breaks no existing test (docs/testing.md).
  if (!missing.empty() && !regenerate && full_matrix)
    MESSAGE("no pinned digest yet (pin with CONSIM_REGENERATE_EXPECTED=1, see docs/testing.md):"
            << missing);
  if (regenerate && full_matrix) {
    std::ofstream out(kDigestFile);
    for (const auto& [name, digest] : seen) out << name << " " << digest << "\n";
  }
}

TEST_CASE("a change of seed changes the trace") {
  Scenario s = load_scenario(CONSIM_SOURCE_DIR "/scenarios/demo-partition.json", model_registry());
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

}  // namespace story_determinism_test
