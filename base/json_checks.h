// Small strict readers on top of JsonReader, shared by the scenario loader
// (sim/) and distribution parsing (base/distribution_json.cc). Each names the
// file and the JSON path of a bad value, as JsonReader does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json_input.h"

namespace consim {

// A number that must be > 0 and <= max.
double positive_number(const JsonReader& value, double max);
// A string that must be one of `names`; the error lists them under `what`
// (what "model", plural "models": "unknown model \"x\"; valid models: a, b or c").
std::string one_of(const JsonReader& value, const std::vector<std::string>& names,
                   std::string_view what, std::string_view plural);

}  // namespace consim
