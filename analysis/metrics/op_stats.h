// Availability and latency of client operations, per operation type.
//
// Availability = ok / (ok + fail + info): the share of all completed and
// timed-out operations that succeeded. An operation still outstanding when
// the trace ends counts as info (its outcome is unknown). Latency
// percentiles are over ok operations only, from invoke to ok, in ms.
// Worked example: writes ok in 10, 20, 30 and 40 ms plus one that timed out
// (info): availability 4 / 5 = 0.8, p50 20 ms, p95 = p99 = max = 40 ms.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>

#include "analysis/metrics/latency_histogram.h"
#include "analysis/trace/history.h"

namespace consim {

struct OutcomeCounts {
  std::uint64_t ok = 0, fail = 0, info = 0;
  std::uint64_t total() const { return ok + fail + info; }
  void add(Outcome outcome);
  void merge(const OutcomeCounts& other);
};

// Counts and ok-latency of one operation type.
struct TypeStats {
  OutcomeCounts counts;
  LatencyHistogram latency;
  void merge(const TypeStats& other);
};

class OpStats {
 public:
  // `latency` is used only when outcome == Ok.
  void add(HistOp f, Outcome outcome, Time latency);
  void merge(const OpStats& other);
  const TypeStats& of(HistOp f) const { return f == HistOp::Read ? read_ : write_; }
  std::uint64_t completed() const { return read_.counts.total() + write_.counts.total(); }

  // {"read": {...}, "write": {...}, "all": {...}}, each
  // {"ok","fail","info","availability","latency_ms":{"p50","p95","p99","max"}}.
  nlohmann::json to_json() const;

 private:
  TypeStats read_, write_;
};

// ok / total, or null when there were no operations.
nlohmann::json ratio_json(std::uint64_t part, std::uint64_t whole);
// {"p50","p95","p99","max"} in ms, each null when the histogram is empty.
nlohmann::json percentiles_json(const LatencyHistogram& histogram);
// Milliseconds, or null.
nlohmann::json ms_json(std::optional<Time> t);

}  // namespace consim
