// The streaming run analysis: trace events in, report.json out.
//
// Feed every event of one trace (or history) to on_event() in file order,
// then call finish() once. Memory grows with keys, nodes, faults and the
// operations outstanding at one time, never with the trace length: each
// analyzer keeps counters, bounded histograms and per-key windows (see
// docs/report.md for every definition and every report field).
//
// The parts, each in its own file: phases.h (phase boundaries and names),
// op_stats.h (availability, latency), key_writes.h (acknowledged writes per
// key), staleness.h (stale reads, k and t), t_visibility.h, convergence.h
// (replica state, divergence, convergence), lost_writes.h, message_stats.h,
// cap_summary.h, note_stats.h. summary_print.h turns the report into a table.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <unordered_map>
#include <vector>

#include "analysis/metrics/cap_summary.h"
#include "analysis/metrics/convergence.h"
#include "analysis/metrics/key_writes.h"
#include "analysis/metrics/message_stats.h"
#include "analysis/metrics/note_stats.h"
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

  void on_event(const TraceEvent& event, const TraceNames& names);
  // The report; call once, after the last event. Operations still
  // outstanding count as info.
  nlohmann::json finish(const TraceNames& names);

 private:
  struct OpenOp {
    Time invoke_time = 0;
    std::uint64_t line = 0;
    HistOp f = HistOp::Read;
    std::uint32_t key = kNone;
    std::uint32_t node = kNone;
    std::optional<std::int64_t> value;  // write: the value written
    std::size_t phase = 0;
    std::uint64_t acked_before = 0;  // writes acknowledged to the key at invoke
  };
  struct PhaseStats {
    OpStats ops;
    StaleStats reads;
    VisibilityCurve visibility;
    MessageStats messages;
  };

  void on_invoke(const TraceEvent& event);
  void on_completion(const TraceEvent& event);
  void complete(const OpenOp& op, Outcome outcome, const std::optional<std::int64_t>& value,
                Time time);
  void on_fault(const TraceEvent& event, const TraceNames& names);
  void on_apply(const TraceEvent& event);
  void close_outstanding(Time end);
  // Report assembly (run_report.cc).
  struct ReportParts;
  void collect_phase(std::size_t phase, const std::string& name, const TraceNames& names,
                     ReportParts& parts) const;
  nlohmann::json build_report(const TraceNames& names, Time end) const;

  nlohmann::json header_;
  AnalysisOptions options_;
  PhaseTracker phases_;
  std::vector<PhaseStats> stats_;  // by phase index
  WriteTable writes_;
  ReplicaTracker replicas_;
  CapSummary cap_;
  NoteStats notes_;
  // Outstanding operations: by op id, or by process for histories without ids.
  std::unordered_map<std::uint64_t, OpenOp> open_by_op_;
  std::unordered_map<std::int64_t, OpenOp> open_by_process_;
  Time last_time_ = 0;
  std::optional<Time> end_time_;
  std::uint64_t unmatched_completions_ = 0;
};

}  // namespace consim
