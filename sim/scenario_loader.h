// The scenario loader: a scenario file (JSON) in, a validated Scenario out.
// docs/scenario-format.md documents every key; sim/scenario.h lists the
// invariants the result keeps.
//
// Strict by design: an unknown key, a wrong type, an out-of-range value, an
// unknown name (model, shape, distribution, node) or a time window that makes
// no sense is an InputError naming the file, the JSON path and the problem,
// for example
//   scenarios/demo.json: $.faults[1].heal: heal 2s is not after start 5s
// A JSON syntax error names the line and column instead of a path:
//   scenarios/demo.json: line 3, column 7: syntax error while parsing value ...
// Nothing is ever silently defaulted: the defaults that exist are documented.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "base/json_input.h"
#include "models/model_info.h"
#include "sim/scenario.h"

namespace consim {

// `models` is the catalog the scenario's "model" is looked up in (the CLI
// passes model_registry()); the loader knows no model by itself.

// Reads and parses the file at `path`. A missing or unreadable file is an
// InputError too.
Scenario load_scenario(const std::string& path, const ModelCatalog& models);

// Parses scenario text; `file` is only used in messages and Scenario::file.
Scenario parse_scenario_text(const std::string& text, const std::string& file,
                             const ModelCatalog& models);

// Validates an already parsed document.
Scenario parse_scenario(const nlohmann::json& doc, const std::string& file,
                        const ModelCatalog& models);

// Runs the scenario under another model with that model's default
// parameters: replaces model_name and model_config (parsing an empty params
// object with the new model's parser). Naming the scenario's own model
// changes nothing: it keeps the scenario's parameters (so `compare --models`
// and `run --model` of a quorum-r1w1 scenario run R=W=1, not the defaults).
// Scenario::source is left as read.
// An unknown name is an InputError at $.model.name listing the valid ones.
void apply_model_override(Scenario& scenario, const ModelCatalog& models,
                          const std::string& model_name);

}  // namespace consim
