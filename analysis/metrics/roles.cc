// Leadership from role lines and node faults: see roles.h.
#include "analysis/metrics/roles.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace consim {
namespace {

// Ends the open interval at `now`; one that lasted no time is dropped, so
// the order of two role lines at one instant does not matter.
void close(std::vector<LeaderGap>& gaps, Time now) {
  if (gaps.back().start == now)
    gaps.pop_back();
  else
    gaps.back().end = now;
}

bool open(const std::vector<LeaderGap>& gaps) { return !gaps.empty() && !gaps.back().end; }

}  // namespace

RoleTracker::NodeState& RoleTracker::node(std::uint32_t id) {
  if (id >= nodes_.size()) nodes_.resize(std::size_t{id} + 1);
  return nodes_[id];
}

std::optional<std::size_t> RoleTracker::open_reign(std::uint32_t id) const {
  return id < nodes_.size() ? nodes_[id].reign : std::nullopt;
}

void RoleTracker::on_event(const TraceEvent& event, const TraceNames& names) {
  if (event.type == EventType::Role && event.node != kNone && event.role != kNone) {
    on_role(event, names);
    return;
  }
  if (event.type != EventType::Fault || event.node == kNone) return;
  if (event.down && !event.fault_end) {
    node(event.node).paused = false;
    end_reign(event.node, event.time, true);
  } else if (event.fault_kind < names.fault_kinds.size() &&
             names.fault_kinds[event.fault_kind] == "pause") {
    node(event.node).paused = !event.fault_end;
  } else {
    return;
  }
  update(event.time);
}

void RoleTracker::on_role(const TraceEvent& event, const TraceNames& names) {
  seen_roles_ = true;
  NodeState& state = node(event.node);
  const bool leading = is_leading_role(names.roles[event.role]);
  if (state.reign) {
    const Reign& r = reigns_[*state.reign];
    if (leading && r.term == event.term && r.role == event.role) return;  // no change
    end_reign(event.node, event.time, false);
  }
  if (leading) {
    state.reign = reigns_.size();
    reigns_.push_back(
        Reign{event.node, event.role, event.term, event.time, std::nullopt, event.line, false});
  }
  update(event.time);
}

void RoleTracker::end_reign(std::uint32_t id, Time now, bool crash) {
  NodeState& state = node(id);
  if (!state.reign) return;
  reigns_[*state.reign].end = now;
  reigns_[*state.reign].ended_by_crash = crash;
  state.reign.reset();
}

std::vector<std::uint32_t> RoleTracker::acting() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t id = 0; id < nodes_.size(); ++id)
    if (nodes_[id].reign && !nodes_[id].paused) out.push_back(id);
  return out;
}

void RoleTracker::update(Time now) {
  finish(now);
  const std::vector<std::uint32_t> leaders = acting();
  if (!leaders.empty()) led_ = true;
  const bool none = led_ && leaders.empty();
  if (none && !open(leaderless_)) leaderless_.push_back(LeaderGap{now, std::nullopt, {}});
  if (!none && open(leaderless_)) close(leaderless_, now);
  const bool many = leaders.size() >= 2;
  if (many && !open(several_)) {
    several_.push_back(LeaderGap{now, std::nullopt, leaders});
  } else if (many) {  // still two or more: every node that took part
    std::vector<std::uint32_t>& nodes = several_.back().nodes;
    for (std::uint32_t n : leaders)
      if (std::find(nodes.begin(), nodes.end(), n) == nodes.end()) nodes.push_back(n);
    std::sort(nodes.begin(), nodes.end());
  }
  if (!many && open(several_)) close(several_, now);
  count_ = leaders.size();
}

void RoleTracker::finish(Time end) {
  const Time span = std::max<Time>(0, end - last_);
  if (led_ && count_ == 0) leaderless_time_ += span;
  if (count_ >= 2) several_time_ += span;
  last_ = std::max(last_, end);
}

std::string role_node_name(std::uint32_t node, const TraceNames& names) {
  return node < names.nodes.size() ? names.nodes[node] : "node #" + std::to_string(node);
}

namespace {
nlohmann::json end_json(const std::optional<Time>& end) {
  return end ? nlohmann::json(to_ms(*end)) : nlohmann::json(nullptr);
}
}  // namespace

nlohmann::json gaps_json(const std::vector<LeaderGap>& gaps, Time total, const TraceNames& names,
                         bool with_nodes) {
  nlohmann::json listed = nlohmann::json::array();
  for (std::size_t i = 0; i < gaps.size() && i < kGapsListed; ++i) {
    nlohmann::json entry = {{"start_ms", to_ms(gaps[i].start)}, {"end_ms", end_json(gaps[i].end)}};
    if (with_nodes) {
      nlohmann::json nodes = nlohmann::json::array();
      for (std::uint32_t n : gaps[i].nodes) nodes.push_back(role_node_name(n, names));
      entry["nodes"] = std::move(nodes);
    }
    listed.push_back(std::move(entry));
  }
  return {{"total_ms", to_ms(total)}, {"count", gaps.size()}, {"listed", std::move(listed)}};
}

nlohmann::json reigns_json(const std::vector<Reign>& reigns, const TraceNames& names) {
  nlohmann::json out = nlohmann::json::array();
  for (const Reign& r : reigns)
    out.push_back({{"node", role_node_name(r.node, names)},
                   {"role", r.role < names.roles.size() ? names.roles[r.role] : ""},
                   {"term", r.term},
                   {"start_ms", to_ms(r.start)},
                   {"end_ms", end_json(r.end)}});
  return out;
}

}  // namespace consim
