// The "groups" section of report.json: operations and stale reads per
// client group, when the trace header lists groups (a scenario whose
// `clients` is a list of groups); an empty list otherwise.
//   {"groups": [{"name", "clients": [first, last], "nodes": [...],
//     "ops": {"read", "write", "all"} as in a phase (op_stats.h),
//     "staleness": as in a phase (staleness.h)}]}
// An operation belongs to the group of its client: the invoke line's
// "client", else process mod the number of clients (the trace's process
// numbering, docs/trace-format.md). Operations of no group (a client number
// past the groups) are not counted here.
// Worked example: writers at n1 and readers at n2 under eventual-async:
// the readers' group shows reads only, some of them stale; the writers'
// group shows writes only and no stale read.
#include <nlohmann/json.hpp>

#include "analysis/metrics/metric.h"
#include "analysis/metrics/op_stats.h"
#include "analysis/metrics/staleness.h"

namespace consim {
namespace {

struct Group {
  std::string name;
  std::uint64_t first = 0, count = 0;  // clients first .. first + count - 1
  std::vector<std::string> nodes;
  OpStats ops;
  StaleStats staleness;
};

class GroupsMetric final : public Metric {
 public:
  void on_complete(const CompletedOp& op, const MetricContext& context) override {
    if (!read_header_) load(context.header);
    if (client_group_.empty()) return;
    if (op.client == kNone && op.process < 0) return;
    const std::uint64_t client =
        op.client != kNone ? op.client
                           : static_cast<std::uint64_t>(op.process) % client_group_.size();
    if (client >= client_group_.size()) return;
    Group& g = groups_[client_group_[client]];
    g.ops.add(op.f, op.outcome, op.latency);
    if (op.read) g.staleness.add(*op.read);
  }

  nlohmann::json report(const MetricContext& context) const override {
    if (read_header_) return groups_json();
    GroupsMetric no_ops;  // no operation completed: the groups, all zero
    no_ops.load(context.header);
    return no_ops.groups_json();
  }

 private:
  nlohmann::json groups_json() const {
    nlohmann::json out = nlohmann::json::array();
    for (const Group& g : groups_) {
      out.push_back({{"name", g.name},
                     {"clients", {g.first, g.first + g.count - 1}},
                     {"nodes", g.nodes},
                     {"ops", g.ops.to_json()},
                     {"staleness", g.staleness.to_json()}});
    }
    return {{"groups", std::move(out)}};
  }

  // The header's "groups": [{"name", "first_client", "count", "nodes"}].
  // Entries without first_client and count as integers, or not following
  // the previous one, are left out; a name or node that is not a string
  // reads as "" or is skipped (a header written by hand is not trusted).
  void load(const nlohmann::json& header) {
    read_header_ = true;
    if (!header.is_object() || !header.contains("groups") || !header["groups"].is_array()) return;
    for (const auto& g : header["groups"]) {
      if (!g.is_object() || !g.contains("first_client") || !g.contains("count") ||
          !g["first_client"].is_number_unsigned() || !g["count"].is_number_unsigned())
        continue;
      const auto first = g["first_client"].get<std::uint64_t>();
      const auto count = g["count"].get<std::uint64_t>();
      if (count == 0 || first != client_group_.size() || count > kMaxClients - first) continue;
      client_group_.resize(first + count, static_cast<std::uint32_t>(groups_.size()));
      Group group;
      group.first = first;
      group.count = count;
      if (g.contains("name") && g["name"].is_string()) group.name = g["name"].get<std::string>();
      if (g.contains("nodes") && g["nodes"].is_array())
        for (const auto& n : g["nodes"])
          if (n.is_string()) group.nodes.push_back(n.get<std::string>());
      groups_.push_back(std::move(group));
    }
  }

  static constexpr std::uint64_t kMaxClients = 1'000'000;  // a bound on a hostile header
  bool read_header_ = false;
  std::vector<Group> groups_;
  std::vector<std::uint32_t> client_group_;  // by client
};

}  // namespace

std::unique_ptr<Metric> make_groups_metric() { return std::make_unique<GroupsMetric>(); }

}  // namespace consim
