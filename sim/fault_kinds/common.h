// Helpers the fault kinds share: node lists in labels and trace fields.
// Included only by the kind files (through fault_kinds.cc).
#pragma once

#include <string>
#include <vector>

#include "sim/fault_kind.h"

namespace consim::kinds {

// "n1,n2 | n3,n4,n5"
inline std::string sides_label(const std::vector<std::vector<FaultNode>>& sides,
                               const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < sides.size(); ++i) {
    if (i) out += " | ";
    for (std::size_t j = 0; j < sides[i].size(); ++j) out += (j ? "," : "") + names.at(sides[i][j]);
  }
  return out;
}

// [["n1","n2"],["n3"]] from node-name groups.
std::string groups_json(const std::vector<std::vector<std::string>>& groups);
std::string sides_json(const std::vector<std::vector<FaultNode>>& sides,
                       const std::vector<std::string>& names);

}  // namespace consim::kinds
