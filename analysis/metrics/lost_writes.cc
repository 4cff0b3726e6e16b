// Lost acknowledged writes from the final replica state: see lost_writes.h.
#include "analysis/metrics/lost_writes.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <vector>

namespace consim {
namespace {

struct Lost {
  std::uint64_t line;
  std::uint32_t key;
  std::int64_t value;
  Time ack;
};

}  // namespace

nlohmann::json lost_writes_json(const ReplicaTracker& replicas, const WriteTable& writes,
                                const TraceNames& names, bool faults_active_at_end) {
  if (!replicas.seen_apply()) {
    return {{"available", false},
            {"reason", "the trace has no apply lines (trace level ops, or a history)"}};
  }
  std::uint64_t count = 0, skipped = 0;
  bool lower_bound = false;
  std::vector<Lost> lost;
  for (std::uint32_t key = 0; key < writes.size(); ++key) {
    const KeyWrites& kw = *writes.find(key);
    if (kw.acked() == 0) continue;
    const auto newest = replicas.newest_live_rank(key);
    if (!newest || *newest == ReplicaTracker::kUnackedRank) {
      ++skipped;
      continue;
    }
    // Every write acknowledged after the newest one a live replica holds.
    std::uint64_t first_lost = static_cast<std::uint64_t>(std::max<std::int64_t>(*newest + 1, 0));
    if (*newest == ReplicaTracker::kOlderRank) {
      lower_bound = true;
      first_lost = kw.oldest_kept();
    }
    if (first_lost >= kw.acked()) continue;
    count += kw.acked() - first_lost;
    for (std::uint64_t i = std::max(first_lost, kw.oldest_kept()); i < kw.acked(); ++i) {
      const AckedWrite& w = kw.at(i);
      lost.push_back(Lost{w.invoke_line, key, w.value, w.ack_time});
    }
  }
  std::sort(lost.begin(), lost.end(), [](const Lost& a, const Lost& b) { return a.line < b.line; });
  nlohmann::json listed = nlohmann::json::array();
  for (std::size_t i = 0; i < lost.size() && i < kLostWritesListed; ++i) {
    const Lost& l = lost[i];
    listed.push_back(
        {{"line", l.line},
         {"key", l.key < names.keys.size() ? names.keys[l.key] : std::to_string(l.key)},
         {"value", l.value},
         {"ack_ms", to_ms(l.ack)}});
  }
  return {{"available", true},
          {"count", count},
          {"lower_bound", lower_bound},
          {"listed", listed},
          {"keys_skipped", skipped},
          {"converged_at_end", replicas.divergent_keys() == 0},
          {"faults_active_at_end", faults_active_at_end}};
}

}  // namespace consim
