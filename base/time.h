// Simulated time: integer nanoseconds since the start of a run.
//
// Invariant: nothing in consim reads the wall clock. `Time` is the only
// notion of time the engine, the models and the analysis share. Durations in
// scenario files are strings with a unit ("250us", "10ms", "1.5s") so that a
// bare number can never be misread; parse_duration() is the one parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace consim {

using Time = std::int64_t;  // nanoseconds

inline constexpr Time kNanosecond = 1;
inline constexpr Time kMicrosecond = 1'000;
inline constexpr Time kMillisecond = 1'000'000;
inline constexpr Time kSecond = 1'000'000'000;
inline constexpr Time kTimeMax = INT64_MAX;

// Parses "<number><unit>" with unit ns, us, ms, s or min; the number may
// have a fraction ("1.5ms"). Returns nullopt on anything else, including a
// missing unit, a negative value, or a value that overflows int64 ns.
std::optional<Time> parse_duration(std::string_view text);

// Formats a duration the way a person reads it: "0s", "250us", "12.5ms", "3s".
std::string format_duration(Time t);

inline double to_ms(Time t) { return static_cast<double>(t) / static_cast<double>(kMillisecond); }

}  // namespace consim
