// The scenario loader against files: every malformed file in
// tests/malformed/ fails with exactly the message in its .expected file,
// every file in scenarios/ loads, and the full example of
// docs/scenario-format.md parses into the values the doc describes.
//
// To regenerate the .expected files after a deliberate message change, run
//   CONSIM_REGENERATE_EXPECTED=1 ./build/tests/unit_tests -tc="loader: every malformed*"
// and review the diff with git. In .expected files, {models} stands for the
// list of registered models ("strong-2pc, eventual-async or causal"), and
// {fault kinds}, {nemesis kinds} and {partition shapes} for those
// registries' lists, so adding a model, a kind or a shape does not change
// them.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

#include "models/registry.h"
#include "sim/fault_kind.h"
#include "sim/fault_kinds/clock.h"
#include "sim/fault_kinds/partition.h"
#include "sim/partition.h"
#include "sim/scenario_loader.h"

namespace fs = std::filesystem;
using namespace consim;

namespace loader_test {

namespace {

const PartitionSpec& partition_of(const FaultSpec& f) {
  auto* p = dynamic_cast<const kinds::PartitionEffect*>(f.effect.get());
  REQUIRE(p != nullptr);
  return p->spec();
}

const kinds::ClockEffect& clock_of(const FaultSpec& f) {
  auto* c = dynamic_cast<const kinds::ClockEffect*>(f.effect.get());
  REQUIRE(c != nullptr);
  return *c;
}

}  // namespace

namespace {

const std::string kSourceDir = CONSIM_SOURCE_DIR;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> files_with_extension(const std::string& dir, const std::string& ext) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(kSourceDir + "/" + dir))
    if (entry.path().extension() == ext) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The error a file produces, or "" if it loads.
std::string error_of(const std::string& text, const std::string& file) {
  try {
    parse_scenario_text(text, file, model_registry());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

void replace_all(std::string& text, const std::string& from, const std::string& to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

// The first ```json block after `heading` in a Markdown file.
std::string json_block_after(const std::string& markdown, const std::string& heading) {
  auto at = markdown.find(heading);
  REQUIRE(at != std::string::npos);
  auto open = markdown.find("```json\n", at);
  REQUIRE(open != std::string::npos);
  open += 8;
  auto close = markdown.find("```", open);
  REQUIRE(close != std::string::npos);
  return markdown.substr(open, close - open);
}

}  // namespace

TEST_CASE("loader: every malformed scenario fails with exactly its expected message") {
  bool regenerate = std::getenv("CONSIM_REGENERATE_EXPECTED") != nullptr;
  auto files = files_with_extension("tests/malformed", ".json");
  REQUIRE(files.size() >= 20);
  for (const auto& name : files) {
    std::string file = "tests/malformed/" + name;
    fs::path expected_path =
        fs::path(kSourceDir) / "tests/malformed" / (name.substr(0, name.size() - 5) + ".expected");
    std::string actual = error_of(read_text(fs::path(kSourceDir) / file), file);
    replace_all(actual, join_names(model_names()), "{models}");
    replace_all(actual, "types: " + join_names(fault_kind_names()), "types: {fault kinds}");
    replace_all(actual, "kinds: " + join_names(nemesis_kind_names()), "kinds: {nemesis kinds}");
    replace_all(actual, "shapes: " + join_names(shape_names()), "shapes: {partition shapes}");
    CAPTURE(file);
    CHECK_MESSAGE(!actual.empty(), "the file loaded without error");
    if (regenerate) {
      std::ofstream(expected_path, std::ios::binary) << actual << "\n";
      continue;
    }
    REQUIRE_MESSAGE(fs::exists(expected_path), "missing " << expected_path.string());
    std::string expected = read_text(expected_path);
    while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r'))
      expected.pop_back();
    CHECK(actual == expected);
  }
}

TEST_CASE("loader: every .expected file in tests/malformed has its scenario") {
  for (const auto& name : files_with_extension("tests/malformed", ".expected")) {
    CAPTURE(name);
    CHECK(fs::exists(fs::path(kSourceDir) / "tests/malformed" /
                     (name.substr(0, name.size() - 9) + ".json")));
  }
}

TEST_CASE("loader: every scenario in scenarios/ loads") {
  auto files = files_with_extension("scenarios", ".json");
  CHECK(files.size() >= 2);
  for (const auto& name : files) {
    std::string path = kSourceDir + "/scenarios/" + name;
    CAPTURE(path);
    std::string error;
    try {
      Scenario s = load_scenario(path, model_registry());
      CHECK(s.file == path);
      CHECK(!s.name.empty());
    } catch (const InputError& e) {
      error = e.what();
    }
    CHECK(error == "");
  }
}

TEST_CASE("loader: a missing file is an error naming it") {
  std::string path = kSourceDir + "/scenarios/no-such-scenario.json";
  CHECK_THROWS_WITH_AS(load_scenario(path, model_registry()), (path + ": $: no such file").c_str(),
                       InputError);
}

TEST_CASE("loader: the full example of docs/scenario-format.md parses as the doc says") {
  std::string text =
      json_block_after(read_text(kSourceDir + "/docs/scenario-format.md"), "## Full example");
  Scenario s = parse_scenario_text(text, "docs/scenario-format.md", model_registry());
  CHECK(s.name == "full-example");
  CHECK(s.seed == 42);
  CHECK(s.duration == 20 * kSecond);
  REQUIRE(s.nodes.size() == 5);
  CHECK(s.nodes[3].clock_offset == 5 * kMillisecond);
  CHECK(s.nodes[3].clock_drift_ppm == 50);
  CHECK(s.nodes[4].clock_offset == -2 * kMillisecond);
  REQUIRE(s.source != nullptr);
  CHECK((*s.source)["name"] == "full-example");

  const TopologySpec& t = s.topology;
  CHECK_FALSE(t.mesh);
  REQUIRE(t.regions.size() == 2);
  CHECK(t.regions[1].nodes == std::vector<std::string>{"n4", "n5"});
  CHECK(t.regions[1].intra.latency.mean() == 1e6);
  CHECK(t.regions[0].intra.latency.mean() == 2e6);  // the default link
  CHECK(t.inter_region.loss == 0.01);
  REQUIRE(t.links.size() == 1);
  CHECK(t.links[0].one_way);
  CHECK(t.links[0].spec.latency.mean() == 15e6);
  CHECK(s.cut_policy == CutPolicy::Hold);

  CHECK(s.model_name == "eventual-async");
  CHECK(s.model_config != nullptr);
  REQUIRE(s.clients.size() == 10);
  CHECK(s.clients[4].node == "n1");
  CHECK(s.clients[7].node == "n2");
  CHECK(s.clients[7].fallback == std::vector<std::string>{"n3"});

  const WorkloadSpec& w = s.workload;
  CHECK(w.read_fraction == 0.8);
  CHECK(w.keys == 100);
  CHECK(w.key_distribution == KeyDistribution::Zipf);
  CHECK(w.zipf_exponent == 1.1);
  CHECK(w.loop == LoopKind::Closed);
  CHECK(w.think_time.mean() == 5e6);
  CHECK(w.timeout == 500 * kMillisecond);
  CHECK(w.retries == 2);
  CHECK(w.start == 100 * kMillisecond);
  CHECK(w.stop == 19 * kSecond);

  REQUIRE(s.faults.size() == 10);
  std::vector<std::string> names;
  for (const auto& f : s.faults) names.push_back(f.name);
  CHECK(names == std::vector<std::string>{"split", "partition 2", "partition 3", "partition 4",
                                          "partition 5", "partition 6", "partition 7", "crash 1",
                                          "pause 1", "clock 1"});
  CHECK(partition_of(s.faults[0]).shape->name == std::string("majority-minority"));
  CHECK(partition_of(s.faults[0]).minority == std::vector<std::string>{"n4", "n5"});
  CHECK(s.faults[0].start == 5 * kSecond);
  CHECK(s.faults[0].end == 12 * kSecond);
  CHECK(partition_of(s.faults[1]).groups.size() == 2);
  CHECK(partition_of(s.faults[2]).from == std::vector<std::string>{"n1"});
  CHECK(partition_of(s.faults[3]).node == "n3");
  CHECK(partition_of(s.faults[5]).shape->name == std::string("majorities-ring"));
  CHECK_FALSE(s.faults[6].end.has_value());
  CHECK(s.faults[7].kind->name == std::string("crash"));
  CHECK(s.faults[7].end == 6 * kSecond);
  CHECK(s.faults[8].kind->name == std::string("pause"));
  CHECK(s.faults[8].end == 8 * kSecond);
  CHECK(clock_of(s.faults[9]).offset() == -50 * kMillisecond);
  CHECK(clock_of(s.faults[9]).drift_ppm() == 100);
  CHECK_FALSE(s.faults[9].end.has_value());

  REQUIRE(s.nemesis.has_value());
  CHECK(s.nemesis->start == 16 * kSecond);
  CHECK(s.nemesis->end == 18 * kSecond);
  CHECK(s.nemesis->kinds.size() == 4);
  CHECK(s.nemesis->max_clock_offset == 100 * kMillisecond);
  CHECK(s.nemesis->length.mean() == 200e6);
  CHECK(s.trace_level == TraceLevel::Full);
}

TEST_CASE("loader: example-regions is a two-region WAN with a one-way cut from eu to us") {
  Scenario s = load_scenario(kSourceDir + "/scenarios/example-regions.json", model_registry());
  REQUIRE(s.topology.regions.size() == 2);
  CHECK(s.topology.regions[0].name == "eu");
  CHECK(s.topology.inter_region.loss == 0.001);
  REQUIRE(s.faults.size() == 1);
  const FaultSpec& cut = s.faults[0];
  CHECK(partition_of(cut).shape->name == std::string("one-way"));
  CHECK(partition_of(cut).from == std::vector<std::string>{"eu1", "eu2", "eu3"});
  CHECK(cut.start == 4 * kSecond);
  CHECK(cut.end == 9 * kSecond);
}

TEST_CASE("loader: example-crash crashes n2 from 3s to 6s and skews n3's clock") {
  Scenario s = load_scenario(kSourceDir + "/scenarios/example-crash.json", model_registry());
  CHECK(s.nodes[2].clock_offset == -50 * kMillisecond);
  CHECK(s.nodes[2].clock_drift_ppm == 200);
  REQUIRE(s.faults.size() == 2);
  CHECK(s.faults[0].name == "crash 1");
  CHECK(s.faults[0].effect->occupies() == "n2");
  CHECK(s.faults[0].end == 6 * kSecond);
  CHECK(s.faults[1].kind->name == std::string("clock"));
  CHECK(clock_of(s.faults[1]).offset() == 20 * kMillisecond);
  CHECK(s.workload.loop == LoopKind::Open);
  CHECK(s.clients[1].fallback == std::vector<std::string>{"n1", "n3"});
  CHECK(s.trace_level == TraceLevel::Ops);
}

}  // namespace loader_test
