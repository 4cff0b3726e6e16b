// --set for run and compare; see scenario_sets.h.
#include "cli/scenario_sets.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "base/json_input.h"
#include "models/registry.h"
#include "sim/scenario_loader.h"

namespace consim::cli {
namespace {

constexpr const char* kForm = "expected [MODEL:]PATH=VALUE, e.g. $.network.loss=0.1";

// The "=" that ends PATH: the first one outside [...] (a [key=value]
// selector holds one).
std::size_t value_start(const std::string& text) {
  int depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') ++depth;
    if (text[i] == ']' && depth > 0) --depth;
    if (text[i] == '=' && depth == 0) return i;
  }
  return std::string::npos;
}

std::string comma_list(const std::vector<std::string>& names) {
  std::string text;
  for (const auto& n : names) text += (text.empty() ? "" : ", ") + n;
  return text;
}

std::string in_quotes(const std::string& text) { return "\"" + text + "\""; }

// The sets that apply to the run of `model` (nullopt: those naming no model).
std::vector<const ScenarioSet*> sets_for(const std::vector<ScenarioSet>& sets,
                                         const std::optional<std::string>& model) {
  std::vector<const ScenarioSet*> out;
  for (const auto& s : sets)
    if (s.model == model) out.push_back(&s);
  return out;
}

std::string options_text(const std::vector<const ScenarioSet*>& sets) {
  std::string text;
  for (const ScenarioSet* s : sets) text += (text.empty() ? "" : ", ") + ("--set " + s->text);
  return text;
}

// Whether an error at JSON path `error` concerns `set`: one path is a prefix
// of the other ($.network.loss and $.network, or $.model and $.model.params.r).
bool concerns(const std::string& error, const ScenarioSet& set) {
  const std::string& p = set.path.text;
  const auto prefix = [](const std::string& a, const std::string& b) {
    return b.compare(0, a.size(), a) == 0 &&
           (b.size() == a.size() || b[a.size()] == '.' || b[a.size()] == '[');
  };
  return prefix(p, error) || prefix(error, p);
}

// Applies `sets` to `doc` and validates the result; errors name the sets.
Scenario apply(nlohmann::json doc, const std::string& file,
               const std::vector<const ScenarioSet*>& sets) {
  for (const ScenarioSet* s : sets) {
    std::string missing;
    if (!set_at(doc, s->path, nlohmann::json::parse(s->value), missing))
      throw InputError(file + " with --set " + s->text, s->path.text, "cannot set: " + missing);
  }
  try {
    return parse_scenario(doc, file, model_registry());
  } catch (const InputError& e) {
    std::vector<const ScenarioSet*> named;
    for (const ScenarioSet* s : sets)
      if (concerns(e.path(), *s)) named.push_back(s);
    throw InputError(file + " with " + options_text(named.empty() ? sets : named), e.path(),
                     e.message());
  }
}

}  // namespace

ScenarioSet parse_scenario_set(const std::string& text) {
  ScenarioSet set;
  set.text = text;
  std::string rest = text;
  if (!rest.empty() && rest[0] != '$') {
    const auto colon = rest.find(':');
    if (colon == std::string::npos || colon + 1 >= rest.size() || rest[colon + 1] != '$')
      throw std::invalid_argument(std::string(kForm) + ", got " + in_quotes(text));
    set.model = rest.substr(0, colon);
    if (!find_model(*set.model))
      throw std::invalid_argument(in_quotes(text) + ": unknown model " + in_quotes(*set.model) +
                                  "; valid models: " + join_names(model_names()));
    rest = rest.substr(colon + 1);
  }
  const auto eq = value_start(rest);
  if (eq == std::string::npos)
    throw std::invalid_argument(std::string(kForm) + ", got " + in_quotes(text));
  set.path = parse_json_path(rest.substr(0, eq));
  if (set.path.steps.empty())
    throw std::invalid_argument(in_quotes(text) +
                                ": the path must name a field, not the whole "
                                "scenario ($)");
  set.value = rest.substr(eq + 1);
  try {
    const auto parsed = nlohmann::json::parse(set.value);
    (void)parsed;
  } catch (const nlohmann::json::out_of_range&) {
    throw std::invalid_argument(in_quotes(text) + ": the value " + set.value +
                                " is a number too large for a double");
  } catch (const nlohmann::json::exception&) {
    std::string hint = set.value.empty() ? " (an empty value)" : "";
    if (!set.value.empty() && std::isalpha(static_cast<unsigned char>(set.value.front())))
      hint = " (a string needs quotes: " + set.path.text + "='\"" + set.value + "\"')";
    throw std::invalid_argument(in_quotes(text) + ": the value " + set.value + " is not JSON" +
                                hint);
  }
  return set;
}

std::string scenario_set_error(const std::string& text) {
  try {
    parse_scenario_set(text);
    return {};
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
}

Scenario with_sets(const Scenario& file_scenario, const std::vector<ScenarioSet>& sets) {
  const auto global = sets_for(sets, std::nullopt);
  if (global.empty()) return file_scenario;
  return apply(*file_scenario.source, file_scenario.file, global);
}

Scenario scenario_for_model(const Scenario& base, const std::string& model,
                            const std::vector<ScenarioSet>& sets) {
  Scenario s = base;
  apply_model_override(s, model_registry(), model);
  const auto own = sets_for(sets, model);
  if (own.empty()) return s;
  nlohmann::json doc = *base.source;
  // apply_model_override's rule: another model runs with its defaults.
  if (model != base.model_name)
    doc["model"] = {{"name", model}, {"params", nlohmann::json::object()}};
  return apply(std::move(doc), base.file, own);
}

void check_set_models(const std::vector<ScenarioSet>& sets, const std::vector<std::string>& models,
                      const std::string& verb) {
  for (const auto& s : sets)
    if (s.model && std::find(models.begin(), models.end(), *s.model) == models.end())
      throw UsageError("--set " + s.text + ": model " + in_quotes(*s.model) + " is not " + verb +
                       " (" + verb + ": " + comma_list(models) + ")");
}

std::vector<ScenarioSet> parse_scenario_sets(const std::vector<std::string>& texts) {
  std::vector<ScenarioSet> sets;
  for (const auto& t : texts) sets.push_back(parse_scenario_set(t));
  return sets;
}

Scenario load_with_sets(const std::string& path, const std::vector<ScenarioSet>& sets) {
  return with_sets(load_scenario(path, model_registry()), sets);
}

Scenario scenario_to_run(const std::string& path, const std::vector<std::string>& set_texts,
                         const std::optional<std::string>& model) {
  const auto sets = parse_scenario_sets(set_texts);
  const Scenario base = load_with_sets(path, sets);
  const std::string name = model.value_or(base.model_name);
  check_set_models(sets, {name}, "run");
  return scenario_for_model(base, name, sets);
}

}  // namespace consim::cli
