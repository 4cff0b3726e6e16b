// The "elections" section of report.json: leader elections from role lines
// (metric.h; leadership from roles.h). Only traces with role lines have it;
// others get {"available": false, "reason"}.
//
//   "elections": distinct terms in which some node led (a term that got a
//     leader); "candidacies": distinct (node, term) pairs with role
//     "candidate"; "highest_term": the largest term of any role line;
//   "leaderless": time with no acting leader, after the first leader
//     (roles.h: a crashed or paused leader does not act), with its intervals;
//   "terms_with_two_leaders": [{"term", "nodes"}] for every term in which two
//     or more nodes led, at once or not (Raft's election safety says none);
//   "stale_reads_during_clock_faults": ok reads invoked once a clock fault
//     had begun ("kind": "clock"; such a fault lasts to the end) and
//     how many were stale (staleness.h): lease reads under drift. Per-phase
//     stale reads are in staleness.phases.
// Worked example: n1 leads term 1 from 0 and crashes at 5 s; n2 and n3 stand
// in term 2, n3 wins at 5.3 s. Elections 2, candidacies 2, highest term 2,
// leaderless 300 ms ([5 s, 5.3 s)), no term with two leaders.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "analysis/metrics/metric.h"
#include "analysis/metrics/roles.h"

namespace consim {
namespace {

class ElectionsMetric final : public Metric {
 public:
  void on_event(const TraceEvent& event, const MetricContext& context) override {
    const TraceNames& names = context.names;
    if (event.type == EventType::Fault && !event.fault_end && event.fault_kind != kNone &&
        event.fault_kind < names.fault_kinds.size() &&
        names.fault_kinds[event.fault_kind] == PhaseTracker::kStateKind) {
      if (!first_clock_) first_clock_ = event.time;  // clock faults last to the end
    }
    roles_.on_event(event, names);
    if (event.type != EventType::Role || event.role == kNone) return;
    highest_term_ = std::max(highest_term_, event.term);
    const std::string& role = names.roles[event.role];
    if (role == "candidate") candidacies_.insert({event.term, event.node});
    if (RoleTracker::is_leading_role(role)) {
      std::vector<std::uint32_t>& nodes = leaders_[event.term];
      if (std::find(nodes.begin(), nodes.end(), event.node) == nodes.end())
        nodes.push_back(event.node);
    }
  }

  void on_complete(const CompletedOp& op, const MetricContext&) override {
    // Clock faults are states, not phases (phases.h): a read counts when it
    // was invoked at or after the first one began.
    if (op.f != HistOp::Read || op.outcome != Outcome::Ok || !first_clock_) return;
    if (op.invoke_time < *first_clock_) return;
    ++drift_reads_;
    if (op.stale) ++drift_stale_;
  }

  nlohmann::json report(const MetricContext& context) const override {
    if (!roles_.seen_roles()) return {{"available", false}, {"reason", kNoRoleLines}};
    RoleTracker roles = roles_;
    roles.finish(context.end);
    nlohmann::json two = nlohmann::json::array();
    for (const auto& [term, nodes] : leaders_) {
      if (nodes.size() < 2) continue;
      nlohmann::json names = nlohmann::json::array();
      for (std::uint32_t n : nodes) names.push_back(role_node_name(n, context.names));
      two.push_back({{"term", term}, {"nodes", std::move(names)}});
    }
    nlohmann::json rate =
        drift_reads_ == 0
            ? nlohmann::json(nullptr)
            : nlohmann::json(static_cast<double>(drift_stale_) / static_cast<double>(drift_reads_));
    return {{"available", true},
            {"elections", leaders_.size()},
            {"candidacies", candidacies_.size()},
            {"highest_term", highest_term_},
            {"leaderless",
             gaps_json(roles.leaderless(), roles.leaderless_time(), context.names, false)},
            {"terms_with_two_leaders", std::move(two)},
            {"stale_reads_during_clock_faults",
             {{"reads_ok", drift_reads_}, {"stale", drift_stale_}, {"stale_rate", rate}}}};
  }

 private:
  RoleTracker roles_;
  std::map<std::int64_t, std::vector<std::uint32_t>> leaders_;  // term -> nodes that led in it
  std::set<std::pair<std::int64_t, std::uint32_t>> candidacies_;
  std::int64_t highest_term_ = 0;
  std::optional<Time> first_clock_;  // when the first clock fault began
  std::uint64_t drift_reads_ = 0, drift_stale_ = 0;
};

}  // namespace

std::unique_ptr<Metric> make_elections_metric() { return std::make_unique<ElectionsMetric>(); }

}  // namespace consim
