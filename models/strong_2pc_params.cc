// The strong-2pc model's parameters, read strictly (strong_2pc_config.h),
// and written back for the trace header.
#include <nlohmann/json.hpp>

#include "models/model_support.h"
#include "models/strong_2pc.h"
#include "models/strong_2pc_config.h"

namespace consim {

// The termination parameters appear only when cooperative termination is
// on, so the traces of scenarios without it keep their bytes.
nlohmann::json Strong2pcConfig::to_json() const {
  nlohmann::json j = {{"prepare_timeout", format_duration(prepare_timeout)},
                      {"read_wait_timeout", format_duration(read_wait_timeout)},
                      {"retry_initial", format_duration(retry_initial)},
                      {"retry_max", format_duration(retry_max)}};
  if (cooperative_termination) {
    j["cooperative_termination"] = true;
    j["termination_timeout"] = format_duration(termination_timeout);
  }
  return j;
}

std::shared_ptr<const ModelConfig> parse_strong_2pc_params(const JsonReader& params,
                                                           const ModelScenario& /*scenario*/) {
  params.allow_only({"prepare_timeout", "read_wait_timeout", "retry_initial", "retry_max",
                     "cooperative_termination", "termination_timeout"});
  auto c = std::make_shared<Strong2pcConfig>();
  c->prepare_timeout = positive_duration_param(params, "prepare_timeout", c->prepare_timeout);
  c->read_wait_timeout = positive_duration_param(params, "read_wait_timeout", c->read_wait_timeout);
  read_retry_params(params, c->retry_initial, c->retry_max);
  c->cooperative_termination =
      boolean_param(params, "cooperative_termination", c->cooperative_termination);
  c->termination_timeout =
      positive_duration_param(params, "termination_timeout", c->termination_timeout);
  if (params.has("termination_timeout") && !c->cooperative_termination)
    params.fail_at("termination_timeout", "applies only with \"cooperative_termination\": true");
  return c;
}

}  // namespace consim
