// A workload's "script" (docs/scenario-format.md, "Scripted sessions"):
// the steps a scripted client runs each round, read strictly.
//
// Invariants of the result: at least one step and at most kMaxSteps; step
// names are unique; every reference ("same_as", "post_of", "answers") names
// an earlier step, and "post_of" a read; fixed and uniform keys and an own
// key's base lie in [0, keys); a read has no "value". Errors name the file
// and the JSON path of the offending value, e.g.
//   timeline.json: $.clients[1].workload.script.steps[1].key.post_of: no
//   earlier step is named "comment" (earlier steps: post)
#include <nlohmann/json.hpp>

#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

constexpr std::size_t kMaxSteps = 100;
constexpr std::uint64_t kMaxPlus = 1'000'000'000;

std::string step_list(const std::vector<ScriptStep>& earlier) {
  std::vector<std::string> names;
  for (const auto& s : earlier) names.push_back(s.name);
  return names.empty() ? "none: this is the first step" : join_names(names);
}

// The earlier step `value` names, or an error naming the steps that exist.
std::size_t earlier_step(const JsonReader& value, const std::vector<ScriptStep>& earlier,
                         const std::vector<std::string>& all) {
  const std::string name = non_empty_string(value);
  for (std::size_t i = 0; i < earlier.size(); ++i)
    if (earlier[i].name == name) return i;
  for (std::size_t i = earlier.size(); i < all.size(); ++i)
    if (all[i] == name)
      value.fail("step \"" + name + "\" comes later (steps[" + std::to_string(i) +
                 "]): a step can use only the results of earlier steps");
  value.fail("no earlier step is named \"" + name + "\" (earlier steps: " + step_list(earlier) +
             ")");
}

std::uint64_t key_in_space(const JsonReader& value, std::uint64_t keys) {
  if (!value.json().is_number_integer())
    value.fail("expected a key (an integer), got " + json_described(value.json()));
  return static_cast<std::uint64_t>(value.as_number(0, static_cast<double>(keys - 1)));
}

// A reference key: {"same_as" | "post_of": "<step>", "plus": n}.
void parse_reference_key(const JsonReader& value, std::string_view kind,
                         const std::vector<ScriptStep>& earlier,
                         const std::vector<std::string>& all, ScriptKey& key) {
  value.allow_only({std::string(kind), "plus"});
  key.kind = kind == "same_as" ? ScriptKey::Kind::SameAs : ScriptKey::Kind::PostOf;
  key.step = earlier_step(value.at(kind), earlier, all);
  if (key.kind == ScriptKey::Kind::PostOf && earlier[key.step].write)
    value.fail_at(kind, "post_of needs a read step (the read of a comment), and \"" +
                            earlier[key.step].name + "\" is a write");
  if (value.has("plus")) key.plus = static_cast<std::uint64_t>(value.integer("plus", 0, kMaxPlus));
}

ScriptKey parse_key(const JsonReader& value, std::uint64_t keys,
                    const std::vector<ScriptStep>& earlier, const std::vector<std::string>& all) {
  ScriptKey key;
  if (!value.json().is_object()) {
    if (!value.json().is_number_integer())
      value.fail(
          "expected a key: an integer, or an object with one of \"uniform\", \"own\", "
          "\"same_as\" or \"post_of\", got " +
          json_described(value.json()));
    key.base = key_in_space(value, keys);
    return key;
  }
  static const std::vector<std::string> kinds{"uniform", "own", "same_as", "post_of"};
  std::vector<std::string> given;
  for (const auto& k : kinds)
    if (value.has(k)) given.push_back(k);
  if (given.size() != 1)
    value.fail(
        "expected a key: an integer, or an object with one of \"uniform\", \"own\", "
        "\"same_as\" or \"post_of\", got " +
        json_excerpt(value.json()));
  const std::string& kind = given.front();
  if (kind == "same_as" || kind == "post_of") {
    parse_reference_key(value, kind, earlier, all, key);
  } else if (kind == "own") {
    value.allow_only({"own"});
    key.kind = ScriptKey::Kind::Own;
    key.base = key_in_space(value.at("own"), keys);
  } else {
    value.allow_only({"uniform"});
    auto bounds = value.array("uniform");
    if (bounds.size() != 2) value.fail_at("uniform", "expected [low, high], two keys");
    key.kind = ScriptKey::Kind::Uniform;
    key.base = key_in_space(bounds[0], keys);
    key.hi = key_in_space(bounds[1], keys);
    if (key.base > key.hi)
      value.fail_at("uniform", "low " + std::to_string(key.base) + " is more than high " +
                                   std::to_string(key.hi));
  }
  return key;
}

