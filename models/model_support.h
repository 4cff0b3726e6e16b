// Helpers every store model shares: optional-parameter readers, timer tags,
// and the wire envelope size.
//
// Invariants: a parameter absent from "params" takes the documented default
// the caller passes; a parameter present is checked for type and range and
// any error names its JSON path. A timer tag packs a model-chosen kind into
// the top 8 bits and an id into the low 56, so one on_timer() can route
// every timer a model sets.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/json_input.h"
#include "models/model.h"
#include "models/model_info.h"

namespace consim {

// Bytes every message spends on its envelope (type, sender, receiver,
// length), on top of its own fields.
inline constexpr std::size_t kEnvelopeBytes = 16;

// A duration parameter that must be > 0; `fallback` when absent.
Time positive_duration_param(const JsonReader& params, std::string_view key, Time fallback);
// Reads "retry_initial" and "retry_max" (both optional, positive; initial and
// max hold the defaults on entry) and checks retry_initial <= retry_max.
void read_retry_params(const JsonReader& params, Time& initial, Time& max);
bool boolean_param(const JsonReader& params, std::string_view key, bool fallback);
// A required parameter naming one of the scenario's nodes, e.g. "primary":
// "n2"; an unknown name is an error at its path listing the nodes.
NodeId node_param(const JsonReader& params, std::string_view key, const ModelScenario& scenario);

inline constexpr std::uint64_t kTimerIdBits = 56;
inline constexpr std::uint64_t kTimerIdMask = (std::uint64_t{1} << kTimerIdBits) - 1;

inline std::uint64_t timer_tag(std::uint8_t kind, std::uint64_t id) {
  return (std::uint64_t{kind} << kTimerIdBits) | (id & kTimerIdMask);
}
inline std::uint8_t timer_kind(std::uint64_t tag) {
  return static_cast<std::uint8_t>(tag >> kTimerIdBits);
}
inline std::uint64_t timer_id(std::uint64_t tag) { return tag & kTimerIdMask; }

// "n3, n4" for reasons and notes.
std::string node_list(const Context& ctx, const std::vector<NodeId>& nodes);

// The index of params[key] among `names` (an enum parameter spelled by name);
// `fallback` when absent; an unknown name fails at the key, listing the valid ones.
template <class E, std::size_t N>
E choice(const JsonReader& params, std::string_view key,
         const std::array<std::string_view, N>& names, E fallback) {
  if (!params.has(key)) return fallback;
  std::string got = params.string(key);
  for (std::size_t i = 0; i < N; ++i)
    if (names[i] == got) return static_cast<E>(i);
  std::vector<std::string> valid(names.begin(), names.end());
  params.fail_at(key,
                 "unknown " + std::string(key) + " \"" + got + "\"; valid: " + join_names(valid));
}

// The name of an enum parameter's value, for the trace header.
template <class E, std::size_t N>
std::string name_of(E value, const std::array<std::string_view, N>& names) {
  return std::string(names[static_cast<std::size_t>(value)]);
}

}  // namespace consim
