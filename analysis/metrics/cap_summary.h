// The CAP/PACELC summary: what each side of each partition saw, and the
// latency/consistency trade-off when no fault is active ("else" in PACELC).
//
// An operation belongs to a partition when it was invoked while that
// partition was active (other faults may be active too), and to the side
// containing the node it was sent to, as the `partition` line's `sides` list
// them. A node listed on several sides (a bridge) counts on each; an
// operation to a node on no side, or with no node, counts as "unassigned".
// Worked example: sides [n1 n2 n3] and [n4 n5]; during the partition a write
// to n1 succeeds and one to n4 times out (info), a read at n5 returns a
// value two versions old: side 0 availability 1.0; side 1 availability 0.5,
// fresh_fraction 0.0.
//
// "checkers" in each partition entry (and at the report's top level) is left
// empty for the integration that runs the consistency checkers.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "analysis/metrics/op_stats.h"
#include "analysis/metrics/phases.h"
#include "analysis/metrics/staleness.h"

namespace consim {

struct SideStats {
  OpStats ops;
  StaleStats reads;
};

class CapSummary {
 public:
  // `verdict` is set for ok reads only.
  void add_op(const Phase& phase, const std::vector<PartitionRecord>& partitions,
              std::uint32_t node, HistOp f, Outcome outcome, Time latency,
              const ReadVerdict* verdict);

  // {"partitions":[...], "else":else_summary}
  nlohmann::json to_json(const std::vector<PartitionRecord>& partitions, const TraceNames& names,
                         nlohmann::json else_summary) const;

 private:
  struct PartitionStats {
    std::vector<SideStats> sides;
    SideStats unassigned;
  };
  std::vector<PartitionStats> partitions_;  // by PartitionRecord index
};

// The PACELC "else" entry over the phases with no fault active:
// {"phases":[names],"read_latency_ms":{"p50","p99"},"write_latency_ms":{...},
//  "reads_ok","stale","stale_rate"}.
nlohmann::json pacelc_else_json(const std::vector<std::string>& phase_names, const OpStats& ops,
                                const StaleStats& reads);

}  // namespace consim
