// Factory for the leader-lease model (leader election as a service, with
// fencing tokens); the classes live in leader_lease*.cc.
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_leader_lease_params(const JsonReader& params,
                                                             const ModelScenario& scenario);
std::unique_ptr<Replica> make_leader_lease(const ModelConfig& config, Context& ctx);

}  // namespace consim
