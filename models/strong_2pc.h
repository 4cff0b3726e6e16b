// Factory for the strong_2pc store model; the class lives in strong_2pc.cc.
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_strong_2pc_params(const JsonReader& params,
                                                           const ModelScenario& scenario);
std::unique_ptr<Replica> make_strong_2pc(const ModelConfig& config, Context& ctx);

}  // namespace consim
