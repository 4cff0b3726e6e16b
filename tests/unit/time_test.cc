// Durations in scenario files: which strings parse, to what, and how
// format_duration() prints them back.
#include "base/time.h"

#include <doctest/doctest.h>

#include <cstdlib>

#include "base/rng.h"

using namespace consim;

namespace time_test {

TEST_CASE("time: durations with a unit parse to exact nanoseconds") {
  CHECK(parse_duration("10ms") == 10 * kMillisecond);
  CHECK(parse_duration("1.5s") == 1'500 * kMillisecond);
  CHECK(parse_duration("250us") == 250 * kMicrosecond);
  CHECK(parse_duration("0s") == 0);
  CHECK(parse_duration("2min") == 120 * kSecond);
  CHECK(parse_duration("7ns") == 7);
  CHECK(parse_duration("0.1s") == 100 * kMillisecond);
}

TEST_CASE("time: a bare number, a sign, a missing number or stray text is rejected") {
  for (const char* bad : {"10", "-1ms", "ms", "1.5.2s", "10 ms", "1e3ms", "", "1.ms", "10sec",
                          "+5ms", "0.5ns", "99999999999min"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_duration(bad).has_value());
  }
}

TEST_CASE("time: format_duration prints the largest unit that fits") {
  CHECK(format_duration(0) == "0s");
  CHECK(format_duration(999) == "999ns");
  CHECK(format_duration(250 * kMicrosecond) == "250us");
  CHECK(format_duration(12'500 * kMicrosecond) == "12.5ms");
  CHECK(format_duration(3 * kSecond) == "3s");
  CHECK(format_duration(120 * kSecond) == "120s");
  CHECK(format_duration(-5 * kMillisecond) == "-5ms");
  // Three decimals at most: 1,234,567ns reads as 1.235ms.
  CHECK(format_duration(1'234'567) == "1.235ms");
}

TEST_CASE("time: a formatted duration parses back to itself when 3 decimals hold it") {
  for (Time t : {Time{0}, Time{1}, Time{999}, Time{1'000}, Time{1'500}, 250 * kMicrosecond,
                 12'500 * kMicrosecond, kSecond, 1'234 * kMillisecond, 90 * kSecond}) {
    CAPTURE(t);
    CHECK(parse_duration(format_duration(t)) == t);
  }
  // Any value: back within half a unit in the third decimal (0.05%).
  Rng rng(1);
  for (int i = 0; i < 10'000; ++i) {
    Time t = static_cast<Time>(rng.below(1'000'000'000'000ULL));
    auto back = parse_duration(format_duration(t));
    REQUIRE(back.has_value());
    CHECK(std::llabs(*back - t) * 2000 <= t);
  }
}

}  // namespace time_test
