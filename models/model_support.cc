// Shared parameter readers and naming helpers for store models; see model_support.h.
#include "models/model_support.h"

namespace consim {

Time positive_duration_param(const JsonReader& params, std::string_view key, Time fallback) {
  if (!params.has(key)) return fallback;
  Time t = params.duration(key);
  if (t <= 0) params.fail_at(key, "must be a positive duration, e.g. \"10ms\"");
  return t;
}

void read_retry_params(const JsonReader& params, Time& initial, Time& max) {
  initial = positive_duration_param(params, "retry_initial", initial);
  max = positive_duration_param(params, "retry_max", max);
  if (max < initial)
    params.fail_at(params.has("retry_max") ? "retry_max" : "retry_initial",
                   "retry_max (" + format_duration(max) + ") must be at least retry_initial (" +
                       format_duration(initial) + ")");
}

bool boolean_param(const JsonReader& params, std::string_view key, bool fallback) {
  return params.has(key) ? params.boolean(key) : fallback;
}

NodeId node_param(const JsonReader& params, std::string_view key, const ModelScenario& scenario) {
  JsonReader value = params.at(key);
  std::string name = value.as_string();
  for (NodeId id = 0; id < scenario.node_names.size(); ++id)
    if (scenario.node_names[id] == name) return id;
  value.fail("unknown node \"" + name + "\"; nodes: " + join_names(scenario.node_names));
}

std::string node_list(const Context& ctx, const std::vector<NodeId>& nodes) {
  std::string out;
  for (NodeId n : nodes) {
    if (!out.empty()) out += ", ";
    out += ctx.node_name(n);
  }
  return out;
}

}  // namespace consim
