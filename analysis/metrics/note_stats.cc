// Note counts and durations: see note_stats.h.
#include "analysis/metrics/note_stats.h"

#include <nlohmann/json.hpp>

#include "analysis/metrics/op_stats.h"
#include "analysis/trace/trace_event.h"

namespace consim {

void NoteStats::add(std::uint32_t what, std::optional<Time> lasted) {
  if (what == kNone) return;  // a note without a kind: nothing to count it under
  if (what >= kinds_.size()) kinds_.resize(what + 1);
  Kind& k = kinds_[what];
  ++k.count;
  if (lasted) k.lasted.add(*lasted);
}

nlohmann::json NoteStats::to_json(const std::vector<std::string>& kinds) const {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < kinds_.size(); ++i) {
    const Kind& k = kinds_[i];
    if (k.count == 0) continue;
    out[kinds[i]] = {
        {"count", k.count},
        {"lasted_ms", k.lasted.count() > 0 ? percentiles_json(k.lasted) : nlohmann::json()}};
  }
  return out;
}

}  // namespace consim
