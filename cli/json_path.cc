// JSON paths for sweeps; see json_path.h.
#include "cli/json_path.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace consim::cli {
namespace {

std::string step_text(const PathStep& s) {
  switch (s.kind) {
    case PathStep::Kind::Member:
      return "." + s.name;
    case PathStep::Kind::Index:
      return "[" + std::to_string(s.index) + "]";
    case PathStep::Kind::Match:
      break;
  }
  return "[" + s.name + "=" + s.value + "]";
}

PathStep bracket_step(const std::string& inside, const std::string& text) {
  PathStep step;
  const auto eq = inside.find('=');
  if (eq == std::string::npos) {
    if (inside.empty() || inside.find_first_not_of("0123456789") != std::string::npos ||
        inside.size() > 9)
      throw std::invalid_argument("bad index [" + inside + "] in \"" + text +
                                  "\": expected [N] or [key=value]");
    step.kind = PathStep::Kind::Index;
    step.index = std::stoul(inside);
    return step;
  }
  step.kind = PathStep::Kind::Match;
  step.name = inside.substr(0, eq);
  step.value = inside.substr(eq + 1);
  if (step.name.empty())
    throw std::invalid_argument("bad selector [" + inside + "] in \"" + text +
                                "\": expected [key=value]");
  return step;
}

bool matches(const nlohmann::json& element, const PathStep& s) {
  if (!element.is_object()) return false;
  auto it = element.find(s.name);
  if (it == element.end()) return false;
  return it->is_string() ? it->get<std::string>() == s.value
                         : (it->is_number() && it->dump() == s.value);
}

std::string members_of(const nlohmann::json& object) {
  std::string names;
  for (const auto& [key, ignored] : object.items()) names += (names.empty() ? "" : ", ") + key;
  return names.empty() ? "none" : names;
}

// The child of `node` that `s` names, or nullptr with `missing` set;
// `where` is the path so far.
template <typename Json>
Json* child(Json& node, const PathStep& s, const std::string& where, std::string& missing) {
  if (s.kind == PathStep::Kind::Member) {
    if (!node.is_object()) {
      missing = where + " is " + (node.is_array() ? "an array" : "not an object") +
                ", not an object with \"" + s.name + "\"";
      return nullptr;
    }
    auto it = node.find(s.name);
    if (it != node.end()) return &*it;
    missing = "no member \"" + s.name + "\" at " + where + " (members: " + members_of(node) + ")";
    return nullptr;
  }
  if (!node.is_array()) {
    missing = where + " is not an array";
    return nullptr;
  }
  if (s.kind == PathStep::Kind::Index) {
    if (s.index < node.size()) return &node[s.index];
    missing = "no element " + std::to_string(s.index) + " at " + where + " (it has " +
              std::to_string(node.size()) + ")";
    return nullptr;
  }
  for (auto& element : node)
    if (matches(element, s)) return &element;
  missing = "no element with " + s.name + " = \"" + s.value + "\" at " + where;
  return nullptr;
}

}  // namespace

JsonPath parse_json_path(const std::string& text) {
  JsonPath path{text, {}};
  if (text.empty() || text[0] != '$')
    throw std::invalid_argument("bad JSON path \"" + text + "\": it must start with $");
  std::size_t i = 1;
  while (i < text.size()) {
    if (text[i] == '.') {
      const std::size_t end = text.find_first_of(".[]=", i + 1);
      PathStep step;
      step.name = text.substr(i + 1, (end == std::string::npos ? text.size() : end) - i - 1);
      if (step.name.empty() || (end != std::string::npos && text[end] != '.' && text[end] != '['))
        throw std::invalid_argument("bad JSON path \"" + text + "\": expected a member name at " +
                                    "character " + std::to_string(i + 2));
      path.steps.push_back(step);
      i = end == std::string::npos ? text.size() : end;
    } else if (text[i] == '[') {
      const std::size_t close = text.find(']', i);
      if (close == std::string::npos)
        throw std::invalid_argument("bad JSON path \"" + text + "\": unclosed [");
      path.steps.push_back(bracket_step(text.substr(i + 1, close - i - 1), text));
      i = close + 1;
    } else {
      throw std::invalid_argument("bad JSON path \"" + text + "\": expected . or [ at character " +
                                  std::to_string(i + 1));
    }
  }
  return path;
}

const nlohmann::json* find_at(const nlohmann::json& doc, const JsonPath& path,
                              std::string& missing) {
  const nlohmann::json* node = &doc;
  std::string where = "$";
  for (const PathStep& s : path.steps) {
    node = child(*node, s, where, missing);
    if (!node) return nullptr;
    where += step_text(s);
  }
  return node;
}

bool set_at(nlohmann::json& doc, const JsonPath& path, const nlohmann::json& value,
            std::string& missing) {
  if (path.steps.empty()) {
    doc = value;
    return true;
  }
  nlohmann::json* node = &doc;
  std::string where = "$";
  for (std::size_t i = 0; i + 1 < path.steps.size(); ++i) {
    node = child(*node, path.steps[i], where, missing);
    if (!node) return false;
    where += step_text(path.steps[i]);
  }
  const PathStep& last = path.steps.back();
  if (last.kind == PathStep::Kind::Member && node->is_object()) {
    (*node)[last.name] = value;
    return true;
  }
  nlohmann::json* target = child(*node, last, where, missing);
  if (!target) return false;
  *target = value;
  return true;
}

}  // namespace consim::cli
