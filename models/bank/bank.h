// Factory for the sharded bank model (models/bank/bank_parts.h has the
// design; docs/models.md the description).
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_bank_params(const JsonReader& params,
                                                     const ModelScenario& scenario);
std::unique_ptr<Replica> make_bank(const ModelConfig& config, Context& ctx);

}  // namespace consim
