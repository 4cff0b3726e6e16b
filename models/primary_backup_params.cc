// Strict parsing of the primary-backup model's parameters (docs/models.md,
// "primary-backup"): every key optional with its documented default, each
// choice one of its listed names, suspicion_timeout longer than
// heartbeat_interval, "primary" one of the scenario's nodes.
#include <array>
#include <nlohmann/json.hpp>

#include "models/primary_backup.h"
#include "models/primary_backup_parts.h"

namespace consim {
namespace pb {
namespace {

constexpr std::array<std::string_view, 3> kReplication = {"sync", "semi-sync", "async"};
constexpr std::array<std::string_view, 2> kReadFrom = {"primary", "any"};
constexpr std::array<std::string_view, 2> kStandby = {"hot", "warm"};
constexpr std::array<std::string_view, 2> kFencing = {"epoch", "none"};
constexpr std::array<std::string_view, 2> kWarmPromotion = {"catch-up", "as-is"};

}  // namespace

nlohmann::json Config::to_json() const {
  return {{"replication", name_of(replication, kReplication)},
          {"read_from", name_of(read_from, kReadFrom)},
          {"standby", name_of(standby, kStandby)},
          {"fencing", name_of(fencing, kFencing)},
          {"warm_promotion", name_of(warm_promotion, kWarmPromotion)},
          {"primary", primary_name},
          {"heartbeat_interval", format_duration(heartbeat_interval)},
          {"suspicion_timeout", format_duration(suspicion_timeout)},
          {"warm_refresh", format_duration(warm_refresh)},
          {"replay_cost", format_duration(replay_cost)}};
}

}  // namespace pb

std::shared_ptr<const ModelConfig> parse_primary_backup_params(const JsonReader& params,
                                                               const ModelScenario& scenario) {
  using namespace pb;
  params.allow_only({"replication", "read_from", "standby", "fencing", "warm_promotion", "primary",
                     "heartbeat_interval", "suspicion_timeout", "warm_refresh", "replay_cost"});
  auto c = std::make_shared<Config>();
  c->replication = choice(params, "replication", kReplication, c->replication);
  c->read_from = choice(params, "read_from", kReadFrom, c->read_from);
  c->standby = choice(params, "standby", kStandby, c->standby);
  c->fencing = choice(params, "fencing", kFencing, c->fencing);
  c->warm_promotion = choice(params, "warm_promotion", kWarmPromotion, c->warm_promotion);
  c->primary = params.has("primary") ? node_param(params, "primary", scenario) : 0;
  c->primary_name = scenario.node_names.at(c->primary);
  c->heartbeat_interval =
      positive_duration_param(params, "heartbeat_interval", c->heartbeat_interval);
  c->suspicion_timeout = positive_duration_param(params, "suspicion_timeout", c->suspicion_timeout);
  if (c->suspicion_timeout <= c->heartbeat_interval)
    params.fail_at(params.has("suspicion_timeout") ? "suspicion_timeout" : "heartbeat_interval",
                   "suspicion_timeout (" + format_duration(c->suspicion_timeout) +
                       ") must be longer than heartbeat_interval (" +
                       format_duration(c->heartbeat_interval) + ")");
  c->warm_refresh = positive_duration_param(params, "warm_refresh", c->warm_refresh);
  c->replay_cost = positive_duration_param(params, "replay_cost", c->replay_cost);
  return c;
}

}  // namespace consim
