// STUB: placeholder until the causal model lands. Accepts no parameters.
#include "models/causal.h"

namespace consim {
namespace {
class EmptyConfig : public ModelConfig {
 public:
  nlohmann::json to_json() const override { return nlohmann::json::object(); }
};
}  // namespace

std::shared_ptr<const ModelConfig> parse_causal_params(const JsonReader& params) {
  params.allow_only({});
  return std::make_shared<EmptyConfig>();
}

std::unique_ptr<Replica> make_causal(const ModelConfig&, Context&) { return nullptr; }

}  // namespace consim
