// The explicit table of store models: {name, one-line description, parse,
// make}. A scenario picks one with "model": {"name": ..., "params": {...}}.
// No self-registration from static initializers: adding a model is one line
// in registry.cc.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "models/model.h"
#include "base/json_input.h"

namespace consim {

// A model's parsed, validated parameters. to_json() gives every parameter,
// defaults included, for the trace header.
class ModelConfig {
 public:
  virtual ~ModelConfig() = default;
  virtual nlohmann::json to_json() const = 0;
};

struct ModelInfo {
  std::string name;
  std::string description;
  // Reads the "params" object strictly (unknown keys, types and ranges are
  // errors with the JSON path). `params` may be an empty object.
  std::function<std::shared_ptr<const ModelConfig>(const JsonReader& params)> parse;
  std::function<std::unique_ptr<Replica>(const ModelConfig& config, Context& ctx)> make;
};

const std::vector<ModelInfo>& model_registry();
// The entry for `name`, or nullptr.
const ModelInfo* find_model(const std::string& name);
std::vector<std::string> model_names();

}  // namespace consim
