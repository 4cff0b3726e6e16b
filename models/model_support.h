// Helpers every store model shares: optional-parameter readers, timer tags,
// and the wire envelope size.
//
// Invariants: a parameter absent from "params" takes the documented default
// the caller passes; a parameter present is checked for type and range and
// any error names its JSON path. A timer tag packs a model-chosen kind into
// the top 8 bits and an id into the low 56, so one on_timer() can route
// every timer a model sets.
#pragma once

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

}  // namespace consim
