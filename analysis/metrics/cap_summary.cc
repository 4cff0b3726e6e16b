// Per-side partition statistics: see cap_summary.h.
#include "analysis/metrics/cap_summary.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace consim {
namespace {

void add_to_side(SideStats& side, HistOp f, Outcome outcome, Time latency,
                 const ReadVerdict* verdict) {
  side.ops.add(f, outcome, latency);
  if (verdict != nullptr) side.reads.add(*verdict);
}

nlohmann::json side_json(const SideStats& side) {
  nlohmann::json entry = side.ops.to_json();
  entry["availability"] = entry["all"]["availability"];
  entry["reads_ok"] = side.reads.reads_ok();
  entry["fresh_reads"] = side.reads.fresh();
  entry["stale_reads"] = side.reads.stale();
  entry["fresh_fraction"] = ratio_json(side.reads.fresh(), side.reads.reads_ok());
  return entry;
}

nlohmann::json node_names(const std::vector<std::uint32_t>& nodes, const TraceNames& names) {
  nlohmann::json list = nlohmann::json::array();
  for (std::uint32_t n : nodes) {
    list.push_back(n < names.nodes.size() ? names.nodes[n] : "node #" + std::to_string(n));
  }
  return list;
}

}  // namespace

void CapSummary::add_op(const Phase& phase, const std::vector<PartitionRecord>& partitions,
                        std::uint32_t node, HistOp f, Outcome outcome, Time latency,
                        const ReadVerdict* verdict) {
  for (std::size_t index : phase.partitions) {
    if (index >= partitions_.size()) partitions_.resize(index + 1);
    PartitionStats& stats = partitions_[index];
    const auto& sides = partitions[index].sides;
    if (stats.sides.size() < sides.size()) stats.sides.resize(sides.size());
    bool assigned = false;
    for (std::size_t s = 0; s < sides.size(); ++s) {
      if (std::find(sides[s].begin(), sides[s].end(), node) == sides[s].end()) continue;
      add_to_side(stats.sides[s], f, outcome, latency, verdict);
      assigned = true;
    }
    if (!assigned) add_to_side(stats.unassigned, f, outcome, latency, verdict);
  }
}

nlohmann::json CapSummary::to_json(const std::vector<PartitionRecord>& partitions,
                                   const TraceNames& names, nlohmann::json else_summary) const {
  nlohmann::json list = nlohmann::json::array();
  for (std::size_t p = 0; p < partitions.size(); ++p) {
    const PartitionRecord& record = partitions[p];
    const PartitionStats empty;
    const PartitionStats& stats = p < partitions_.size() ? partitions_[p] : empty;
    nlohmann::json sides = nlohmann::json::array();
    for (std::size_t s = 0; s < record.sides.size(); ++s) {
      nlohmann::json side = s < stats.sides.size() ? side_json(stats.sides[s]) : side_json({});
      side["nodes"] = node_names(record.sides[s], names);
      sides.push_back(side);
    }
    list.push_back(
        {{"fault", record.fault < names.faults.size() ? nlohmann::json(names.faults[record.fault])
                                                      : nlohmann::json(nullptr)},
         {"line", record.line},
         {"start_ms", to_ms(record.start)},
         {"end_ms", record.end ? nlohmann::json(to_ms(*record.end)) : nlohmann::json(nullptr)},
         {"sides", sides},
         {"unassigned", side_json(stats.unassigned)},
         {"checkers", nlohmann::json::object()}});
  }
  return {{"partitions", list}, {"else", std::move(else_summary)}};
}

nlohmann::json pacelc_else_json(const std::vector<std::string>& phase_names, const OpStats& ops,
                                const StaleStats& reads) {
  auto latency = [&](HistOp f) {
    const LatencyHistogram& h = ops.of(f).latency;
    return nlohmann::json{{"p50", ms_json(h.percentile(500))}, {"p99", ms_json(h.percentile(990))}};
  };
  return {{"phases", phase_names},
          {"read_latency_ms", latency(HistOp::Read)},
          {"write_latency_ms", latency(HistOp::Write)},
          {"reads_ok", reads.reads_ok()},
          {"stale", reads.stale()},
          {"stale_rate", ratio_json(reads.stale(), reads.reads_ok())}};
}

}  // namespace consim
