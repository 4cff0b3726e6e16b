// Small strict readers shared by the scenario loader and distribution
// parsing; see json_checks.h.
#include "base/json_checks.h"

#include <cstdio>
#include <limits>

namespace consim {

double positive_number(const JsonReader& value, double max) {
  double x =
      value.as_number(std::numeric_limits<double>::lowest(), std::numeric_limits<double>::max());
  char buf[120];
  if (!(x > 0)) {
    std::snprintf(buf, sizeof buf, "must be more than 0, got %.15g", x);
    value.fail(buf);
  }
  if (x > max) {
    std::snprintf(buf, sizeof buf, "%.15g is too large: at most %.15g", x, max);
    value.fail(buf);
  }
  return x;
}

std::string one_of(const JsonReader& value, const std::vector<std::string>& names,
                   std::string_view what, std::string_view plural) {
  std::string s = value.as_string();
  for (const auto& n : names)
    if (n == s) return s;
  value.fail("unknown " + std::string(what) + " \"" + s + "\"; valid " + std::string(plural) +
             ": " + join_names(names));
}

}  // namespace consim
