// Factory for the multi-leader store model; the class lives in multi_leader.cc.
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_multi_leader_params(const JsonReader& params,
                                                             const ModelScenario& scenario);
std::unique_ptr<Replica> make_multi_leader(const ModelConfig& config, Context& ctx);

}  // namespace consim
