// STUB: placeholder until the strong_2pc model lands. Accepts no parameters.
#include "models/strong_2pc.h"

namespace consim {
namespace {
class EmptyConfig : public ModelConfig {
 public:
  nlohmann::json to_json() const override { return nlohmann::json::object(); }
};
}  // namespace

std::shared_ptr<const ModelConfig> parse_strong_2pc_params(const JsonReader& params) {
  params.allow_only({});
  return std::make_shared<EmptyConfig>();
}

std::unique_ptr<Replica> make_strong_2pc(const ModelConfig&, Context&) { return nullptr; }

}  // namespace consim
