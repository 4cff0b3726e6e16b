// Duration parsing and formatting; see time.h for the accepted forms.
#include "base/time.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>

namespace consim {
namespace {

__extension__ typedef __int128 i128;

std::optional<Time> unit_scale(std::string_view unit) {
  if (unit == "ns") return kNanosecond;
  if (unit == "us") return kMicrosecond;
  if (unit == "ms") return kMillisecond;
  if (unit == "s") return kSecond;
  if (unit == "min") return 60 * kSecond;
  return std::nullopt;
}

// Parses a non-negative decimal "123" or "12.75" exactly into whole and
// fractional digit strings; returns false on anything else.
bool split_decimal(std::string_view num, std::string_view& whole, std::string_view& frac) {
  auto dot = num.find('.');
  whole = num.substr(0, dot);
  frac = dot == std::string_view::npos ? std::string_view{} : num.substr(dot + 1);
  if (whole.empty() && frac.empty()) return false;
  if (dot != std::string_view::npos && frac.empty()) return false;
  for (char c : whole)
    if (c < '0' || c > '9') return false;
  for (char c : frac)
    if (c < '0' || c > '9') return false;
  return true;
}

}  // namespace

std::optional<Time> parse_duration(std::string_view text) {
  std::size_t unit_at = 0;
  while (unit_at < text.size() &&
         (std::isdigit(static_cast<unsigned char>(text[unit_at])) || text[unit_at] == '.'))
    ++unit_at;
  auto scale = unit_scale(text.substr(unit_at));
  std::string_view whole, frac;
  if (!scale || !split_decimal(text.substr(0, unit_at), whole, frac)) return std::nullopt;
  if (whole.size() > 12) return std::nullopt;
  // Integer arithmetic so "0.1s" is exactly 100ms on every platform.
  i128 ns = 0;
  for (char c : whole) ns = ns * 10 + (c - '0');
  ns *= *scale;
  i128 frac_scale = *scale;
  for (char c : frac) {
    if (frac_scale % 10 != 0) return std::nullopt;  // finer than 1ns
    frac_scale /= 10;
    ns += (c - '0') * frac_scale;
  }
  if (ns > INT64_MAX) return std::nullopt;
  return static_cast<Time>(ns);
}

std::string format_duration(Time t) {
  char buf[64];
  const char* sign = t < 0 ? "-" : "";
  Time a = t < 0 ? -t : t;
  struct Unit {
    Time scale;
    const char* name;
  };
  for (Unit u : {Unit{kSecond, "s"}, Unit{kMillisecond, "ms"}, Unit{kMicrosecond, "us"}}) {
    if (a >= u.scale) {
      if (a % u.scale == 0) {
        std::snprintf(buf, sizeof buf, "%s%lld%s", sign, static_cast<long long>(a / u.scale),
                      u.name);
      } else {
        std::snprintf(buf, sizeof buf, "%s%.3f%s", sign,
                      static_cast<double>(a) / static_cast<double>(u.scale), u.name);
        std::string s = buf;  // trim trailing zeros of the fraction
        auto unit_pos = s.size() - std::char_traits<char>::length(u.name);
        std::string num = s.substr(0, unit_pos);
        while (num.back() == '0') num.pop_back();
        if (num.back() == '.') num.pop_back();
        return num + u.name;
      }
      return buf;
    }
  }
  std::snprintf(buf, sizeof buf, "%s%lldns", sign, static_cast<long long>(a));
  if (a == 0) return "0s";
  return buf;
}

}  // namespace consim
