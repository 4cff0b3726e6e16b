// The causal model's entry points for every workload type: registers run
// causal.cc's replica; sets and counters (workload.type "set" or
// "counter") run causal_crdt.cc's, which keeps a CRDT per key and
// replicates each update with causal delivery (docs/crdts.md, "causal").
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_causal_store_params(const JsonReader& params,
                                                             const ModelScenario& scenario);
std::unique_ptr<Replica> make_causal_store(const ModelConfig& config, Context& ctx);

}  // namespace consim
