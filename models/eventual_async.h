// Factory for the eventual_async store model; the class lives in eventual_async.cc.
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_eventual_async_params(const JsonReader& params,
                                                               const ModelScenario& scenario);
std::unique_ptr<Replica> make_eventual_async(const ModelConfig& config, Context& ctx);

}  // namespace consim
