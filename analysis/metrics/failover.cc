// The "failover" section of report.json: what happens when a fault hits the
// node acting as leader or primary (metric.h; leadership from roles.h). Only
// traces with role lines have it; others get {"available": false, "reason"}.
//
// A *failure* is the begin line of a fault that hits a node while it leads:
// a crash or a pause of that node, or a partition that leaves it without a
// majority (the nodes on its sides, itself included, are at most half of
// all nodes). A leader left with a majority is not hit: Raft's leader on the
// majority side of the demo partition goes on, and so do its clients. Each reign
// (roles.h) is hit at most once, by the first such fault. For each failure:
//   - the new leader: the first reign that begins after the failure line;
//   - the unavailability window: from the failure to the first acknowledged
//     write (an ok write, any client, any node) completed after it; a run
//     with none after it reports the time to the end and "recovered": false;
//   - the acknowledged writes lost in it: the lost writes (lost_writes.h)
//     acknowledged while the node hit led in the reign the failure hit, from
//     the reign's start to its end; a lost write counts for one failure at
//     most (the first). Lost writes of no such reign, and those older than
//     the write window, are "not_attributed".
// Worked example (async primary-backup): n1 is primary in epoch 1 from 0 and
// acknowledges writes a (at 4.9 s) and b (4.95 s) that reach no backup; n1
// crashes at 5 s; n2 becomes primary in epoch 2 at 5.4 s and acknowledges a
// write at 5.45 s. One failure: new leader n2 after 400 ms, unavailable
// 450 ms, 2 acknowledged writes lost (a and b, acknowledged in n1's reign).
//
// Also: "two_leaders", the time during which two or more nodes act as
// leader at once (paused ones do not act; roles.h), and "leader_ms", how long
// each node believed it led (the timeline draws each interval).
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/metrics/lost_writes.h"
#include "analysis/metrics/metric.h"
#include "analysis/metrics/roles.h"

