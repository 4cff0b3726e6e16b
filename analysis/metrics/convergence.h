// Replica state from `apply` lines (the ground truth): divergence over time,
// convergence after each heal, restart and resume, and how many replica/key
// pairs are behind the newest acknowledged write.
//
// A node becomes a replica of a key at its first `apply` of that key (so
// partially replicated stores are measured over the nodes that hold the
// key); a crashed node's replicas do not count until it restarts, and then
// count with the values they held. A key is divergent while its live
// replicas hold more than one distinct value (null included).
//
// A replica holding several siblings (models that keep concurrent writes:
// the apply line's "siblings") holds their set: two replicas agree only when
// they hold the same siblings, and the replica's rank is its newest
// sibling's (it is behind only if every sibling is).
//
// A replica is behind when it holds an acknowledged write older, in
// acknowledgement order, than the key's newest acknowledged write, or null
// while an acknowledged write exists; a replica holding a write not yet
// acknowledged is not behind (it may be newer).
//
// Convergence after a fault ends at h: "converged_ms" is the time from h
// until each key divergent at h has had all its live replicas agree at least
// once (0 if none was divergent); "all_agree_ms" is the time from h to the
// first instant at which no key at all is divergent. Either is null if it
// never happens before the run ends. Worked example: heal at 10 s with keys
// 1 and 2 divergent; key 1 agrees at 10.004 s, key 2 at 10.012 s, while key 3
// is briefly divergent from 10.010 s to 10.015 s: converged_ms = 12,
// all_agree_ms = 15.
//
// Time-weighted means integrate the divergent-key count (and the behind
// fraction) over each phase and divide by its length. Memory: O(keys * nodes)
// plus one set per convergence watch still waiting.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "analysis/metrics/key_writes.h"
#include "analysis/trace/trace_event.h"

namespace consim {

class ReplicaTracker {
 public:
  // Ranks: an ack index (>= 0), or one of these.
  static constexpr std::int64_t kNullRank = -1;
  static constexpr std::int64_t kOlderRank = -2;  // older than the write window
  static constexpr std::int64_t kUnackedRank = INT64_MAX;

  // `line`: the apply line's position in the trace (for divergent_at_end).
  void on_apply(std::uint32_t node, std::uint32_t key, const std::optional<std::int64_t>& value,
                const ValueLookup& source, Time now, std::uint64_t line = 0);
  // An apply line with siblings (at least two): `sources[i]` looks up
  // `siblings[i]`.
  void on_apply_siblings(std::uint32_t node, std::uint32_t key,
                         const std::vector<std::int64_t>& siblings,
                         const std::vector<ValueLookup>& sources, Time now,
                         std::uint64_t line = 0);
  // The write of `value` to `key` was acknowledged as ack index `index`.
  void on_ack(std::uint32_t key, std::int64_t value, std::uint64_t index, Time now);
  void on_crash(std::uint32_t node, Time now);
  void on_restart(std::uint32_t node, Time now);
  // A fault ended (heal, restart, resume): start measuring convergence.
  void watch(std::uint32_t fault, std::uint32_t action, std::uint32_t node, std::uint64_t line,
             Time now);
  void set_phase(std::size_t phase, Time now);
  void finish(Time end);

  bool seen_apply() const { return seen_apply_; }
  std::uint64_t divergent_keys() const { return divergent_keys_.size(); }

  // The rank each replica of `key` holds, live or crashed, in node order
  // (for lost and in-doubt writes, lost_writes.h).
  struct ReplicaRank {
    std::uint32_t node;
    std::int64_t rank;  // with siblings: the newest sibling's
    bool live;
    std::vector<std::int64_t> siblings;  // every sibling's rank, when more than one
  };
  std::vector<ReplicaRank> replica_ranks(std::uint32_t key) const;
  std::size_t key_count() const { return keys_.size(); }

  struct PhaseTimeline {
    double divergent_integral = 0;  // keys * ns
    std::uint64_t divergent_max = 0;
    double behind_integral = 0;  // fraction * ns
  };
  const std::vector<PhaseTimeline>& timelines() const { return timelines_; }

  // The "after_faults" list of the report.
  nlohmann::json watches_json(const TraceNames& names) const;
  // The report's "divergent_at_end": the first `limit` keys divergent at the
  // end, by key id, each with what every live replica holds and the line of
  // the apply that put it there: [{"key","held":[{"node","value","line"}]}]
  // ("value": null, a value, or the list of siblings).
  nlohmann::json divergent_json(const TraceNames& names, std::size_t limit) const;

 private:
  struct Cell {
    bool replica = false;
    bool has_value = false;
    std::int64_t value = 0;  // with siblings: a fingerprint of the set (negative)
    std::int64_t rank = kNullRank;
    std::vector<std::int64_t> sibling_values, sibling_ranks;  // empty: one value
    std::uint64_t line = 0;  // of the apply that set the value
  };
  struct Held {
    bool has_value;
    std::int64_t value;
    std::uint32_t replicas;
  };
  struct KeyState {
    std::vector<Cell> cells;  // by node id
    std::vector<Held> held;   // distinct values of live replicas
    std::uint64_t acked = 0;
  };
  struct Watch {
    std::uint32_t fault;
    std::uint32_t action;  // interned fault-line action ("heal", ...)
    std::uint32_t node;
    std::uint64_t line;
    Time at;
    std::uint64_t divergent_at;
    std::set<std::uint32_t> waiting;
    std::optional<Time> converged, all_agree;
  };

  KeyState& key_state(std::uint32_t key);
  void set_cell(std::uint32_t node, std::uint32_t key, Time now,
                const std::function<void(Cell&)>& fill);
  bool alive(std::uint32_t node) const { return node >= dead_.size() || !dead_[node]; }
  bool behind(const KeyState& state, const Cell& cell) const;
  void add_live(KeyState& state, const Cell& cell);
  void remove_live(KeyState& state, const Cell& cell);
  void after_change(std::uint32_t key, bool was_divergent, Time now);
  void flush(Time now);
  void key_converged(std::uint32_t key, Time now);

  std::vector<KeyState> keys_;
  std::vector<bool> dead_;
  std::set<std::uint32_t> divergent_keys_;
  std::uint64_t live_pairs_ = 0, behind_pairs_ = 0;
  bool seen_apply_ = false;
  std::size_t phase_ = 0;
  Time last_ = 0;
  std::vector<PhaseTimeline> timelines_{1};
  std::vector<Watch> watches_;
  std::vector<std::size_t> open_watches_;
};

}  // namespace consim
