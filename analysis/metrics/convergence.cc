// Replica state, divergence and convergence: see convergence.h.
#include "analysis/metrics/convergence.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace consim {
namespace {

std::int64_t rank_of(const ValueLookup& source) {
  switch (source.source) {
    case ValueSource::Null:
      return ReplicaTracker::kNullRank;
    case ValueSource::Acked:
      return static_cast<std::int64_t>(source.index);
    case ValueSource::OlderThanWindow:
      return ReplicaTracker::kOlderRank;
    case ValueSource::Unacked:
    case ValueSource::Unknown:
      break;
  }
  return ReplicaTracker::kUnackedRank;
}

// Written values are positive, so a negative number names a sibling set
// without colliding with a single value (FNV-1a over the sorted values).
std::int64_t sibling_fingerprint(std::vector<std::int64_t> values) {
  std::sort(values.begin(), values.end());
  std::uint64_t h = 1469598103934665603ull;
  for (std::int64_t v : values) {
    h ^= static_cast<std::uint64_t>(v);
    h *= 1099511628211ull;
  }
  return -static_cast<std::int64_t>(h >> 2) - 1;
}

}  // namespace

ReplicaTracker::KeyState& ReplicaTracker::key_state(std::uint32_t key) {
  if (key >= keys_.size()) keys_.resize(key + 1);
  return keys_[key];
}

bool ReplicaTracker::behind(const KeyState& state, const Cell& cell) const {
  return cell.rank < static_cast<std::int64_t>(state.acked) - 1;
}

void ReplicaTracker::add_live(KeyState& state, const Cell& cell) {
  ++live_pairs_;
  if (behind(state, cell)) ++behind_pairs_;
  for (Held& h : state.held) {
    if (h.has_value == cell.has_value && (!h.has_value || h.value == cell.value)) {
      ++h.replicas;
      return;
    }
  }
  state.held.push_back(Held{cell.has_value, cell.value, 1});
}

