// The "redirects" section of report.json: how clients found the leader
// (redirect lines, docs/trace-format.md). Only leader-based models redirect;
// for the others every count is 0.
//   {"redirects", "operations_redirected", "gave_up", "unresolved",
//    "per_operation": {"mean", "max"},
//    "leader_search_ms": {"count", "p50", "p95", "p99", "max"},
//    "phases": [{"phase", "redirects", "operations_redirected", "gave_up",
//                "unresolved"}]}
//
// Definitions. An operation is redirected when at least one redirect line
// names it. When a node then answered it (ok or fail), its leader search
// ran from its invoke to its last redirect: the moment the client sent it
// to the node that did not redirect it. An operation whose last redirect
// has "to": null gave up (no leader found after the client's bound); one
// that ended info after a redirect (timed out, or the run ended) is
// unresolved: nobody answered, so where the leader was is unknown. Neither
// has a search time. Counts go to the phase of the operation's invoke, like
// every operation count of the report.
// Worked example: op 4 invoked at 1.0 ms, redirected by n2 at 1.3 ms and by
// n3 at 1.9 ms, then answered by n1: 2 redirects, 1 operation redirected,
// search 0.9 ms. An op redirected 7 times and then given up adds 8
// redirects, 1 gave_up and no search time; one redirected once and then
// timed out adds 1 redirect and 1 unresolved.
//
// Memory: the invoke time and phase of each outstanding operation (erased at
// its completion), plus the redirected ones among them; never the trace.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "analysis/metrics/metric.h"
#include "analysis/metrics/op_stats.h"

namespace consim {
namespace {

struct PhaseCounts {
  std::uint64_t redirects = 0, operations = 0, gave_up = 0, unresolved = 0;
};

class RedirectsMetric final : public Metric {
 public:
  void on_event(const TraceEvent& event, const MetricContext& context) override {
    if (!event.has_op) return;
    switch (event.type) {
      case EventType::Invoke:
        open_[event.op] = Invoke{event.time, context.phases.current()};
        return;
      case EventType::Redirect:
        redirect(event, context);
        return;
      case EventType::Ok:
      case EventType::Fail:
      case EventType::Info:
        open_.erase(event.op);
        end_search(event.op, event.type == EventType::Info);
        return;
      default:
        return;
    }
  }

  nlohmann::json report(const MetricContext& context) const override {
    // Operations the trace leaves redirected but not completed (a trace cut
    // short) are unresolved, as if they ended info.
    std::vector<PhaseCounts> phases = phases_;
    for (const auto& [op, s] : searching_)
      if (!s.gave_up) phases[s.phase].unresolved += 1;
    std::uint64_t ops = 0, gave_up = 0, unresolved = 0, total = 0;
    for (const PhaseCounts& p : phases) {
      ops += p.operations;
      gave_up += p.gave_up;
      unresolved += p.unresolved;
      total += p.redirects;
    }
    nlohmann::json per_op = {
        {"mean", ops == 0 ? nlohmann::json() : nlohmann::json(double(total) / double(ops))},
        {"max", max_per_op_}};
    nlohmann::json search_ms = percentiles_json(search_);
    search_ms["count"] = search_.count();
    return {{"redirects", total},
            {"operations_redirected", ops},
            {"gave_up", gave_up},
            {"unresolved", unresolved},
            {"per_operation", std::move(per_op)},
            {"leader_search_ms", std::move(search_ms)},
            {"phases", phases_json(phases, *context.phase_names)}};
  }

 private:
  struct Invoke {
    Time time = 0;
    std::size_t phase = 0;
  };
  struct Search {
    Time invoke = 0, last = 0;
    std::size_t phase = 0;
    std::uint64_t redirects = 0;
    bool gave_up = false;
  };

  void redirect(const TraceEvent& event, const MetricContext& context) {
    auto found = searching_.find(event.op);
    if (found == searching_.end()) {
      // A redirect of an operation with no invoke line: its phase is now.
      auto inv = open_.find(event.op);
      Invoke invoke =
          inv == open_.end() ? Invoke{event.time, context.phases.current()} : inv->second;
      found = searching_.emplace(event.op, Search{invoke.time, invoke.time, invoke.phase}).first;
      counts(invoke.phase).operations += 1;
    }
    Search& s = found->second;
    s.last = event.time;
    s.redirects += 1;
    max_per_op_ = std::max(max_per_op_, s.redirects);
    counts(s.phase).redirects += 1;
    if (event.to == kNone && !s.gave_up) {
      s.gave_up = true;
      counts(s.phase).gave_up += 1;
    }
  }

  // The operation completed: a node answered it, unless it ended info.
  void end_search(std::uint64_t op, bool info) {
    auto it = searching_.find(op);
    if (it == searching_.end()) return;
    const Search& s = it->second;
    if (!s.gave_up && info) counts(s.phase).unresolved += 1;
    if (!s.gave_up && !info) search_.add(s.last - s.invoke);
    searching_.erase(it);
  }

  PhaseCounts& counts(std::size_t phase) {
    if (phase >= phases_.size()) phases_.resize(phase + 1);
    return phases_[phase];
  }

  static nlohmann::json phases_json(const std::vector<PhaseCounts>& phases,
                                    const std::vector<std::string>& names) {
    nlohmann::json out = nlohmann::json::array();
    for (std::size_t p = 0; p < names.size(); ++p) {
      PhaseCounts c = p < phases.size() ? phases[p] : PhaseCounts{};
      out.push_back({{"phase", names[p]},
                     {"redirects", c.redirects},
                     {"operations_redirected", c.operations},
                     {"gave_up", c.gave_up},
                     {"unresolved", c.unresolved}});
    }
    return out;
  }

  // Looked up by op id, never iterated.
  std::unordered_map<std::uint64_t, Invoke> open_;
  std::map<std::uint64_t, Search> searching_;  // redirected, not completed
  std::vector<PhaseCounts> phases_;
  LatencyHistogram search_;
  std::uint64_t max_per_op_ = 0;
};

}  // namespace

std::unique_ptr<Metric> make_redirects_metric() { return std::make_unique<RedirectsMetric>(); }

}  // namespace consim
