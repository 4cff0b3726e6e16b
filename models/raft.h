// Factory for the raft store model; the class lives in raft.cc, the
// reusable consensus core in raft_core.h.
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_raft_params(const JsonReader& params,
                                                     const ModelScenario& scenario);
std::unique_ptr<Replica> make_raft(const ModelConfig& config, Context& ctx);

}  // namespace consim