// A write's "value": "new" (default) or {"answers": "<step>"}.
void parse_value(const JsonReader& value, const std::vector<ScriptStep>& earlier,
                 const std::vector<std::string>& all, ScriptStep& step) {
  if (value.json().is_string()) {
    if (value.as_string() != "new")
      value.fail("expected \"new\" or {\"answers\": \"<step>\"}, got \"" + value.as_string() +
                 "\"");
    return;
  }
  if (!value.json().is_object())
    value.fail("expected \"new\" or {\"answers\": \"<step>\"}, got " +
               json_described(value.json()));
  value.allow_only({"answers"});
  step.answers = earlier_step(value.at("answers"), earlier, all);
}

ScriptStep parse_step(const JsonReader& e, std::size_t index, std::uint64_t keys,
                      const std::vector<ScriptStep>& earlier, const std::vector<std::string>& all) {
  e.expect_object();
  e.allow_only({"name", "op", "key", "value", "think_time"});
  ScriptStep step;
  step.name = all[index];
  step.write = one_of(e.at("op"), {"read", "write"}, "op", "ops") == "write";
  step.key = parse_key(e.at("key"), keys, earlier, all);
  if (e.has("value")) {
    if (!step.write) e.fail_at("value", "a read has no value: only a write step gives \"value\"");
    parse_value(e.at("value"), earlier, all, step);
  }
  if (e.has("think_time")) step.think_time = parse_distribution(e.at("think_time"));
  return step;
}

// Every step's name ("step <n>" when not given), unique.
std::vector<std::string> step_names(const std::vector<JsonReader>& steps) {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    steps[i].expect_object();
    std::string name = steps[i].has("name") ? non_empty_string(steps[i].at("name"))
                                            : "step " + std::to_string(i + 1);
    for (std::size_t j = 0; j < names.size(); ++j)
      if (names[j] == name)
        (steps[i].has("name") ? steps[i].at("name") : steps[i])
            .fail("duplicate step name \"" + name + "\" (also steps[" + std::to_string(j) + "])");
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

ScriptWorkload parse_script(const JsonReader& value, const WorkloadSpec& w) {
  value.expect_object();
  value.allow_only({"steps", "repeat", "fraction"});
  if (w.loop != LoopKind::Closed)
    value.fail(
        "a script runs in a closed loop (each step a think time after the previous one "
        "completes): give the workload a \"think_time\", not a \"rate\"");
  ScriptWorkload script;
  auto steps = value.array("steps");
  if (steps.empty()) value.fail_at("steps", "expected at least one step");
  if (steps.size() > kMaxSteps)
    value.fail_at("steps", "at most " + std::to_string(kMaxSteps) + " steps, got " +
                               std::to_string(steps.size()));
  const auto names = step_names(steps);
  for (std::size_t i = 0; i < steps.size(); ++i)
    script.steps.push_back(parse_step(steps[i], i, w.keys, script.steps, names));
  if (value.has("repeat")) {
    const JsonReader repeat = value.at("repeat");
    if (repeat.json().is_string()) {
      if (repeat.as_string() != "until_stop")
        repeat.fail("expected a number of rounds or \"until_stop\", got \"" + repeat.as_string() +
                    "\"");
    } else {
      script.repeat = static_cast<std::uint64_t>(value.integer("repeat", 1, 1'000'000'000));
    }
  }
  if (value.has("fraction")) script.fraction = value.probability("fraction");
  return script;
}

void check_script_own_keys(const JsonReader& script_json, const ScriptWorkload& script,
                           std::size_t clients, std::uint64_t keys) {
  for (std::size_t i = 0; i < script.steps.size(); ++i) {
    const ScriptKey& k = script.steps[i].key;
    if (k.kind != ScriptKey::Kind::Own || k.base + clients <= keys) continue;
    script_json.at("steps").element(i).at("key").fail_at(
        "own", "own keys " + std::to_string(k.base) + " .. " +
                   std::to_string(k.base + clients - 1) + " (one per client, " +
                   std::to_string(clients) + " clients) go past the key space (keys " +
                   std::to_string(keys) + ": 0 .. " + std::to_string(keys - 1) + ")");
  }
}

}  // namespace consim::loader
