// Story helpers that need the history loader: a scenario file of scenarios/
// as JSON, and a scenario document run to the History the checkers read
// (through a temporary trace, removed once read).
#pragma once

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/trace/history_loader.h"
#include "tests/unit/story_support.h"

namespace consim::test {

inline nlohmann::json scenario_file(const std::string& name) {
  std::ifstream in(std::string(CONSIM_SOURCE_DIR) + "/scenarios/" + name);
  return nlohmann::json::parse(in);
}

inline History run_history(const nlohmann::json& doc, const std::string& tag) {
  Scenario s = parse_scenario(doc, tag + ".json", model_registry());
  auto path = temp_trace_path(tag);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  History h = load_history(path.string());
  std::filesystem::remove(path);
  return h;
}

}  // namespace consim::test
