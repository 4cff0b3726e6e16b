// `--set [MODEL:]PATH=VALUE` of `consim run` and `consim compare`: a
// scenario field set from the command line, by the JSON path grammar of the
// sweep file (json_path.h), to a JSON value. One code path for both commands:
//   parse_scenario_set    the option's text -> a ScenarioSet (or why not)
//   with_sets             the file's scenario -> the scenario with the sets
//                         that name no model
//   scenario_for_model    that scenario -> the one MODEL runs (apply_model_
//                         override's rule: another model gets its defaults),
//                         then the sets that name MODEL
// Invariants: the scenario file is validated as written before any set is
// applied, and the result of the sets again, by the scenario loader (so a
// value the loader rejects is an error, never a silent default); an error
// names the option as given, the file, the JSON path and the problem, e.g.
//   s.json with --set $.network.loss=2: $.network.loss: ...
// Nothing is written by these functions.
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/json_path.h"
#include "sim/scenario.h"

namespace consim::cli {

struct ScenarioSet {
  std::string text;                  // the option as given, for messages
  std::optional<std::string> model;  // MODEL: the set applies to that model's run only
  JsonPath path;
  std::string value;  // JSON text, checked by parse_scenario_set
};

// A command-line mistake found after parsing (exit 4, like CLI11's errors),
// e.g. a --set naming a model that the command does not run.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses "[MODEL:]PATH=VALUE"; throws std::invalid_argument with the reason
// (no "=", a bad path, a value that is not JSON, an unknown model).
ScenarioSet parse_scenario_set(const std::string& text);

// For CLI11's validator: "" when `text` parses, else the reason.
std::string scenario_set_error(const std::string& text);

// The scenario with every set that names no model applied to `file_scenario`'s
// source; `file_scenario` itself when there is none.
Scenario with_sets(const Scenario& file_scenario, const std::vector<ScenarioSet>& sets);

// The scenario `model` runs in: `base` (with_sets' result) under `model`
// with apply_model_override's rule, then the sets that name `model`.
Scenario scenario_for_model(const Scenario& base, const std::string& model,
                            const std::vector<ScenarioSet>& sets);

// UsageError when a set names a model not in `models` ("compared" or "run",
// `verb`, says which in the message).
void check_set_models(const std::vector<ScenarioSet>& sets, const std::vector<std::string>& models,
                      const std::string& verb);

// parse_scenario_set of each text (main.cc has checked their syntax).
std::vector<ScenarioSet> parse_scenario_sets(const std::vector<std::string>& texts);

// The scenario file at `path`, loaded and validated, with the sets that name
// no model (with_sets).
Scenario load_with_sets(const std::string& path, const std::vector<ScenarioSet>& sets);

// The scenario `consim run` runs, and `consim validate` checks, from the
// file at `path` with the --set options `set_texts` (main.cc has checked
// their syntax) under `model` (none: the scenario's own): one path for both
// commands, so validate accepts exactly what run accepts.
Scenario scenario_to_run(const std::string& path, const std::vector<std::string>& set_texts,
                         const std::optional<std::string>& model);

}  // namespace consim::cli
