// Assembly of report.json from the analyzers' state: see docs/report.md for
// every field. Overall, "else" and partition/no-partition figures are merges
// of the per-phase ones, so each event is counted once.
#include <string>
#include <vector>

#include "analysis/lost_writes.h"
#include "analysis/run_analysis.h"

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

nlohmann::json fault_names(const Phase& phase, const TraceNames& names) {
  nlohmann::json list = nlohmann::json::array();
  for (std::uint32_t f : phase.faults) {
    list.push_back(f < names.faults.size() ? names.faults[f] : "fault #" + std::to_string(f));
  }
  return list;
}

// Adds {"phase": name} to each per-phase entry.
nlohmann::json named(nlohmann::json entry, const std::string& name) {
  entry["phase"] = name;
  return entry;
}

}  // namespace

nlohmann::json RunAnalysis::build_report(const TraceNames& names, Time end) const {
  const std::vector<Phase>& phases = phases_.phases();
  const std::vector<std::string> phase_names = phases_.unique_names();
  const auto& timelines = replicas_.timelines();

  PhaseStats overall, no_fault;
  VisibilityCurve partitioned, not_partitioned;
  std::vector<std::string> no_fault_phases;
  nlohmann::json phase_list = nlohmann::json::array(), stale_phases = nlohmann::json::array(),
                 visibility_phases = nlohmann::json::array(),
                 message_phases = nlohmann::json::array(),
                 divergence_phases = nlohmann::json::array(),
                 behind_phases = nlohmann::json::array();
  double divergent_integral = 0, behind_integral = 0;
  std::uint64_t divergent_max = 0;
  for (std::size_t p = 0; p < phases.size(); ++p) {
    const Phase& phase = phases[p];
    const PhaseStats& stats = stats_[p];
    const std::string& name = phase_names[p];
    const Time length = phase.end - phase.start;
    overall.ops.merge(stats.ops);
    overall.reads.merge(stats.reads);
    overall.visibility.merge(stats.visibility);
    overall.messages.merge(stats.messages);
    (phase.partitioned() ? partitioned : not_partitioned).merge(stats.visibility);
    if (!phase.any_fault()) {
      no_fault.ops.merge(stats.ops);
      no_fault.reads.merge(stats.reads);
      no_fault_phases.push_back(name);
    }
    nlohmann::json entry = stats.ops.to_json();
    entry["name"] = name;
    entry["start_ms"] = to_ms(phase.start);
    entry["end_ms"] = to_ms(phase.end);
    entry["faults"] = fault_names(phase, names);
    phase_list.push_back(entry);
    stale_phases.push_back(named(stats.reads.to_json(), name));
    visibility_phases.push_back({{"phase", name},
                                 {"partitioned", phase.partitioned()},
                                 {"bins", stats.visibility.to_json()}});
    message_phases.push_back(named(stats.messages.to_json(stats.ops.completed(), names), name));
    const ReplicaTracker::PhaseTimeline timeline =
        p < timelines.size() ? timelines[p] : ReplicaTracker::PhaseTimeline{};
    divergent_integral += timeline.divergent_integral;
    behind_integral += timeline.behind_integral;
    divergent_max = std::max(divergent_max, timeline.divergent_max);
    divergence_phases.push_back(
        {{"phase", name},
         {"divergent_keys_max", timeline.divergent_max},
         {"divergent_keys_mean", mean_over(timeline.divergent_integral, length)}});
    behind_phases.push_back(
        {{"phase", name}, {"behind_fraction_mean", mean_over(timeline.behind_integral, length)}});
  }

  nlohmann::json report;
  report["format"] = "consim-report";
  report["version"] = 1;
  report["scenario"] = header_field(header_, "scenario");
  report["model"] = header_field(header_, "model");
  report["seed"] = header_field(header_, "seed");
  report["duration_ms"] = to_ms(end);
  report["complete"] = end_time_.has_value();

  report["overall"] = overall.ops.to_json();
  report["overall"]["unmatched_completions"] = unmatched_completions_;
  report["phases"] = phase_list;

  const bool applies = replicas_.seen_apply();
  const char* no_apply = "the trace has no apply lines (trace level ops, or a history)";
  report["staleness"] = {
      {"window_writes", writes_.window()},
      {"overall", overall.reads.to_json()},
      {"phases", stale_phases},
      {"replicas", applies
                       ? nlohmann::json{{"available", true},
                                        {"behind_fraction_mean", mean_over(behind_integral, end)},
                                        {"phases", behind_phases}}
                       : nlohmann::json{{"available", false}, {"reason", no_apply}}}};
  report["t_visibility"] = {
      {"window_writes", std::min(options_.visibility_window, writes_.window())},
      {"overall", overall.visibility.to_json()},
      {"during_partition", partitioned.to_json()},
      {"outside_partition", not_partitioned.to_json()},
      {"phases", visibility_phases}};
  report["convergence"] =
      applies ? nlohmann::json{{"available", true},
                               {"divergent_keys_max", divergent_max},
                               {"divergent_keys_mean", mean_over(divergent_integral, end)},
                               {"divergent_keys_at_end", replicas_.divergent_keys()},
                               {"phases", divergence_phases},
                               {"after_faults", replicas_.watches_json(names)}}
              : nlohmann::json{{"available", false}, {"reason", no_apply}};
  report["lost_writes"] = lost_writes_json(replicas_, writes_, names, phases.back().any_fault());
  report["messages"] = {{"overall", overall.messages.to_json(overall.ops.completed(), names)},
                        {"phases", message_phases}};
  report["cap"] = cap_.to_json(phases_.partitions(), names,
                               pacelc_else_json(no_fault_phases, no_fault.ops, no_fault.reads));
  report["checkers"] = nlohmann::json::object();
  return report;
}

}  // namespace consim
