// Factory for the primary-backup store model; the replica lives in
// primary_backup.cc and primary_backup_primary.cc, its parameters in
// primary_backup_params.cc.
#pragma once

#include <memory>

#include "models/model_info.h"

namespace consim {

std::shared_ptr<const ModelConfig> parse_primary_backup_params(const JsonReader& params,
                                                               const ModelScenario& scenario);
std::unique_ptr<Replica> make_primary_backup(const ModelConfig& config, Context& ctx);

}  // namespace consim
