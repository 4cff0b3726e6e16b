// The explicit table of store models: {name, one-line description, parse,
// make}. A scenario picks one with "model": {"name": ..., "params": {...}}.
// No self-registration from static initializers: adding a model is one line
// in registry.cc. Only the CLI, the tests and the benchmarks include this
// file: the engine is handed the catalog (models/model_info.h).
#pragma once

#include <string>
#include <vector>

#include "models/model_info.h"

namespace consim {

const ModelCatalog& model_registry();
// The entry for `name`, or nullptr.
const ModelInfo* find_model(const std::string& name);
// The entry for `name`; std::invalid_argument if there is none (for callers
// that hold a name the loader already checked).
const ModelInfo& registered_model(const std::string& name);
std::vector<std::string> model_names();

}  // namespace consim
