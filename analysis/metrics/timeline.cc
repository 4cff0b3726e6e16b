// The "timeline" section: what the run charts (analysis/plots/plot_run.py)
// draw, so the Python reads the analysis rather than the trace (metric.h).
// The CLI writes it to timeline.json beside report.json, not into it.
//
//   "ops": columns, one entry per drawn operation, in completion order:
//     "invoke_ms", "latency_ms", "process" (numbers), "outcome" (a string,
//     one letter per op: o ok, f fail, i info), "write" ("r" or "w" each),
//     "stale" ("s": an ok read that returned a stale value, staleness.h;
//     "-": any other op);
//     "count" (every operation) and "ok_stride": 1 in ok_stride successful
//     operations is kept (every failed and unknown one is);
//   "clients": {process: node} for each process that always used one node;
//   "faults": [{"name", "kind", "start_ms", "end_ms" (null: still active),
//     "what"}], a window from the line that made the fault active (as the
//     phases count it) to the line that ended it;
//   "divergence": {"available", "highest", "bucket_ms", "steps":
//     [[start_ms, highest in the bucket, count at its end], ...]}: the
//     divergent-key count of convergence.h, in at most kBuckets buckets of
//     the run's duration (each change its own step without a duration);
//   "leaders" (only for traces with role lines): every interval in which a
//     node believed it led (roles.h), [{"node", "role", "term", "start_ms",
//     "end_ms" (null: to the end)}] in start order; and "two_leaders":
//     [[start_ms, end_ms or null]], when two or more acted as leader at
//     once (failover.two_leaders: a paused node does not act);
//   "noted": {note kind: [[start_ms, end_ms], ...]}: when some node was in
//     a state a model notes with a closing note that has "lasted" (2PC in
//     doubt until "resolved", causal "buffered" until "released"), named by
//     the closing note's kind: the union over nodes, gaps shorter than a
//     divergence bucket closed. Worked example, bucket 5 ms: released at
//     10 ms lasted 4 ms, released at 12 ms lasted 1 ms, released at 40 ms
//     lasted 2 ms give "released": [[6, 12], [38, 40]];
//   "end_ms", "complete".
//
// Memory is bounded: when more than 2 * kMaxOk successful operations are
// kept, every other one is dropped and the stride doubles (deterministic:
// which ones are kept depends only on their order). Worked example with
// kMaxOk = 2: ok ops 1..5 keep 1,2,3,4, then at 5 the stride becomes 2 and
// 1,3,5 remain.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "analysis/metrics/convergence.h"
#include "analysis/metrics/metric.h"
#include "analysis/metrics/roles.h"

namespace consim {
namespace {

constexpr std::size_t kMaxOk = 200'000;
constexpr std::int64_t kBuckets = 4000;

struct DrawnOp {
  double invoke_ms, latency_ms;
  std::int64_t process;
  Outcome outcome;
  bool write;
  std::uint64_t ok_index;  // among successful ops; 0 for others
  bool stale = false;      // an ok read that returned a stale value
};

struct Window {
  std::uint32_t fault;
  std::string kind;
  Time start;
  std::optional<Time> end;
  std::string what;
};

std::string name_of(std::uint32_t id, const std::vector<std::string>& names) {
  return id < names.size() ? names[id] : "#" + std::to_string(id);
}

// The node of a node fault; a partition's sides "n1 n2 | n3".
std::string fault_detail(const TraceEvent& event, const TraceNames& names) {
  if (event.sides.empty()) return event.node == kNone ? "" : name_of(event.node, names.nodes);
  std::string out;
  for (const auto& side : event.sides) {
    if (!out.empty()) out += " | ";
    for (std::size_t i = 0; i < side.size(); ++i)
      out += (i ? " " : "") + name_of(side[i], names.nodes);
  }
  return out;
}

bool fault_active(const PhaseTracker& phases, std::uint32_t fault) {
  const auto& active = phases.phases().back().faults;
  return std::find(active.begin(), active.end(), fault) != active.end() || phases.is_state(fault);
}

class TimelineMetric final : public Metric {
 public:
  void on_event(const TraceEvent& event, const MetricContext& context) override {
    if (!width_) width_ = bucket_width(context.header);
    if (is_fault_event(event.type) && event.fault != kNone) on_fault(event, context);
    if (context.replicas != nullptr) sample(context.replicas->divergent_keys(), event.time);
    if (event.type == EventType::Apply) seen_apply_ = true;
    if (event.type == EventType::Note && event.lasted) on_noted(event, context);
    roles_.on_event(event, context.names);
  }

  void on_complete(const CompletedOp& op, const MetricContext&) override {
    ++count_;
    DrawnOp d{to_ms(op.invoke_time),
              to_ms(op.latency),
              op.process,
              op.outcome,
              op.f == HistOp::Write,
              0,
              op.stale};
    if (op.outcome == Outcome::Ok) {
      d.ok_index = ok_seen_++;
      if (d.ok_index % stride_ != 0) return;
      drawn_.push_back(d);
      if (++ok_kept_ > 2 * kMaxOk) thin();
    } else {
      drawn_.push_back(d);
    }
    auto [it, fresh] = clients_.try_emplace(op.process, op.node);
    if (!fresh && it->second != op.node) it->second = kNone;
  }

  nlohmann::json report(const MetricContext& context) const override;

 private:
  static Time bucket_width(const nlohmann::json& header) {
    if (!header.is_object() || !header.contains("duration")) return 1;
    const nlohmann::json& d = header["duration"];
    if (!d.is_number_integer() || d.get<std::int64_t>() <= 0) return 1;
    return std::max<Time>(1, d.get<Time>() / kBuckets);
  }