void ReplicaTracker::remove_live(KeyState& state, const Cell& cell) {
  --live_pairs_;
  if (behind(state, cell)) --behind_pairs_;
  for (std::size_t i = 0; i < state.held.size(); ++i) {
    Held& h = state.held[i];
    if (h.has_value == cell.has_value && (!h.has_value || h.value == cell.value)) {
      if (--h.replicas == 0) state.held.erase(state.held.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
  }
}

void ReplicaTracker::flush(Time now) {
  if (now <= last_) return;
  const double dt = static_cast<double>(now - last_);
  PhaseTimeline& timeline = timelines_[phase_];
  timeline.divergent_integral += static_cast<double>(divergent_keys_.size()) * dt;
  if (live_pairs_ > 0) {
    timeline.behind_integral +=
        static_cast<double>(behind_pairs_) / static_cast<double>(live_pairs_) * dt;
  }
  last_ = now;
}

void ReplicaTracker::after_change(std::uint32_t key, bool was_divergent, Time now) {
  const bool is_divergent = keys_[key].held.size() > 1;
  if (is_divergent && !was_divergent) divergent_keys_.insert(key);
  if (!is_divergent && was_divergent) {
    divergent_keys_.erase(key);
    key_converged(key, now);
  }
  PhaseTimeline& timeline = timelines_[phase_];
  timeline.divergent_max = std::max<std::uint64_t>(timeline.divergent_max, divergent_keys_.size());
}

void ReplicaTracker::set_cell(std::uint32_t node, std::uint32_t key, Time now,
                              const std::function<void(Cell&)>& fill) {
  seen_apply_ = true;
  flush(now);
  KeyState& state = key_state(key);
  if (node >= state.cells.size()) state.cells.resize(node + 1);
  const bool was_divergent = state.held.size() > 1;
  Cell& cell = state.cells[node];
  const bool live = alive(node);
  if (live && cell.replica) remove_live(state, cell);
  cell.replica = true;
  fill(cell);
  if (live) add_live(state, cell);
  after_change(key, was_divergent, now);
}

void ReplicaTracker::on_apply(std::uint32_t node, std::uint32_t key,
                              const std::optional<std::int64_t>& value, const ValueLookup& source,
                              Time now, std::uint64_t line) {
  set_cell(node, key, now, [&](Cell& cell) {
    cell.line = line;
    cell.has_value = value.has_value();
    cell.value = value.value_or(0);
    cell.rank = rank_of(source);
    cell.sibling_values.clear();
    cell.sibling_ranks.clear();
  });
}

void ReplicaTracker::on_apply_siblings(std::uint32_t node, std::uint32_t key,
                                       const std::vector<std::int64_t>& siblings,
                                       const std::vector<ValueLookup>& sources, Time now,
                                       std::uint64_t line) {
  set_cell(node, key, now, [&](Cell& cell) {
    cell.line = line;
    cell.has_value = true;
    cell.value = sibling_fingerprint(siblings);
    cell.sibling_values = siblings;
    cell.sibling_ranks.clear();
    for (const auto& s : sources) cell.sibling_ranks.push_back(rank_of(s));
    cell.rank = *std::max_element(cell.sibling_ranks.begin(), cell.sibling_ranks.end());
  });
}

void ReplicaTracker::on_ack(std::uint32_t key, std::int64_t value, std::uint64_t index, Time now) {
  flush(now);
  KeyState& state = key_state(key);
  // Recount the key's behind replicas under the new newest write.
  for (std::uint32_t node = 0; node < state.cells.size(); ++node) {
    const Cell& cell = state.cells[node];
    if (cell.replica && alive(node) && behind(state, cell)) --behind_pairs_;
  }
  state.acked = index + 1;
  for (std::uint32_t node = 0; node < state.cells.size(); ++node) {
    Cell& cell = state.cells[node];
    if (!cell.replica) continue;
    if (cell.has_value && cell.value == value) cell.rank = static_cast<std::int64_t>(index);
    for (std::size_t i = 0; i < cell.sibling_values.size(); ++i) {
      if (cell.sibling_values[i] != value) continue;
      cell.sibling_ranks[i] = static_cast<std::int64_t>(index);
      cell.rank = *std::max_element(cell.sibling_ranks.begin(), cell.sibling_ranks.end());
    }
    if (alive(node) && behind(state, cell)) ++behind_pairs_;
  }
}

void ReplicaTracker::on_crash(std::uint32_t node, Time now) {
  if (!alive(node)) return;
  flush(now);
  if (node >= dead_.size()) dead_.resize(node + 1, false);
  dead_[node] = true;
  for (std::uint32_t key = 0; key < keys_.size(); ++key) {
    KeyState& state = keys_[key];
    if (node >= state.cells.size() || !state.cells[node].replica) continue;
    const bool was_divergent = state.held.size() > 1;
    remove_live(state, state.cells[node]);
    after_change(key, was_divergent, now);
  }
}

void ReplicaTracker::on_restart(std::uint32_t node, Time now) {
  if (alive(node)) return;
  flush(now);
  dead_[node] = false;
  for (std::uint32_t key = 0; key < keys_.size(); ++key) {
    KeyState& state = keys_[key];
    if (node >= state.cells.size() || !state.cells[node].replica) continue;
    const bool was_divergent = state.held.size() > 1;
    add_live(state, state.cells[node]);
    after_change(key, was_divergent, now);
  }
}

void ReplicaTracker::watch(std::uint32_t fault, std::uint32_t action, std::uint32_t node,
                           std::uint64_t line, Time now) {
  Watch w{fault, action, node, line, now, divergent_keys_.size(), divergent_keys_, {}, {}};
  if (w.waiting.empty()) w.converged = now;
  if (divergent_keys_.empty()) w.all_agree = now;
  if (!w.converged || !w.all_agree) open_watches_.push_back(watches_.size());
  watches_.push_back(std::move(w));
}

void ReplicaTracker::key_converged(std::uint32_t key, Time now) {
  const bool none_divergent = divergent_keys_.empty();
  std::erase_if(open_watches_, [&](std::size_t index) {
    Watch& w = watches_[index];
    w.waiting.erase(key);
    if (w.waiting.empty() && !w.converged) w.converged = now;
    if (none_divergent && !w.all_agree) w.all_agree = now;
    return w.converged && w.all_agree;
  });
}

void ReplicaTracker::set_phase(std::size_t phase, Time now) {
  flush(now);
  phase_ = phase;
  if (phase >= timelines_.size()) timelines_.resize(phase + 1);
  PhaseTimeline& timeline = timelines_[phase_];
  timeline.divergent_max = std::max<std::uint64_t>(timeline.divergent_max, divergent_keys_.size());
}

void ReplicaTracker::finish(Time end) { flush(end); }

std::vector<ReplicaTracker::ReplicaRank> ReplicaTracker::replica_ranks(std::uint32_t key) const {
  std::vector<ReplicaRank> ranks;
  if (key >= keys_.size()) return ranks;
  const KeyState& state = keys_[key];
  for (std::uint32_t node = 0; node < state.cells.size(); ++node) {
    const Cell& cell = state.cells[node];
    if (cell.replica) ranks.push_back({node, cell.rank, alive(node), cell.sibling_ranks});
  }
  return ranks;
}

nlohmann::json ReplicaTracker::watches_json(const TraceNames& names) const {
  auto after = [](std::optional<Time> t, Time from) {
    return t ? nlohmann::json(to_ms(*t - from)) : nlohmann::json(nullptr);
  };
  nlohmann::json list = nlohmann::json::array();
  for (const Watch& w : watches_) {
    const nlohmann::json event =
        w.action < names.actions.size() ? nlohmann::json(names.actions[w.action]) : nullptr;
    list.push_back({{"fault", w.fault < names.faults.size() ? nlohmann::json(names.faults[w.fault])
                                                            : nlohmann::json(nullptr)},
                    {"event", event},
                    {"node", w.node < names.nodes.size() ? nlohmann::json(names.nodes[w.node])
                                                         : nlohmann::json(nullptr)},
                    {"line", w.line},
                    {"time_ms", to_ms(w.at)},
                    {"divergent_keys", w.divergent_at},
                    {"converged_ms", after(w.converged, w.at)},
                    {"keys_not_converged", w.converged ? std::size_t{0} : w.waiting.size()},
                    {"all_agree_ms", after(w.all_agree, w.at)}});
  }
  return list;
}

nlohmann::json ReplicaTracker::divergent_json(const TraceNames& names, std::size_t limit) const {
  nlohmann::json list = nlohmann::json::array();
  for (std::uint32_t key : divergent_keys_) {  // a std::set: key id order
    if (list.size() >= limit) break;
    nlohmann::json held = nlohmann::json::array();
    const KeyState& state = keys_[key];
    for (std::uint32_t node = 0; node < state.cells.size(); ++node) {
      const Cell& cell = state.cells[node];
      if (!cell.replica || !alive(node)) continue;
      held.push_back(
          {{"node", node < names.nodes.size() ? names.nodes[node] : "#" + std::to_string(node)},
           {"value", !cell.sibling_values.empty() ? nlohmann::json(cell.sibling_values)
                     : cell.has_value            ? nlohmann::json(cell.value)
                                                 : nlohmann::json(nullptr)},
           {"line", cell.line}});
    }
    list.push_back(
        {{"key", key < names.keys.size() ? names.keys[key] : std::to_string(key)}, {"held", held}});
  }
  return list;
}

}  // namespace consim
