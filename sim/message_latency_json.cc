// The "network.message_latency" part of a scenario: a latency distribution
// per model message type, and the check that the model sends each type
// named (docs/scenario-format.md, "Latency per message type").
//
// Form: {"<type>": {"replace": <distribution>}} or {"<type>": {"add":
// <distribution>}}. The mode is always explicit: a bare distribution is an
// error, and so is an entry with both modes, so no reader has to guess
// whether a type's latency stands in for the link's or comes on top of it.
// Example: {"write-ack": {"add": {"type": "exponential", "mean": "5ms"}}}
// makes every write-ack take its link's latency plus an exponential 5 ms.
// Invariants of the result: sorted by type (a JSON object's keys are), types
// unique and non-empty.
#include <nlohmann/json.hpp>

#include "sim/scenario_parts.h"

namespace consim::loader {

std::vector<MessageLatency> parse_message_latency(const JsonReader& value) {
  value.expect_object();
  std::vector<MessageLatency> out;
  for (const auto& [type, entry] : value.json().items()) {
    const JsonReader e = value.at(type);
    if (type.empty()) e.fail("a message type name cannot be empty");
    const bool replace = entry.is_object() && entry.contains("replace");
    const bool add = entry.is_object() && entry.contains("add");
    if (!entry.is_object() || (!replace && !add))
      e.fail(
          "expected {\"replace\": <distribution>} (instead of the link's latency) or "
          "{\"add\": <distribution>} (on top of it), got " +
          json_described(entry));
    e.allow_only({"replace", "add"});
    if (replace && add)
      e.fail("give \"replace\" or \"add\", not both: is the link's latency kept or not?");
    MessageLatency m;
    m.type = type;
    m.mode = replace ? MessageLatency::Mode::Replace : MessageLatency::Mode::Add;
    m.latency = parse_distribution(e.at(replace ? "replace" : "add"));
    out.push_back(std::move(m));
  }
  return out;
}

void check_message_types(const JsonReader& network, const ModelInfo& model) {
  if (!network.has("message_latency")) return;
  const JsonReader value = network.at("message_latency");
  for (const auto& [type, entry] : value.json().items()) {
    bool sent = false;
    for (const auto& t : model.message_types) sent = sent || t == type;
    if (!sent)
      value.fail_at(type, "the model \"" + model.name + "\" never sends \"" + type +
                              "\" messages; its message types: " + join_names(model.message_types));
  }
}

}  // namespace consim::loader
