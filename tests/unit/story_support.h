// Helpers for story tests: build a scenario from a JSON literal, run it to a
// temporary trace, and read the trace back as JSON lines.
#pragma once

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/registry.h"
#include "sim/scenario_loader.h"
#include "sim/simulator.h"

namespace consim::test {

// Named per process: two test runs at once (a release and an ASan build,
// or two worktrees) must not write each other's traces.
inline std::filesystem::path temp_trace_path(const std::string& tag) {
  auto dir = std::filesystem::temp_directory_path() / "consim-tests";
  std::filesystem::create_directories(dir);
  return dir / (std::to_string(getpid()) + "-" + tag + ".jsonl");
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Runs the scenario and returns the trace's text.
inline std::string run_to_text(const Scenario& s, const std::string& tag) {
  auto path = temp_trace_path(tag);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  std::string text = read_file(path);
  std::filesystem::remove(path);
  return text;
}

inline std::vector<nlohmann::json> parse_lines(const std::string& text) {
  std::vector<nlohmann::json> out;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t nl = text.find('\n', at);
    out.push_back(nlohmann::json::parse(text.substr(at, nl - at)));
    at = nl + 1;
  }
  return out;
}

inline std::vector<nlohmann::json> run_story(const nlohmann::json& doc, const std::string& tag) {
  return parse_lines(run_to_text(parse_scenario(doc, tag + ".json", model_registry()), tag));
}

inline std::vector<nlohmann::json> of_type(const std::vector<nlohmann::json>& lines,
                                           const std::string& type) {
  std::vector<nlohmann::json> out;
  for (const auto& l : lines)
    if (l["type"] == type) out.push_back(l);
  return out;
}

// The fault lines (docs/trace-format.md) whose "action" is `action`
// ("partition", "heal", "crash", "restart", "clock", ...).
inline std::vector<nlohmann::json> fault_lines(const std::vector<nlohmann::json>& lines,
                                               const std::string& action) {
  std::vector<nlohmann::json> out;
  for (const auto& l : lines)
    if (l["type"] == "fault" && l["action"] == action) out.push_back(l);
  return out;
}

constexpr std::int64_t ms(std::int64_t x) { return x * 1'000'000; }

// Whether `model` runs the register workload (its registry row's
// workloads); the bank model runs only its own. A model of a test's own
// catalog, not in the registry, is taken to run it.
// Whether the registry's `model` serves workload.type `type` (its row's
// workloads); an unknown model is taken to serve everything.
inline bool serves(const std::string& model, std::string_view type) {
  const ModelInfo* m = find_model(model);
  return !m || std::find(m->workloads.begin(), m->workloads.end(), type) != m->workloads.end();
}
inline bool serves_register(const std::string& model) { return serves(model, "register"); }

// A small base scenario: `n` nodes, 1ms links, one client per listed node.
// A model that does not run the register workload gets a small bank one.
inline nlohmann::json base_scenario(const std::string& model, int n,
                                    const std::vector<std::string>& client_nodes) {
  nlohmann::json nodes = nlohmann::json::array();
  for (int i = 1; i <= n; ++i) nodes.push_back("n" + std::to_string(i));
  nlohmann::json clients = nlohmann::json::array();
  for (const auto& c : client_nodes) clients.push_back({{"node", c}});
  nlohmann::json workload = {{"read_fraction", 0.5},
                              {"keys", 3},
                              {"think_time", {{"type", "constant"}, {"value", "10ms"}}},
                              {"timeout", "200ms"}};
  if (!serves_register(model))
    workload = {{"type", "bank"},
                {"accounts", 6},
                {"think_time", {{"type", "constant"}, {"value", "10ms"}}},
                {"timeout", "200ms"}};
  return {
      {"name", "story"},
      {"seed", 7},
      {"duration", "4s"},
      {"nodes", nodes},
      {"network", {{"default_link", {{"latency", {{"type", "constant"}, {"value", "1ms"}}}}}}},
      {"model", {{"name", model}}},
      {"clients", clients},
      {"workload", workload},
      {"faults", nlohmann::json::array()},
  };
}

}  // namespace consim::test
