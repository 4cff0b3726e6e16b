// The extension point of the run analysis: a metric is one class behind this
// interface, in one file under analysis/metrics/, listed once in the table of
// analysis/report/metric_registry.cc. RunAnalysis feeds every metric of the
// table the same stream and puts what report() returns in report.json under
// the metric's registry name.
//
// Contract: events arrive in file order, after the run analysis has updated
// the phases (so context.phases.current() is the phase the event belongs
// to); every operation reaches on_complete() exactly once, in completion
// order, with the phase of its invoke (operations still open at the end are
// completed as info, in invoke order). report() is called once, after the
// last event. A metric keeps its own state and reads nothing else; memory
// must not grow with the trace length (counters, bounded histograms).
// Worked example: metrics/ops_per_node.cc counts operations per node and
// phase from on_complete() and reports {"phases": [...]}.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/metrics/phases.h"
#include "analysis/trace/trace_event.h"

namespace consim {

struct ReadVerdict;

// One client operation, at its completion.
struct CompletedOp {
  HistOp f = HistOp::Read;
  Outcome outcome = Outcome::Info;
  std::uint32_t key = kNone;   // interned
  std::uint32_t node = kNone;  // interned: the node the client addressed
  std::size_t phase = 0;       // the phase of its invoke
  std::uint64_t line = 0;      // the line of its invoke
  std::int64_t process = 0;
  Time invoke_time = 0;
  Time latency = 0;
  bool stale = false;            // an ok read that returned a stale value (staleness.h)
  std::uint32_t client = kNone;  // the invoke line's "client" (kNone: none)
  std::optional<std::uint64_t> op = std::nullopt;  // the invoke line's "op", if any
  // An ok read's staleness verdict (staleness.h); null for other operations.
  const ReadVerdict* read = nullptr;
};

// What a metric may read besides its own state.
class ReplicaTracker;
struct LostWriteFindings;

struct MetricContext {
  const TraceNames& names;
  const PhaseTracker& phases;
  // Replica state from apply lines (convergence.h), updated before the
  // metrics see the event.
  const ReplicaTracker* replicas = nullptr;
  // The trace header object, or null JSON for a history.
  const nlohmann::json& header;
  // At report() only: the unique phase names (by phase index) and the end.
  const std::vector<std::string>* phase_names = nullptr;
  Time end = 0;
  bool complete = false;  // the trace has its end line
  // At report() only: the lost acknowledged writes (lost_writes.h).
  const LostWriteFindings* lost_writes = nullptr;
};

class Metric {
 public:
  virtual ~Metric() = default;
  virtual void on_event(const TraceEvent& /*event*/, const MetricContext& /*context*/) {}
  virtual void on_complete(const CompletedOp& /*op*/, const MetricContext& /*context*/) {}
  // This metric's section of report.json.
  virtual nlohmann::json report(const MetricContext& context) const = 0;
};

}  // namespace consim