namespace consim {
namespace {


struct Failure {
  std::uint32_t fault = kNone, kind = kNone;
  Time at = 0;
  std::size_t reign = 0;  // the reign it hit, in RoleTracker::reigns()
  std::optional<std::size_t> new_reign;
  std::optional<Time> first_ack;
};

// True when the partition's sides leave `node` without a majority: the
// nodes it reaches (itself included: the union of its sides) are not more
// than half of all nodes (the union of every side).
bool cut_from_majority(const TraceEvent& event, std::uint32_t node) {
  std::vector<std::uint32_t> all, reached;
  for (const auto& side : event.sides) {
    all.insert(all.end(), side.begin(), side.end());
    if (std::find(side.begin(), side.end(), node) != side.end())
      reached.insert(reached.end(), side.begin(), side.end());
  }
  for (auto* v : {&all, &reached}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  return 2 * reached.size() <= all.size();
}

class FailoverMetric final : public Metric {
 public:
  void on_event(const TraceEvent& event, const MetricContext& context) override {
    if (event.type == EventType::Fault && !event.fault_end) find_hits(event, context.names);
    const std::size_t reigns = roles_.reigns().size();
    roles_.on_event(event, context.names);
    if (roles_.reigns().size() == reigns) return;
    // A reign began: the new leader of every failure still waiting for one.
    for (std::size_t f = waiting_leader_; f < failures_.size(); ++f)
      failures_[f].new_reign = reigns;
    waiting_leader_ = failures_.size();
  }

  void on_complete(const CompletedOp& op, const MetricContext&) override {
    if (op.f != HistOp::Write || op.outcome != Outcome::Ok) return;
    for (std::size_t f = waiting_ack_; f < failures_.size(); ++f)
      failures_[f].first_ack = op.invoke_time + op.latency;
    waiting_ack_ = failures_.size();
  }

  nlohmann::json report(const MetricContext& context) const override;

 private:
  void find_hits(const TraceEvent& event, const TraceNames& names) {
    const std::vector<Reign>& reigns = roles_.reigns();
    for (std::size_t r = 0; r < reigns.size(); ++r) {
      if (reigns[r].end || (r < hit_.size() && hit_[r])) continue;
      const bool node_fault = event.node == reigns[r].node && event.sides.empty();
      const bool stops = event.down || (event.fault_kind < names.fault_kinds.size() &&
                                        names.fault_kinds[event.fault_kind] == "pause");
      const bool hit =
          node_fault ? stops : !event.sides.empty() && cut_from_majority(event, reigns[r].node);
      if (!hit) continue;
      if (r >= hit_.size()) hit_.resize(r + 1, false);
      hit_[r] = true;
      failures_.push_back(Failure{event.fault, event.fault_kind, event.time, r, {}, {}});
    }
  }
  nlohmann::json failure_json(const Failure& f, const MetricContext& context,
                              nlohmann::json lost) const;

  RoleTracker roles_;
  std::vector<Failure> failures_;  // in time order
  std::vector<bool> hit_;          // by reign
  // Failures before these indices have their new leader / first ack.
  std::size_t waiting_leader_ = 0, waiting_ack_ = 0;
};

nlohmann::json FailoverMetric::failure_json(const Failure& f, const MetricContext& context,
                                            nlohmann::json lost) const {
  const TraceNames& names = context.names;
  const Reign& hit = roles_.reigns()[f.reign];
  auto name = [](std::uint32_t id, const std::vector<std::string>& table) {
    return id < table.size() ? table[id] : std::string();
  };
  nlohmann::json leader = nullptr;
  if (f.new_reign) {
    const Reign& r = roles_.reigns()[*f.new_reign];
    leader = {{"node", role_node_name(r.node, names)},
              {"role", name(r.role, names.roles)},
              {"term", r.term},
              {"at_ms", to_ms(r.start)},
              {"after_ms", to_ms(r.start - f.at)}};
  }
  return {{"fault", name(f.fault, names.faults)},
          {"kind", name(f.kind, names.fault_kinds)},
          {"at_ms", to_ms(f.at)},
          {"node", role_node_name(hit.node, names)},
          {"role", name(hit.role, names.roles)},
          {"term", hit.term},
          {"new_leader", std::move(leader)},
          {"recovered", f.first_ack.has_value()},
          {"unavailable_ms", to_ms(f.first_ack.value_or(context.end) - f.at)},
          {"lost_writes", std::move(lost)}};
}

nlohmann::json FailoverMetric::report(const MetricContext& context) const {
  if (!roles_.seen_roles()) return {{"available", false}, {"reason", kNoRoleLines}};
  RoleTracker roles = roles_;
  roles.finish(context.end);
  const LostWriteFindings* lost = context.lost_writes;
  const bool lost_known = lost != nullptr && lost->available;
  std::vector<bool> counted(lost_known ? lost->lost.size() : 0, false);
  std::uint64_t attributed = 0, failovers = 0;
  nlohmann::json failures = nlohmann::json::array();
  for (const Failure& f : failures_) {
    nlohmann::json n = nullptr;
    if (lost_known) {
      const Reign& r = roles_.reigns()[f.reign];
      std::uint64_t count = 0;
      for (std::size_t w = 0; w < counted.size(); ++w) {
        const Time ack = lost->lost[w].ack;
        if (counted[w] || ack < r.start || (r.end && ack > *r.end)) continue;
        counted[w] = true;
        ++count;
      }
      attributed += count;
      n = count;
    }
    if (f.new_reign) ++failovers;
    failures.push_back(failure_json(f, context, std::move(n)));
  }
  std::map<std::string, double> leader_ms;  // by node name: sorted
  for (const Reign& r : roles_.reigns())
    leader_ms[role_node_name(r.node, context.names)] +=
        to_ms(r.end.value_or(context.end) - r.start);
  return {
      {"available", true},
      {"failures", std::move(failures)},
      {"failovers", failovers},
      {"lost_writes", lost_known ? nlohmann::json{{"in_failures", attributed},
                                                  {"not_attributed", lost->lost_count - attributed}}
                                 : nlohmann::json(nullptr)},
      {"two_leaders", gaps_json(roles.several(), roles.several_time(), context.names, true)},
      {"leader_ms", leader_ms}};
}

}  // namespace

std::unique_ptr<Metric> make_failover_metric() { return std::make_unique<FailoverMetric>(); }

}  // namespace consim
