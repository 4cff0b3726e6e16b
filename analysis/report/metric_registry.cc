// The metric table; see metric_registry.h. Each factory is defined in its
// metric's own file; it is declared here, beside its table line, so that a
// metric needs no header of its own.
#include "analysis/report/metric_registry.h"

namespace consim {

std::unique_ptr<Metric> make_conflicts_metric();
std::unique_ptr<Metric> make_elections_metric();
std::unique_ptr<Metric> make_events_behind_metric();
std::unique_ptr<Metric> make_failover_metric();
std::unique_ptr<Metric> make_groups_metric();
std::unique_ptr<Metric> make_k_staleness_metric();
std::unique_ptr<Metric> make_messages_metric();
std::unique_ptr<Metric> make_notes_metric();
std::unique_ptr<Metric> make_ops_per_node_metric();
std::unique_ptr<Metric> make_redirects_metric();
std::unique_ptr<Metric> make_timeline_metric();

namespace {

// clang-format off
constexpr MetricEntry kMetrics[] = {
    {"groups", "operations and stale reads per client group (scenarios with client groups)",
     make_groups_metric},
    {"messages", "messages and bytes sent and dropped, per kind, per operation, per phase",
     make_messages_metric},
    {"notes", "model notes (decisions, in-doubt states, lost requests) by kind, with durations",
     make_notes_metric},
    {"k_staleness", "versions behind per read (distribution, percentiles) and P(a read returns "
     "one of the last K versions), over every classified ok read",
     make_k_staleness_metric},
    {"ops_per_node", "operations completed per node (the one the client addressed) per phase",
     make_ops_per_node_metric},
    {"failover", "failures of the leader or primary: new leader, unavailability window, "
     "acknowledged writes lost; time with two leaders (traces with role lines)",
     make_failover_metric},
    {"elections", "elections, candidacies, highest term, time without a leader, terms with two "
     "leaders; stale reads under clock faults (traces with role lines)",
     make_elections_metric},
    {"redirects", "redirects to the leader and the time operations spent finding it, per phase",
     make_redirects_metric},
    {"conflicts", "conflict resolution: siblings per read, acknowledged writes lww overwrote "
     "unseen, lost acknowledged writes, by the model's conflict strategy",
     make_conflicts_metric},
    {"events_behind", "per node (replicas and read models): acknowledged writes not yet "
     "visible (events behind: max, time-weighted mean, per phase, over time) and the time "
     "from each write's ack to its visibility there",
     make_events_behind_metric},
    {"timeline", "what the run charts draw: operations, fault windows, divergence over time "
     "(written to timeline.json)",
     make_timeline_metric},
};
// clang-format on

}  // namespace

std::span<const MetricEntry> metric_registry() { return kMetrics; }

}  // namespace consim
