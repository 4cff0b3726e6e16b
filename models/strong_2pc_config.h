// The strong-2pc model's parameters (docs/models.md, "strong-2pc"), shared
// by the replica (strong_2pc.cc) and the parser (strong_2pc_params.cc).
//
// Invariants: every duration is positive; termination_timeout is set only
// with cooperative_termination, and only then appears in to_json(), so the
// traces of scenarios without it keep their bytes.
#pragma once

#include "models/model_info.h"

namespace consim {

struct Strong2pcConfig : ModelConfig {
  Time prepare_timeout = 100 * kMillisecond;
  Time read_wait_timeout = 500 * kMillisecond;
  Time retry_initial = 50 * kMillisecond;
  Time retry_max = 2 * kSecond;
  bool cooperative_termination = false;
  Time termination_timeout = 300 * kMillisecond;

  nlohmann::json to_json() const override;
};

}  // namespace consim