  void on_fault(const TraceEvent& event, const MetricContext& context) {
    const bool active = fault_active(context.phases, event.fault);
    auto open = open_.find(event.fault);
    if (active && open == open_.end()) {
      open_[event.fault] = windows_.size();
      windows_.push_back({event.fault, name_of(event.fault_kind, context.names.fault_kinds),
                          event.time, std::nullopt, fault_detail(event, context.names)});
    } else if (!active && open != open_.end()) {
      windows_[open->second].end = event.time;
      open_.erase(open);
    }
  }

  // Adds [time - lasted, time] to the union of its note kind's windows.
  void on_noted(const TraceEvent& event, const MetricContext& context) {
    std::vector<std::pair<Time, Time>>& spans = noted_[name_of(event.what, context.names.notes)];
    const Time start = event.time - *event.lasted;
    // Notes come in time order of their ends; a window may reach back over
    // several earlier ones, which it then swallows.
    while (!spans.empty() && spans.back().first >= start) spans.pop_back();
    if (!spans.empty() && spans.back().second + *width_ >= start)
      spans.back().second = std::max(spans.back().second, event.time);
    else
      spans.push_back({start, event.time});
  }

  void sample(std::uint64_t divergent, Time now) {
    if (divergent == divergent_) return;
    divergent_ = divergent;
    highest_ = std::max(highest_, divergent);
    const Time start = now - now % *width_;
    if (!steps_.empty() && steps_.back().start == start) {
      steps_.back().highest = std::max(steps_.back().highest, divergent);
      steps_.back().last = divergent;
    } else {
      steps_.push_back({start, divergent, divergent});
    }
  }

  void thin() {
    stride_ *= 2;
    std::erase_if(drawn_, [&](const DrawnOp& d) {
      return d.outcome == Outcome::Ok && d.ok_index % stride_ != 0;
    });
    ok_kept_ = static_cast<std::size_t>(std::count_if(
        drawn_.begin(), drawn_.end(), [](const DrawnOp& d) { return d.outcome == Outcome::Ok; }));
  }

  struct Step {
    Time start;
    std::uint64_t highest, last;
  };
  std::optional<Time> width_;
  std::vector<DrawnOp> drawn_;
  std::uint64_t count_ = 0, ok_seen_ = 0, stride_ = 1;
  std::size_t ok_kept_ = 0;
  std::map<std::int64_t, std::uint32_t> clients_;  // process -> node, kNone if several
  std::vector<Window> windows_;
  std::map<std::uint32_t, std::size_t> open_;  // fault -> index into windows_
  std::vector<Step> steps_;
  std::map<std::string, std::vector<std::pair<Time, Time>>> noted_;  // note kind -> windows
  std::uint64_t divergent_ = 0, highest_ = 0;
  bool seen_apply_ = false;
  RoleTracker roles_;
};

nlohmann::json TimelineMetric::report(const MetricContext& context) const {
  nlohmann::json invoke = nlohmann::json::array(), latency = nlohmann::json::array(),
                 process = nlohmann::json::array();
  std::string outcome, write, stale;
  for (const DrawnOp& d : drawn_) {
    stale += d.stale ? 's' : '-';
    invoke.push_back(d.invoke_ms);
    latency.push_back(d.latency_ms);
    process.push_back(d.process);
    outcome += d.outcome == Outcome::Ok ? 'o' : d.outcome == Outcome::Fail ? 'f' : 'i';
    write += d.write ? 'w' : 'r';
  }
  nlohmann::json clients = nlohmann::json::object();
  for (const auto& [p, node] : clients_)
    if (node != kNone) clients[std::to_string(p)] = name_of(node, context.names.nodes);
  nlohmann::json faults = nlohmann::json::array();
  for (const Window& w : windows_)
    faults.push_back({{"name", name_of(w.fault, context.names.faults)},
                      {"kind", w.kind},
                      {"start_ms", to_ms(w.start)},
                      {"end_ms", w.end ? nlohmann::json(to_ms(*w.end)) : nlohmann::json(nullptr)},
                      {"what", w.what}});
  nlohmann::json noted = nlohmann::json::object();
  for (const auto& [what, spans] : noted_) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [start, end] : spans) list.push_back({to_ms(start), to_ms(end)});
    noted[what] = std::move(list);
  }
  nlohmann::json steps = nlohmann::json::array();
  for (const Step& s : steps_) steps.push_back({to_ms(s.start), s.highest, s.last});
  nlohmann::json out = {{"ops",
                         {{"count", count_},
                          {"ok_stride", stride_},
                          {"invoke_ms", std::move(invoke)},
                          {"latency_ms", std::move(latency)},
                          {"process", std::move(process)},
                          {"outcome", std::move(outcome)},
                          {"write", std::move(write)},
                          {"stale", std::move(stale)}}},
                        {"clients", std::move(clients)},
                        {"faults", std::move(faults)},
                        {"divergence",
                         {{"available", seen_apply_},
                          {"highest", highest_},
                          {"bucket_ms", to_ms(width_.value_or(1))},
                          {"steps", std::move(steps)}}},
                        {"noted", std::move(noted)},
                        {"end_ms", to_ms(context.end)},
                        {"complete", context.complete}};
  if (roles_.seen_roles()) {
    out["leaders"] = reigns_json(roles_.reigns(), context.names);
    nlohmann::json two = nlohmann::json::array();
    for (const LeaderGap& g : roles_.several())
      two.push_back({to_ms(g.start), g.end ? nlohmann::json(to_ms(*g.end)) : nlohmann::json()});
    out["two_leaders"] = std::move(two);
  }
  return out;
}

}  // namespace

std::unique_ptr<Metric> make_timeline_metric() { return std::make_unique<TimelineMetric>(); }

}  // namespace consim
