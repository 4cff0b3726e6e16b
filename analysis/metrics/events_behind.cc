// The "events_behind" section of report.json: how far each replica (and a
// CQRS read model, which reports its state with apply lines like any
// replica) is behind the acknowledged writes, in events and in time.
//   {"window", "bucket_ms",
//    "nodes": [{"node", "max", "mean", "at_end", "lag_ms": {"count", "p50",
//               "p95", "p99", "max"},
//               "phases": [{"phase", "max", "mean", "lag_ms": {...}}],
//               "series": [max events behind in each bucket_ms bucket]}]}
//
// Definitions. A key's acknowledged writes are numbered 1, 2, ... in the
// order of their ok lines (a cas that wrote counts). A node's position on a
// key is the number of the write whose value it exposes (its last apply
// line for the key), 0 before any; an apply of a value no acknowledged
// write has (yet) keeps the position until that write is acknowledged.
// Events behind = acknowledged writes - the sum of the node's positions
// over the keys. The lag of an acknowledged write at a node is the time
// from its ok line to the apply line that reached it or a later write of
// its key (0 if the node exposed it before the ok); a write never reached
// by the end has no lag and counts in at_end. "mean" is time-weighted, "max" the
// largest value held, per node and per phase (an interval that spans a
// phase boundary is split at the boundary).
// Worked example, one key: writes a (ok at 10 ms) and b (ok at 20 ms); n3
// applies a at 25 ms and b at 60 ms. n3 is 1 event behind over [10, 20),
// 2 over [20, 25), 1 over [25, 60), then 0: max 2, lags 15 ms (a) and 40 ms
// (b). A node that applies only b at 60 ms has lags 50 and 40 ms.
//
// Memory: per key the last `window` acknowledged writes (value -> number,
// ack times), per node and key its position; the series grows with the
// run's duration (one number per node per bucket), never with its events.
#include <algorithm>
#include <deque>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/metrics/latency_histogram.h"
#include "analysis/metrics/metric.h"
#include "analysis/metrics/op_stats.h"

namespace consim {
namespace {

constexpr std::size_t kWindow = 4096;
constexpr Time kBucket = 100 * kMillisecond;

struct KeyLog {
  std::uint64_t acked = 0;                           // acknowledged writes so far
  std::map<std::int64_t, std::uint64_t> num;         // value -> its number (last kWindow)
  std::deque<std::pair<std::int64_t, Time>> recent;  // (value, ack time) of the last kWindow
  Time ack_time(std::uint64_t n) const { return recent[recent.size() - (acked - n) - 1].second; }
  bool in_window(std::uint64_t n) const { return n > acked - recent.size() && n <= acked; }
};

struct PhaseStats {
  std::uint64_t max = 0;
  double area = 0;  // events behind x ns
  Time covered = 0;
  LatencyHistogram lag;
};

struct NodeState {
  struct Pos {
    std::uint64_t n = 0;
    std::optional<std::int64_t> value;
  };
  std::map<std::uint32_t, Pos> keys;
  std::uint64_t positions = 0;  // the sum of keys[*].n
  Time since = 0;               // when `behind` last changed (or was flushed)
  std::uint64_t behind = 0;
  std::vector<PhaseStats> phases;
  std::vector<std::uint64_t> series;
};

class EventsBehindMetric final : public Metric {
 public:
  void on_event(const TraceEvent& e, const MetricContext& context) override {
    std::size_t phase = context.phases.current();
    if (phase != phase_) {
      Time boundary = context.phases.phases().back().start;
      for (auto& [id, n] : nodes_) flush(n, boundary);
      phase_ = phase;
    }
    if (e.type == EventType::Apply && e.node != kNone && e.key != kNone) apply(e);
    bool wrote = (e.f == HistOp::Write || (e.f == HistOp::Cas && !e.cas_failed));
    if (e.type == EventType::Ok && wrote && e.value && e.key != kNone) acked(e);
  }

  nlohmann::json report(const MetricContext& context) const override {
    nlohmann::json nodes = nlohmann::json::array();
    for (auto [id, n] : nodes_) {
      flush(n, std::max(context.end, n.since));
      nodes.push_back(node_json(n, context, id));
    }
    return {{"window", kWindow},
            {"bucket_ms", static_cast<double>(kBucket) / kMillisecond},
            {"nodes", std::move(nodes)}};
  }

