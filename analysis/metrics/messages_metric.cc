// The "messages" section of report.json: messages and bytes sent and dropped,
// per kind and per completed operation, overall and per phase (metric.h).
// Network lines are written only at trace level "full"; a trace that does
// not say its level has them if any was seen. Overall figures are the merge
// of the per-phase ones, so each line is counted once.
#include <nlohmann/json.hpp>

#include "analysis/metrics/message_stats.h"
#include "analysis/metrics/metric.h"

namespace consim {
namespace {

const char* const kNoNetwork =
    "the trace has no network lines (trace level ops or state, or a history)";

bool network_measured(const nlohmann::json& header, const nlohmann::json& overall) {
  if (header.is_object() && header.contains("level")) return header["level"] == "full";
  return overall.value("messages", 0) > 0 || overall.value("dropped", 0) > 0;
}

class MessagesMetric final : public Metric {
 public:
  void on_event(const TraceEvent& event, const MetricContext& context) override {
    if (event.type == EventType::Send) {
      phase(context.phases.current()).stats.add_send(event.kind, event.bytes);
    } else if (event.type == EventType::Drop) {
      phase(context.phases.current()).stats.add_drop();
    }
  }

  void on_complete(const CompletedOp& op, const MetricContext&) override {
    ++phase(op.phase).completed;
  }

  nlohmann::json report(const MetricContext& context) const override {
    PhaseMessages overall;
    nlohmann::json phases = nlohmann::json::array();
    const std::vector<std::string>& names = *context.phase_names;
    for (std::size_t p = 0; p < names.size(); ++p) {
      const PhaseMessages one = p < phases_.size() ? phases_[p] : PhaseMessages{};
      overall.stats.merge(one.stats);
      overall.completed += one.completed;
      nlohmann::json entry = one.stats.to_json(one.completed, context.names);
      entry["phase"] = names[p];
      phases.push_back(std::move(entry));
    }
    nlohmann::json messages = overall.stats.to_json(overall.completed, context.names);
    const bool measured = network_measured(context.header, messages);
    nlohmann::json section = {
        {"available", measured}, {"overall", std::move(messages)}, {"phases", std::move(phases)}};
    if (!measured) section["reason"] = kNoNetwork;
    return section;
  }

 private:
  struct PhaseMessages {
    MessageStats stats;
    std::uint64_t completed = 0;
  };
  PhaseMessages& phase(std::size_t p) {
    if (p >= phases_.size()) phases_.resize(p + 1);
    return phases_[p];
  }
  std::vector<PhaseMessages> phases_;  // by phase index
};

}  // namespace

std::unique_ptr<Metric> make_messages_metric() { return std::make_unique<MessagesMetric>(); }

}  // namespace consim
