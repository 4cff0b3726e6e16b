// Lost and in-doubt acknowledged writes from the final replica state: see
// lost_writes.h.
#include "analysis/metrics/lost_writes.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
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

enum class Keeps : std::uint8_t { No, Unknown, Yes };  // ordered: the best of several wins

// Whether a replica holding `rank` keeps acknowledged write i readable: it
// holds i or a write acknowledged after it, or a write whose ok line comes
// after i's invoke line (one i does not precede in real time). Unknown when
// a line needed has left the window.
Keeps keeps(const KeyWrites& kw, std::int64_t rank, std::uint64_t i) {
  if (rank == ReplicaTracker::kNullRank || rank == ReplicaTracker::kUnackedRank) return Keeps::No;
  if (rank >= 0 && static_cast<std::uint64_t>(rank) >= i) return Keeps::Yes;
  if (i < kw.oldest_kept()) return Keeps::Unknown;  // i's invoke line is gone
  const std::uint64_t invoke = kw.at(i).invoke_line;
  if (rank >= 0 && static_cast<std::uint64_t>(rank) >= kw.oldest_kept()) {
    return kw.at(static_cast<std::uint64_t>(rank)).ack_line > invoke ? Keeps::Yes : Keeps::No;
  }
  // Older than the window: acknowledged at dropped_ack_line() or before.
  return kw.dropped_ack_line() < invoke ? Keeps::No : Keeps::Unknown;
}

// Write i of `key`, which no live replica holds: lost, in doubt, or (when
// the window no longer tells) neither, and the count a lower bound.
void classify(const KeyWrites& kw, std::uint32_t key, std::uint64_t i,
              const std::vector<ReplicaTracker::ReplicaRank>& ranks, LostWriteFindings& out) {
  Keeps live = Keeps::No, crashed = Keeps::No;
  std::vector<std::uint32_t> holders;
  for (const auto& r : ranks) {
    // A replica with siblings keeps i if any of its siblings does.
    Keeps k = keeps(kw, r.rank, i);
    for (std::int64_t sibling : r.siblings) k = std::max(k, keeps(kw, sibling, i));
    if (r.live) {
      live = std::max(live, k);
    } else {
      crashed = std::max(crashed, k);
      if (k == Keeps::Yes) holders.push_back(r.node);
    }
  }
  if (live == Keeps::Yes) return;
  if (live == Keeps::Unknown || crashed == Keeps::Unknown) {  // (crashed is not Yes)
    out.lower_bound = true;                                   // kept, lost or in doubt: not known
    return;
  }
  (holders.empty() ? out.lost_count : out.doubt_count) += 1;
  if (i < kw.oldest_kept()) return;  // counted, but its value is no longer known
  const AckedWrite& w = kw.at(i);
  MissingWrite m{w.invoke_line, key, w.value, w.ack_time, std::move(holders)};
  (m.held_by.empty() ? out.lost : out.in_doubt).push_back(std::move(m));
}

}  // namespace

LostWriteFindings find_lost_writes(const ReplicaTracker& replicas, const WriteTable& writes) {
  LostWriteFindings out;
  if (!replicas.seen_apply()) return out;
  out.available = true;
  for (std::uint32_t key = 0; key < writes.size(); ++key) {
    const KeyWrites& kw = *writes.find(key);
    if (kw.acked() == 0) continue;
    const std::vector<ReplicaTracker::ReplicaRank> ranks = replicas.replica_ranks(key);
    std::optional<std::int64_t> newest;  // the highest live rank
    for (const auto& r : ranks) {
      if (r.live) newest = std::max(newest.value_or(r.rank), r.rank);
    }
    if (!newest || *newest == ReplicaTracker::kUnackedRank) {
      ++out.keys_skipped;
      continue;
    }
    // Writes up to the newest live rank are kept by the replica holding it.
    const auto first = static_cast<std::uint64_t>(std::max<std::int64_t>(*newest + 1, 0));
    for (std::uint64_t i = first; i < kw.acked(); ++i) classify(kw, key, i, ranks, out);
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
