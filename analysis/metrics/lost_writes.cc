// Lost and in-doubt acknowledged writes from the final replica state: see
// lost_writes.h.
#include "analysis/metrics/lost_writes.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <vector>

namespace consim {
namespace {

std::string name_of(std::uint32_t id, const std::vector<std::string>& names) {
  return id < names.size() ? names[id] : std::to_string(id);
}

nlohmann::json listed_json(const std::vector<MissingWrite>& writes, const TraceNames& names,
                           bool with_holders) {
  nlohmann::json listed = nlohmann::json::array();
  for (std::size_t i = 0; i < writes.size() && i < kLostWritesListed; ++i) {
    const MissingWrite& w = writes[i];
    nlohmann::json entry = {{"line", w.line},
                            {"key", name_of(w.key, names.keys)},
                            {"value", w.value},
                            {"ack_ms", to_ms(w.ack)}};
    if (with_holders) {
      nlohmann::json nodes = nlohmann::json::array();
      for (std::uint32_t n : w.held_by) nodes.push_back(name_of(n, names.nodes));
      entry["held_by"] = std::move(nodes);
    }
    listed.push_back(std::move(entry));
  }
  return listed;
}

void sort_by_line(std::vector<MissingWrite>& writes) {
  std::sort(writes.begin(), writes.end(),
            [](const MissingWrite& a, const MissingWrite& b) { return a.line < b.line; });
}

}  // namespace

LostWriteFindings find_lost_writes(const ReplicaTracker& replicas, const WriteTable& writes) {
  LostWriteFindings out;
  if (!replicas.seen_apply()) return out;
  out.available = true;
  for (std::uint32_t key = 0; key < writes.size(); ++key) {
    const KeyWrites& kw = *writes.find(key);
    if (kw.acked() == 0) continue;
    const auto newest = replicas.newest_live_rank(key);
    if (!newest || *newest == ReplicaTracker::kUnackedRank) {
      ++out.keys_skipped;
      continue;
    }
    // Every write acknowledged after the newest one a live replica holds.
    std::uint64_t first_missing =
        static_cast<std::uint64_t>(std::max<std::int64_t>(*newest + 1, 0));
    if (*newest == ReplicaTracker::kOlderRank) {
      out.lower_bound = true;
      first_missing = kw.oldest_kept();
    }
    for (std::uint64_t i = first_missing; i < kw.acked(); ++i) {
      std::vector<std::uint32_t> holders =
          replicas.crashed_holders(key, static_cast<std::int64_t>(i));
      (holders.empty() ? out.lost_count : out.doubt_count) += 1;
      if (i < kw.oldest_kept()) continue;  // counted, but its value is no longer known
      const AckedWrite& w = kw.at(i);
      MissingWrite m{w.invoke_line, key, w.value, w.ack_time, std::move(holders)};
      (m.held_by.empty() ? out.lost : out.in_doubt).push_back(std::move(m));
    }
  }
  sort_by_line(out.lost);
  sort_by_line(out.in_doubt);
  return out;
}

nlohmann::json lost_writes_json(const LostWriteFindings& f, const ReplicaTracker& replicas,
                                const TraceNames& names, bool faults_active_at_end) {
  if (!f.available) {
    return {{"available", false},
            {"reason", "the trace has no apply lines (trace level ops, or a history)"}};
  }
  return {
      {"available", true},
      {"count", f.lost_count},
      {"lower_bound", f.lower_bound},
      {"listed", listed_json(f.lost, names, false)},
      {"in_doubt", {{"count", f.doubt_count}, {"listed", listed_json(f.in_doubt, names, true)}}},
      {"keys_skipped", f.keys_skipped},
      {"converged_at_end", replicas.divergent_keys() == 0},
      {"faults_active_at_end", faults_active_at_end}};
}

}  // namespace consim
