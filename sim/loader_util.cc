// Small strict readers shared by the scenario loader's files; see
// scenario_parts.h.
#include <limits>
#include <nlohmann/json.hpp>

#include "sim/scenario_parts.h"

namespace consim::loader {

NodeNames::NodeNames(const std::vector<NodeSpec>& nodes) {
  for (const auto& n : nodes) {
    index_.emplace(n.name, names_.size());
    names_.push_back(n.name);
  }
}

std::optional<std::size_t> NodeNames::index(std::string_view name) const {
  auto it = index_.find(name);
  if (it == index_.end()) return std::nullopt;
  return it->second;
}

std::string NodeNames::node(const JsonReader& value) const {
  std::string name = value.as_string();
  if (!index(name)) value.fail("unknown node \"" + name + "\"; nodes: " + join_names(names_));
  return name;
}

std::vector<std::string> NodeNames::list(const JsonReader& value, std::size_t min_size) const {
  auto elements = value.as_array();
  if (elements.size() < min_size)
    value.fail("expected at least " + std::to_string(min_size) + " node name" +
               (min_size == 1 ? "" : "s") + ", got " + std::to_string(elements.size()));
  std::vector<std::string> out;
  for (const auto& e : elements) {
    std::string name = node(e);
    for (const auto& seen : out)
      if (seen == name) e.fail("node \"" + name + "\" is listed twice");
    out.push_back(name);
  }
  return out;
}

Time signed_duration(const JsonReader& value) {
  std::string text = value.json().is_string() ? value.json().get<std::string>() : "";
  bool negative = !text.empty() && text[0] == '-';
  std::optional<Time> magnitude =
      value.json().is_string() ? parse_duration(negative ? text.substr(1) : text) : std::nullopt;
  if (!magnitude)
    value.fail(
        "expected a duration with a unit and an optional minus sign, such as \"-50ms\", "
        "got " +
        json_excerpt(value.json()));
  if (*magnitude > kMaxClockOffset)
    value.fail("\"" + text + "\" is too large: a clock offset is at most " +
               format_duration(kMaxClockOffset) + " either way");
  return negative ? -*magnitude : *magnitude;
}

std::string non_empty_string(const JsonReader& value) {
  std::string s = value.as_string();
  if (s.empty()) value.fail("must not be empty");
  return s;
}

Time time_in_run(const JsonReader& value, Time duration) {
  Time t = value.as_duration();
  if (t > duration)
    value.fail(format_duration(t) + " is after the end of the run (duration " +
               format_duration(duration) + ")");
  return t;
}

}  // namespace consim::loader