 private:
  void apply(const TraceEvent& e) {
    NodeState& n = node(e.node, e.time);
    NodeState::Pos& pos = n.keys[e.key];
    pos.value = e.value;
    KeyLog& k = keys_[e.key];
    auto it = e.value ? k.num.find(*e.value) : k.num.end();
    if (it == k.num.end()) return;  // not acknowledged (yet), or out of the window
    move(n, pos, it->second, e.time, k);
  }

  void acked(const TraceEvent& e) {
    KeyLog& k = keys_[e.key];
    k.acked += 1;
    k.num[*e.value] = k.acked;
    k.recent.emplace_back(*e.value, e.time);
    if (k.recent.size() > kWindow) {
      k.num.erase(k.recent.front().first);
      k.recent.pop_front();
    }
    total_ += 1;
    for (auto& [id, n] : nodes_) {
      flush(n, e.time);
      NodeState::Pos& pos = n.keys[e.key];
      if (pos.value == e.value) move(n, pos, k.acked, e.time, k);
      set_behind(n);
    }
  }

  // The node's position on a key moves to write number `to`.
  void move(NodeState& n, NodeState::Pos& pos, std::uint64_t to, Time now, const KeyLog& k) {
    flush(n, now);
    for (std::uint64_t w = pos.n + 1; w <= to; ++w)
      if (k.in_window(w)) stats(n).lag.add(std::max<Time>(0, now - k.ack_time(w)));
    n.positions = n.positions - pos.n + to;
    pos.n = to;
    set_behind(n);
  }

  NodeState& node(std::uint32_t id, Time now) {
    auto [it, fresh] = nodes_.try_emplace(id);
    if (fresh) {
      it->second.since = now;
      set_behind(it->second);
    }
    return it->second;
  }

  void set_behind(NodeState& n) {
    n.behind = total_ - n.positions;
    PhaseStats& s = stats(n);
    s.max = std::max(s.max, n.behind);
    std::size_t b = static_cast<std::size_t>(n.since / kBucket);
    if (n.series.size() <= b) n.series.resize(b + 1, n.behind);
    n.series[b] = std::max(n.series[b], n.behind);
  }

  // Accounts the time since n.since at n.behind to the current phase.
  void flush(NodeState& n, Time now) const {
    if (now <= n.since) return;
    PhaseStats& s = stats(n);
    s.area += static_cast<double>(n.behind) * static_cast<double>(now - n.since);
    s.covered += now - n.since;
    std::size_t last = static_cast<std::size_t>((now - 1) / kBucket);
    if (n.series.size() <= last) n.series.resize(last + 1, n.behind);
    n.since = now;
  }

  PhaseStats& stats(NodeState& n) const {
    if (n.phases.size() <= phase_) n.phases.resize(phase_ + 1);
    return n.phases[phase_];
  }

  nlohmann::json node_json(const NodeState& n, const MetricContext& context,
                           std::uint32_t id) const {
    PhaseStats all;
    nlohmann::json phases = nlohmann::json::array();
    const auto& names = *context.phase_names;
    for (std::size_t p = 0; p < names.size(); ++p) {
      PhaseStats s = p < n.phases.size() ? n.phases[p] : PhaseStats{};
      all.max = std::max(all.max, s.max);
      all.area += s.area;
      all.covered += s.covered;
      all.lag.merge(s.lag);
      phases.push_back(
          {{"phase", names[p]}, {"max", s.max}, {"mean", mean(s)}, {"lag_ms", lag_json(s.lag)}});
    }
    return {{"node", context.names.nodes[id]},
            {"max", all.max},
            {"mean", mean(all)},
            {"at_end", n.behind},
            {"lag_ms", lag_json(all.lag)},
            {"phases", std::move(phases)},
            {"series", n.series}};
  }

  static nlohmann::json mean(const PhaseStats& s) {
    if (s.covered == 0) return nullptr;
    return s.area / static_cast<double>(s.covered);
  }
  static nlohmann::json lag_json(const LatencyHistogram& h) {
    nlohmann::json j = percentiles_json(h);
    j["count"] = h.count();
    return j;
  }

  std::map<std::uint32_t, KeyLog> keys_;
  std::map<std::uint32_t, NodeState> nodes_;
  std::uint64_t total_ = 0;
  std::size_t phase_ = 0;
};

}  // namespace

std::unique_ptr<Metric> make_events_behind_metric() {
  return std::make_unique<EventsBehindMetric>();
}

}  // namespace consim
