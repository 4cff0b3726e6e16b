// The table of store models. Adding a model is one row here.
#include "models/registry.h"

#include "models/causal.h"
#include "models/eventual_async.h"
#include "models/strong_2pc.h"

namespace consim {

const std::vector<ModelInfo>& model_registry() {
  static const std::vector<ModelInfo> table = {
      {"strong-2pc",
       "linearizable: the receiving node runs two-phase commit with every replica; "
       "writes fail under any partition",
       parse_strong_2pc_params, make_strong_2pc},
      {"eventual-async",
       "eventual: apply locally, acknowledge at once, replicate in the background with "
       "retries; last-writer-wins",
       parse_eventual_async_params, make_eventual_async},
      {"causal",
       "causal: vector-clock dependencies, remote writes buffered until their causes are "
       "applied, sessions carry causal context",
       parse_causal_params, make_causal},
  };
  return table;
}

const ModelInfo* find_model(const std::string& name) {
  for (const auto& m : model_registry())
    if (m.name == name) return &m;
  return nullptr;
}

std::vector<std::string> model_names() {
  std::vector<std::string> out;
  for (const auto& m : model_registry()) out.push_back(m.name);
  return out;
}

}  // namespace consim
