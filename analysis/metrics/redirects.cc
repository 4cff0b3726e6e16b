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
// Memory: the redirected operations not completed yet; never the trace.
// An operation that is not redirected costs nothing but one look at an
// (almost always) empty map when it completes.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

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
    if (event.type != EventType::Redirect) return;
    auto it = searching_.try_emplace(event.op, Search{event.time, context.phases.current()}).first;
    Search& s = it->second;
    s.last = event.time;
    s.redirects += 1;
    if (event.to == kNone) s.gave_up = true;
  }

  // Every operation completes once (the run analysis completes those still
  // open at the end as info), with its invoke time and phase.
  void on_complete(const CompletedOp& op, const MetricContext&) override {
    if (!op.op || searching_.empty()) return;
    auto it = searching_.find(*op.op);
    if (it == searching_.end()) return;
    const Search& s = it->second;
    PhaseCounts& c = counts(op.phase);
    add(c, s);
    max_per_op_ = std::max(max_per_op_, s.redirects);
    if (!s.gave_up && op.outcome == Outcome::Info) c.unresolved += 1;
    if (!s.gave_up && op.outcome != Outcome::Info) search_.add(s.last - op.invoke_time);
    searching_.erase(it);
  }

  nlohmann::json report(const MetricContext& context) const override {
    // Redirects of operations with no invoke line (a hand-written trace)
    // count in the phase of their first redirect, unresolved.
    std::vector<PhaseCounts> phases = phases_;
    std::uint64_t max_per_op = max_per_op_;
    for (const auto& [op, s] : searching_) {
      if (s.phase >= phases.size()) phases.resize(s.phase + 1);
      add(phases[s.phase], s);
      if (!s.gave_up) phases[s.phase].unresolved += 1;
      max_per_op = std::max(max_per_op, s.redirects);
    }
    PhaseCounts all;
    for (const PhaseCounts& p : phases) {
      all.operations += p.operations;
      all.gave_up += p.gave_up;
      all.unresolved += p.unresolved;
      all.redirects += p.redirects;
    }
    const nlohmann::json mean =
        all.operations == 0 ? nlohmann::json()
                            : nlohmann::json(double(all.redirects) / double(all.operations));
    nlohmann::json search_ms = percentiles_json(search_);
    search_ms["count"] = search_.count();
    return {{"redirects", all.redirects},
            {"operations_redirected", all.operations},
            {"gave_up", all.gave_up},
            {"unresolved", all.unresolved},
            {"per_operation", {{"mean", mean}, {"max", max_per_op}}},
            {"leader_search_ms", std::move(search_ms)},
            {"phases", phases_json(phases, *context.phase_names)}};
  }

 private:
  struct Search {
    Time last = 0;
    std::size_t phase = 0;  // of the first redirect
    std::uint64_t redirects = 0;
    bool gave_up = false;
  };

  static void add(PhaseCounts& c, const Search& s) {
    c.operations += 1;
    c.redirects += s.redirects;
    if (s.gave_up) c.gave_up += 1;
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

  std::map<std::uint64_t, Search> searching_;  // redirected, not completed yet
  std::vector<PhaseCounts> phases_;
  LatencyHistogram search_;
  std::uint64_t max_per_op_ = 0;
};

}  // namespace

std::unique_ptr<Metric> make_redirects_metric() { return std::make_unique<RedirectsMetric>(); }

}  // namespace consim
