// The ports' one concrete helper, NodeNames; see ports.h.
#include "sim/ports.h"

namespace consim {

NodeNames::NodeNames(std::vector<std::string> names) : names_(std::move(names)) {
  for (NodeId id = 0; id < names_.size(); ++id) ids_.emplace(names_[id], id);
}

std::optional<NodeId> NodeNames::find(std::string_view name) const {
  auto it = ids_.find(name);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

}  // namespace consim
