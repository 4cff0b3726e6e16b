// Factory for the event-sourced store model (event sourcing with a CQRS read
// model); the classes live in event_sourced.cc, the parameters in
// event_sourced_params.cc.
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_event_sourced_params(const JsonReader& params,
                                                              const ModelScenario& scenario);
std::unique_ptr<Replica> make_event_sourced(const ModelConfig& config, Context& ctx);

}  // namespace consim
