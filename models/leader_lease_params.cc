// The leader-lease model's parameters, read strictly (see docs/models.md,
// "leader-lease"): which nodes form the Raft group, which are the
// applications, which one is the storage; the lease and its timing.
//
// Defaults (so the model runs on any scenario, e.g. under `consim run
// --model leader-lease`): every node is in the group and is an application,
// and the last node is the storage. A node may play several roles.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "models/leader_lease.h"
#include "models/leader_lease_parts.h"

namespace consim {
namespace leader_lease {

nlohmann::json Config::to_json() const {
  auto names = [this](const std::vector<NodeId>& nodes) {
    nlohmann::json out = nlohmann::json::array();
    for (NodeId n : nodes) out.push_back(node_names[n]);
    return out;
  };
  nlohmann::json j = {{"coordination", names(coordination)},
                      {"apps", names(apps)},
                      {"storage", node_names[storage]},
                      {"lease", format_duration(lease)},
                      {"renew_interval", format_duration(renew_interval)},
                      {"processing_time", format_duration(processing_time)},
                      {"fencing_tokens", fencing_tokens}};
  write_raft_options(raft, j);
  return j;
}

namespace {

// A non-empty list of distinct node names, as sorted node ids.
std::vector<NodeId> node_list_param(const JsonReader& params, std::string_view key,
                                    const ModelScenario& scenario) {
  std::vector<JsonReader> items = params.at(key).as_array();
  if (items.empty()) params.fail_at(key, "must name at least one node");
  std::vector<NodeId> nodes;
  for (const JsonReader& item : items) {
    std::string name = item.as_string();
    auto it = std::find(scenario.node_names.begin(), scenario.node_names.end(), name);
    if (it == scenario.node_names.end())
      item.fail("unknown node \"" + name + "\"; nodes: " + join_names(scenario.node_names));
    NodeId id = static_cast<NodeId>(it - scenario.node_names.begin());
    if (std::find(nodes.begin(), nodes.end(), id) != nodes.end())
      item.fail("node \"" + name + "\" is listed twice");
    nodes.push_back(id);
  }
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

std::vector<NodeId> all_nodes(const ModelScenario& scenario) {
  std::vector<NodeId> nodes;
  for (NodeId n = 0; n < scenario.node_count(); ++n) nodes.push_back(n);
  return nodes;
}

}  // namespace
}  // namespace leader_lease

std::shared_ptr<const ModelConfig> parse_leader_lease_params(const JsonReader& params,
                                                             const ModelScenario& scenario) {
  using leader_lease::node_list_param;
  std::vector<std::string> keys = raft_option_keys();
  for (const char* k : {"coordination", "apps", "storage", "lease", "renew_interval",
                        "processing_time", "fencing_tokens"})
    keys.push_back(k);
  params.allow_only(keys);
  auto c = std::make_shared<leader_lease::Config>();
  c->node_names = scenario.node_names;
  c->coordination = params.has("coordination") ? node_list_param(params, "coordination", scenario)
                                               : leader_lease::all_nodes(scenario);
  c->apps = params.has("apps") ? node_list_param(params, "apps", scenario)
                               : leader_lease::all_nodes(scenario);
  c->storage = params.has("storage") ? node_param(params, "storage", scenario)
                                     : static_cast<NodeId>(scenario.node_count() - 1);
  c->lease = positive_duration_param(params, "lease", c->lease);
  c->renew_interval = positive_duration_param(params, "renew_interval", c->renew_interval);
  if (2 * c->renew_interval >= c->lease)
    params.fail_at(params.has("renew_interval") ? "renew_interval" : "lease",
                   "renew_interval (" + format_duration(c->renew_interval) +
                       ") must be less than half the lease (" + format_duration(c->lease) + ")");
  c->processing_time = positive_duration_param(params, "processing_time", c->processing_time);
  c->fencing_tokens = boolean_param(params, "fencing_tokens", c->fencing_tokens);
  read_raft_options(params, c->raft);
  c->raft.announce_roles = false;  // the role lines are the applications' leases
  return c;
}

}  // namespace consim
