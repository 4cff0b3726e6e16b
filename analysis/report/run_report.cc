// Assembly of report.json from the analyzers' state: see docs/report.md for
// every field. Overall, "else" and partition/no-partition figures are merges
// of the per-phase ones, so each event is counted once. The sections of the
// metrics in metric_registry.h are added last, each under its metric's name.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/metrics/lost_writes.h"
#include "analysis/report/metric_registry.h"
#include "analysis/report/run_analysis.h"

namespace consim {
namespace {

nlohmann::json header_field(const nlohmann::json& header, const char* name) {
  if (!header.is_object()) return nullptr;
  auto it = header.find(name);
  return it == header.end() ? nlohmann::json(nullptr) : *it;
}

nlohmann::json mean_over(double integral, Time duration) {
  if (duration <= 0) return nullptr;
  return integral / static_cast<double>(duration);
}

// How many divergent keys the report lists, with their replicas' values.
constexpr std::size_t kDivergentListed = 20;

nlohmann::json fault_names(const Phase& phase, const TraceNames& names) {
  nlohmann::json list = nlohmann::json::array();
  for (std::uint32_t f : phase.faults) {
    list.push_back(f < names.faults.size() ? names.faults[f] : "fault #" + std::to_string(f));
  }
  return list;
}

// Adds {"phase": name} to a per-phase entry.
nlohmann::json named(nlohmann::json entry, const std::string& name) {
  entry["phase"] = name;
  return entry;
}

const char* const kNoApply = "the trace has no apply lines (trace level ops, or a history)";

}  // namespace

// What the per-phase pass accumulates.
struct RunAnalysis::ReportParts {
  PhaseStats overall, no_fault;
  VisibilityCurve partitioned, not_partitioned;
  std::vector<std::string> no_fault_phases;
  nlohmann::json phases = nlohmann::json::array(), stale = nlohmann::json::array(),
                 visibility = nlohmann::json::array(), divergence = nlohmann::json::array(),
                 behind = nlohmann::json::array();
  double divergent_integral = 0, behind_integral = 0;
  std::uint64_t divergent_max = 0;
};

void RunAnalysis::collect_phase(std::size_t p, const std::string& name, const TraceNames& names,
                                ReportParts& parts) const {
  const Phase& phase = phases_.phases()[p];
  const PhaseStats& stats = stats_[p];
  parts.overall.ops.merge(stats.ops);
  parts.overall.reads.merge(stats.reads);
  parts.overall.visibility.merge(stats.visibility);
  (phase.partitioned() ? parts.partitioned : parts.not_partitioned).merge(stats.visibility);
  if (!phase.any_fault()) {
    parts.no_fault.ops.merge(stats.ops);
    parts.no_fault.reads.merge(stats.reads);
    parts.no_fault_phases.push_back(name);
  }
  nlohmann::json entry = stats.ops.to_json();
  entry["name"] = name;
  entry["start_ms"] = to_ms(phase.start);
  entry["end_ms"] = to_ms(phase.end);
  entry["faults"] = fault_names(phase, names);
  parts.phases.push_back(entry);
  parts.stale.push_back(named(stats.reads.to_json(), name));
  parts.visibility.push_back({{"phase", name},
                              {"partitioned", phase.partitioned()},
                              {"bins", stats.visibility.to_json()}});

  const auto& timelines = replicas_.timelines();
  const ReplicaTracker::PhaseTimeline timeline =
      p < timelines.size() ? timelines[p] : ReplicaTracker::PhaseTimeline{};
  const Time length = phase.end - phase.start;
  parts.divergent_integral += timeline.divergent_integral;
  parts.behind_integral += timeline.behind_integral;
  parts.divergent_max = std::max(parts.divergent_max, timeline.divergent_max);
  parts.divergence.push_back(
      {{"phase", name},
       {"divergent_keys_max", timeline.divergent_max},
       {"divergent_keys_mean", mean_over(timeline.divergent_integral, length)}});
  parts.behind.push_back(
      {{"phase", name}, {"behind_fraction_mean", mean_over(timeline.behind_integral, length)}});
}

nlohmann::json RunAnalysis::active_faults_json(const TraceNames& names) const {
  nlohmann::json list = nlohmann::json::array();
  for (std::uint32_t f : phases_.phases().back().faults) {
    const std::uint32_t kind = f < fault_kind_of_.size() ? fault_kind_of_[f] : kNone;
    list.push_back(
        {{"fault", f < names.faults.size() ? names.faults[f] : "fault #" + std::to_string(f)},
         {"kind", kind < names.fault_kinds.size() ? nlohmann::json(names.fault_kinds[kind])
                                                  : nlohmann::json(nullptr)}});
  }
  return list;
}

nlohmann::json RunAnalysis::build_report(const TraceNames& names, Time end) const {
  const std::vector<std::string> phase_names = phases_.unique_names();
  ReportParts parts;
  for (std::size_t p = 0; p < phase_names.size(); ++p) {
    collect_phase(p, phase_names[p], names, parts);
  }
  const bool applies = replicas_.seen_apply();
  const nlohmann::json not_measured = {{"available", false}, {"reason", kNoApply}};

  nlohmann::json report;
  report["format"] = "consim-report";
  report["version"] = 1;
  report["scenario"] = header_field(*header_, "scenario");
  report["model"] = header_field(*header_, "model");
  report["seed"] = header_field(*header_, "seed");
  report["duration_ms"] = to_ms(end);
  report["complete"] = end_time_.has_value();
  report["overall"] = parts.overall.ops.to_json();
  report["overall"]["unmatched_completions"] = unmatched_completions_;
  report["phases"] = parts.phases;
  report["staleness"] = {
      {"window_writes", writes_.window()},
      {"overall", parts.overall.reads.to_json()},
      {"phases", parts.stale},
      {"replicas",
       applies ? nlohmann::json{{"available", true},
                                {"behind_fraction_mean", mean_over(parts.behind_integral, end)},
                                {"phases", parts.behind}}
               : not_measured}};
  report["t_visibility"] = {
      {"window_writes", std::min(options_.visibility_window, writes_.window())},
      {"overall", parts.overall.visibility.to_json()},
      {"during_partition", parts.partitioned.to_json()},
      {"outside_partition", parts.not_partitioned.to_json()},
      {"phases", parts.visibility}};
  report["convergence"] =
      applies
          ? nlohmann::json{{"available", true},
                           {"divergent_keys_max", parts.divergent_max},
                           {"divergent_keys_mean", mean_over(parts.divergent_integral, end)},
                           {"divergent_keys_at_end", replicas_.divergent_keys()},
                           {"phases", parts.divergence},
                           {"after_faults", replicas_.watches_json(names)},
                           {"divergent_at_end", replicas_.divergent_json(names, kDivergentListed)},
                           {"faults_active_at_end", active_faults_json(names)}}
          : not_measured;
  const LostWriteFindings lost = find_lost_writes(replicas_, writes_);
  report["lost_writes"] =
      lost_writes_json(lost, replicas_, names, phases_.phases().back().any_fault());
  report["cap"] = cap_.to_json(
      phases_.partitions(), names,
      pacelc_else_json(parts.no_fault_phases, parts.no_fault.ops, parts.no_fault.reads));
  report["checkers"] = nlohmann::json::object();
  MetricContext ctx = context(names);
  ctx.phase_names = &phase_names;
  ctx.end = end;
  ctx.complete = end_time_.has_value();
  ctx.lost_writes = &lost;
  const auto registry = metric_registry();
  for (std::size_t m = 0; m < metrics_.size(); ++m)
    report[std::string(registry[m].name)] = metrics_[m]->report(ctx);
  return report;
}

}  // namespace consim
