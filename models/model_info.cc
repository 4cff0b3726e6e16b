// Lookups in a model catalog; see model_info.h.
#include "models/model_info.h"

namespace consim {

const ModelInfo* find_model(const ModelCatalog& catalog, std::string_view name) {
  for (const auto& m : catalog)
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> model_names(const ModelCatalog& catalog) {
  std::vector<std::string> out;
  for (const auto& m : catalog) out.push_back(m.name);
  return out;
}

}  // namespace consim
