// Set items as the cart checker compares them: canonical JSON text (what
// nlohmann's dump() writes), so two spellings of one JSON value are one
// item ("hat" and "h\u0061t"; 3 and 3 with spaces) and "3" and 3 are two.
//
// Fast paths for what the simulator writes (integers, plain strings); any
// other value goes through nlohmann::json once. Worked example: the array
// text [3, "hat", {"b":1,"a":2}] gives the items 3, "hat", {"a":2,"b":1}.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/trace/flat_json.h"

namespace consim {

// The canonical text of one scanned value (any kind; an array or object
// from its raw text). False if it cannot be read (never for scanner output).
bool canonical_item(const FlatValue& value, std::string& out);
// The canonical text of each element of the JSON array `raw`, in order.
// False if `raw` is not an array.
bool canonical_items(std::string_view raw, std::vector<std::string>& out);

}  // namespace consim
