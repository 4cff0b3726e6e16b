// Reading JSON arrays of integers from their raw text: a cas's or a
// transfer's "[a, b]", a read's "siblings", a set read's integer items.
//
// Invariants: the text has already passed FlatScanner, so it is valid JSON;
// these readers only decide whether it is an array of 64-bit integers (no
// fraction, no exponent, in range) and return its elements in order. Any
// other shape (a string, a float, a nested array) is `false`, never an
// exception, so a caller can fall back to a general parser. Worked example:
// "[3, -1,7]" gives 3, -1, 7; "[3, 1.5]" and "[3, \"a\"]" give false.
#pragma once

#include <charconv>
#include <cstdint>
#include <string_view>
#include <vector>

namespace consim {

// Calls on_int(std::int64_t) for each element of the array `raw`, in order.
// False if `raw` is not an array of 64-bit integers (on_int may already
// have seen the elements before the one that failed).
template <typename OnInt>
bool scan_int_array(std::string_view raw, OnInt&& on_int) {
  const char* p = raw.data();
  const char* end = p + raw.size();
  auto skip = [&] {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  };
  skip();
  if (p == end || *p != '[') return false;
  ++p;
  skip();
  if (p < end && *p == ']') return true;
  while (true) {
    skip();
    std::int64_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || next == p ||
        (next < end && (*next == '.' || *next == 'e' || *next == 'E')))
      return false;
    on_int(v);
    p = next;
    skip();
    if (p < end && *p == ',') {
      ++p;
      continue;
    }
    return p < end && *p == ']';
  }
}

// "[a, b, ...]" into `out` (cleared first).
inline bool int_list(std::string_view raw, std::vector<std::int64_t>& out) {
  out.clear();
  return scan_int_array(raw, [&out](std::int64_t v) { out.push_back(v); });
}

// Exactly two integers, "[a, b]".
inline bool int_pair(std::string_view raw, std::int64_t out[2]) {
  std::size_t n = 0;
  bool ok = scan_int_array(raw, [&](std::int64_t v) {
    if (n < 2) out[n] = v;
    ++n;
  });
  return ok && n == 2;
}

}  // namespace consim
