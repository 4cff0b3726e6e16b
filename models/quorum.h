// Factory for the quorum store model (Dynamo-style N/R/W quorums); the
// coordinator lives in quorum.cc, the replica side and hinted handoff in
// quorum_replica.cc, parameters and the ring in quorum_params.cc.
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_quorum_params(const JsonReader& params,
                                                       const ModelScenario& scenario);
std::unique_ptr<Replica> make_quorum(const ModelConfig& config, Context& ctx);

}  // namespace consim
