// The comparison's table of set and counter outcomes (docs/crdts.md): one
// row per model whose report judged sets or counters (final reads taken),
// with the cart and counter checkers' verdicts and counts; empty when no
// report did, so register comparisons print what they always printed.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace consim {

std::string crdt_table(const std::vector<nlohmann::json>& reports);

}  // namespace consim
