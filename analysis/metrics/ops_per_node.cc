// The "ops_per_node" section of report.json: operations per node per phase,
// counted at completion and attributed to the phase of their invoke and to
// the node the client addressed (metric.h). Shows where the load went when a
// fault moved clients to their fallback nodes.
//   {"phases": [{"phase": "before", "nodes": {"n1": {"ok", "fail", "info",
//     "total"}, ...}}, ...]}
// Nodes are keyed by name (so sorted by name); a node with no
// operation in a phase is left out of that phase. Operations of a history
// with no node are counted under "-".
// Worked example: n1 and n2 serve 40 operations each before n2 crashes; its
// clients fall back to n1 during the crash: "during crash-n2" shows n1 with
// about 80 and no n2.
#include <nlohmann/json.hpp>

#include "analysis/metrics/metric.h"
#include "analysis/metrics/op_stats.h"

namespace consim {
namespace {

class OpsPerNodeMetric final : public Metric {
 public:
  void on_complete(const CompletedOp& op, const MetricContext&) override {
    if (op.phase >= counts_.size()) counts_.resize(op.phase + 1);
    std::vector<OutcomeCounts>& nodes = counts_[op.phase];
    const std::size_t slot = op.node == kNone ? 0 : std::size_t{op.node} + 1;
    if (slot >= nodes.size()) nodes.resize(slot + 1);
    nodes[slot].add(op.outcome);
  }

  nlohmann::json report(const MetricContext& context) const override {
    nlohmann::json phases = nlohmann::json::array();
    const std::vector<std::string>& names = *context.phase_names;
    for (std::size_t p = 0; p < names.size(); ++p) {
      nlohmann::json nodes = nlohmann::json::object();
      if (p < counts_.size()) {
        for (std::size_t slot = 0; slot < counts_[p].size(); ++slot) {
          const OutcomeCounts& c = counts_[p][slot];
          if (c.total() == 0) continue;
          nodes[node_name(slot, context.names)] = {
              {"ok", c.ok}, {"fail", c.fail}, {"info", c.info}, {"total", c.total()}};
        }
      }
      phases.push_back({{"phase", names[p]}, {"nodes", std::move(nodes)}});
    }
    return {{"phases", std::move(phases)}};
  }

 private:
  static std::string node_name(std::size_t slot, const TraceNames& names) {
    if (slot == 0) return "-";
    const std::size_t node = slot - 1;
    return node < names.nodes.size() ? names.nodes[node] : "node #" + std::to_string(node);
  }
  std::vector<std::vector<OutcomeCounts>> counts_;  // [phase][node + 1]
};

}  // namespace

std::unique_ptr<Metric> make_ops_per_node_metric() { return std::make_unique<OpsPerNodeMetric>(); }

}  // namespace consim
