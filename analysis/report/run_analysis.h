// The streaming run analysis: trace events in, report.json out.
//
// Feed every event of one trace (or history) to on_event() in file order,
// then call finish() once. Memory grows with keys, nodes, faults and the
// operations outstanding at one time, never with the trace length: each
// analyzer keeps counters, bounded histograms and per-key windows (see
// docs/report.md for every definition and every report field).
//
// The core parts, each in its own file, that the report's main sections
// share: phases.h (phase boundaries and names), op_stats.h (availability,
// latency), key_writes.h (acknowledged writes per key), staleness.h (stale
// reads, k and t), t_visibility.h, convergence.h (replica state, divergence,
// convergence), lost_writes.h, cap_summary.h. Every other section comes from
// a metric of the table in metric_registry.h (metric.h: one file each), fed
// the same events and the completed operations. summary_print.h turns the
// report into a table.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <unordered_map>
#include <vector>

#include "analysis/metrics/cap_summary.h"
#include "analysis/metrics/convergence.h"
#include "analysis/metrics/key_writes.h"
#include "analysis/metrics/metric.h"
#include "analysis/metrics/op_stats.h"
#include "analysis/metrics/phases.h"
#include "analysis/metrics/staleness.h"
#include "analysis/metrics/t_visibility.h"
#include "analysis/trace/trace_event.h"

namespace consim {

struct AnalysisOptions {
  // Acknowledged writes kept per key for stale reads, replica ranks and lost
  // writes (older values are "older than the window").
  std::size_t write_window = 256;
  // Writes before each read sampled for t-visibility (the newest ones).
  std::size_t visibility_window = 64;
};

class RunAnalysis {
 public:
  // `header`: the trace header object, or null JSON for a history.
  explicit RunAnalysis(const nlohmann::json& header, AnalysisOptions options = {});
  ~RunAnalysis();
  RunAnalysis(const RunAnalysis&) = delete;
  RunAnalysis& operator=(const RunAnalysis&) = delete;

  void on_event(const TraceEvent& event, const TraceNames& names);
  // The report; call once, after the last event. Operations still
  // outstanding count as info.
  nlohmann::json finish(const TraceNames& names);

 private:
  struct OpenOp {
    Time invoke_time = 0;
    std::uint64_t line = 0;
    std::int64_t process = 0;
    HistOp f = HistOp::Read;
    std::uint32_t key = kNone;
    std::uint32_t node = kNone;
    std::uint32_t client = kNone;
    std::optional<std::uint64_t> op;    // the line's "op", if any
    std::optional<std::int64_t> value;  // write and cas: the value written
    std::size_t phase = 0;
    std::uint64_t acked_before = 0;  // writes acknowledged to the key at invoke
  };
  struct PhaseStats {
    OpStats ops;
    StaleStats reads;
    VisibilityCurve visibility;
  };

  void core_event(const TraceEvent& event, const TraceNames& names);
  MetricContext context(const TraceNames& names) const;
  void on_invoke(const TraceEvent& event);
  void on_completion(const TraceEvent& event, const TraceNames& names);
  struct Completion {
    Outcome outcome = Outcome::Info;
    std::optional<std::int64_t> value;
    Time time = 0;
    std::uint64_t line = 0;              // the completion line (0: closed at the end)
    bool cas_failed = false;             // a cas that compared unequal and wrote nothing
    std::vector<std::int64_t> siblings;  // a read that returned several siblings
  };
  void complete(const OpenOp& op, const Completion& completion, const TraceNames& names);
  void complete_write(const OpenOp& op, const Completion& done);
  void on_fault(const TraceEvent& event, const TraceNames& names);
  void on_apply(const TraceEvent& event);
  void close_outstanding(Time end, const TraceNames& names);
  // Report assembly (run_report.cc).
  struct ReportParts;
  void collect_phase(std::size_t phase, const std::string& name, const TraceNames& names,
                     ReportParts& parts) const;
  nlohmann::json build_report(const TraceNames& names, Time end) const;
  // [{"fault","kind"}] of the faults active when the run ends.
  nlohmann::json active_faults_json(const TraceNames& names) const;

  std::unique_ptr<const nlohmann::json> header_;
  AnalysisOptions options_;
  PhaseTracker phases_;
  std::vector<PhaseStats> stats_;  // by phase index
  WriteTable writes_;
  ReplicaTracker replicas_;
  std::vector<std::uint32_t> fault_kind_of_;  // by fault id: its interned kind
  CapSummary cap_;
  std::vector<std::unique_ptr<Metric>> metrics_;  // in metric_registry() order
  // Outstanding operations: by op id, or by process for histories without ids.
  std::unordered_map<std::uint64_t, OpenOp> open_by_op_;
  std::unordered_map<std::int64_t, OpenOp> open_by_process_;
  Time last_time_ = 0;
  std::optional<Time> end_time_;
  std::uint64_t unmatched_completions_ = 0;
};

}  // namespace consim
