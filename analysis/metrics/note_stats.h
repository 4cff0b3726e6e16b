// Counts of the notes models write (docs/models.md lists them), and how long
// the states they end lasted: e.g. strong-2pc's "resolved" (time in doubt),
// causal's "released" (time buffered).
//
// Invariants: memory grows with the number of distinct note kinds, never
// with the number of notes (durations go to a bounded LatencyHistogram).
// The JSON is keyed by note kind, so its order does not depend on the trace.
// Example: notes in-doubt, resolved (lasted 2ms), resolved (lasted 4ms) ->
// {"in-doubt": {"count": 1, "lasted_ms": null},
//  "resolved": {"count": 2, "lasted_ms": {"p50": 2, ..., "max": 4}}}.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/metrics/latency_histogram.h"
#include "base/time.h"

namespace consim {

class NoteStats {
 public:
  // `what`: the interned note kind (kNone, for a note without one, is
  // skipped).
  void add(std::uint32_t what, std::optional<Time> lasted);
  nlohmann::json to_json(const std::vector<std::string>& kinds) const;

 private:
  struct Kind {
    std::uint64_t count = 0;
    LatencyHistogram lasted;
  };
  std::vector<Kind> kinds_;  // by interned id
};

}  // namespace consim
