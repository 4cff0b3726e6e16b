// STUB: placeholder until the eventual_async model lands. Accepts no parameters.
#include "models/eventual_async.h"

namespace consim {
namespace {
class EmptyConfig : public ModelConfig {
 public:
  nlohmann::json to_json() const override { return nlohmann::json::object(); }
};
}  // namespace

std::shared_ptr<const ModelConfig> parse_eventual_async_params(const JsonReader& params) {
  params.allow_only({});
  return std::make_shared<EmptyConfig>();
}

std::unique_ptr<Replica> make_eventual_async(const ModelConfig&, Context&) { return nullptr; }

}  // namespace consim
