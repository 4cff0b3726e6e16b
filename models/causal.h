// Factory for the causal store model; the class lives in causal.cc.
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_causal_params(const JsonReader& params,
                                                       const ModelScenario& scenario);
std::unique_ptr<Replica> make_causal(const ModelConfig& config, Context& ctx);

}  // namespace consim
