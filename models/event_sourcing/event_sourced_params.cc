// The event-sourced model's parameters: parsing (strict, every error at its
// JSON path) and the trace header's form. docs/models.md documents them.
#include <nlohmann/json.hpp>

#include "base/distribution_json.h"
#include "models/event_sourcing/event_sourced.h"
#include "models/event_sourcing/event_sourced_parts.h"

namespace consim {

using event_sourcing::Config;
using event_sourcing::kQueriesNames;
using event_sourcing::Queries;

nlohmann::json event_sourcing::Config::to_json() const {
  nlohmann::json j = {{"log_owner", log_owner_name},
                      {"projection", projection_name},
                      {"apply_time", nlohmann::json::parse(apply_time_json)},
                      {"queries", name_of(queries, kQueriesNames)},
                      {"retry_initial", format_duration(retry_initial)},
                      {"retry_max", format_duration(retry_max)}};
  if (batch_interval) j["batch_interval"] = format_duration(*batch_interval);
  return j;
}

std::shared_ptr<const ModelConfig> parse_event_sourced_params(const JsonReader& params,
                                                              const ModelScenario& scenario) {
  params.allow_only({"log_owner", "projection", "apply_time", "batch_interval", "queries",
                     "retry_initial", "retry_max"});
  auto c = std::make_shared<Config>();
  std::size_t n = scenario.node_count();
  c->log_owner = params.has("log_owner") ? node_param(params, "log_owner", scenario) : 0;
  c->projection = params.has("projection") ? node_param(params, "projection", scenario)
                                           : static_cast<NodeId>(n - 1);
  c->log_owner_name = scenario.node_names[c->log_owner];
  c->projection_name = scenario.node_names[c->projection];
  if (params.has("apply_time")) {
    c->apply_time = parse_distribution(params.at("apply_time"));
    c->apply_time_json = params.at("apply_time").json().dump();
  }
  if (params.has("batch_interval"))
    c->batch_interval = positive_duration_param(params, "batch_interval", 0);
  c->queries = choice(params, "queries", kQueriesNames, Queries::Projection);
  read_retry_params(params, c->retry_initial, c->retry_max);
  return c;
}

}  // namespace consim
