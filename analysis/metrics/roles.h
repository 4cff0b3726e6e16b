// Who acts as leader, from role lines and node faults: the state the
// failover and elections metrics and the timeline share (each keeps its own
// tracker, as metric.h asks).
//
// A node *leads* from a role line whose role is "leader" or "primary" (the
// one that takes writes) until its next role line with another role or
// another term, or until a crash of the node (a fault line with "down"),
// which ends every role without a role line (docs/trace-format.md). Each
// such interval is a Reign. A node that is paused (a fault of kind "pause")
// still believes it leads, so its reign goes on, but it does not *act*: the
// acting leaders are the leading nodes that are not paused. Time with two or
// more acting leaders and time with none (counted from the first reign on)
// are integrated as the lines come.
// Worked example: n1 leads term 1 from 0; n1 is paused at 5 s; n2 leads term
// 2 from 6 s; n1 resumes at 9 s and steps down (role follower) at 9.5 s.
// Reigns: n1 term 1 [0, 9.5 s), n2 term 2 [6 s, end). No acting leader
// [5 s, 6 s): 1 s; two acting leaders [9 s, 9.5 s): 0.5 s.
//
// Memory grows with the number of reigns and of such intervals (leadership
// changes), never with operations or messages.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/trace/trace_event.h"
#include "base/time.h"

namespace consim {

// Why a leadership section is not available.
inline constexpr const char* kNoRoleLines =
    "the trace has no role lines (the model elects no leader)";

struct Reign {
  std::uint32_t node = kNone;
  std::uint32_t role = kNone;  // interned role name ("leader" or "primary")
  std::int64_t term = 0;
  Time start = 0;
  std::optional<Time> end;  // none: still leading at the end of the run
  std::uint64_t line = 0;   // the role line that began it
  bool ended_by_crash = false;
};

// An interval in which the number of acting leaders met a condition.
struct LeaderGap {
  Time start = 0;
  std::optional<Time> end;           // none: lasted to the end of the run
  std::vector<std::uint32_t> nodes;  // the acting leaders when it began
};

class RoleTracker {
 public:
  // Feed every event; role lines and fault lines change the state.
  void on_event(const TraceEvent& event, const TraceNames& names);
  // Closes the open intervals' integrals at `end` (open reigns keep no end).
  void finish(Time end);

  bool seen_roles() const { return seen_roles_; }
  const std::vector<Reign>& reigns() const { return reigns_; }
  // The reign `node` is in now, if it leads.
  std::optional<std::size_t> open_reign(std::uint32_t node) const;
  // Intervals with no acting leader (after the first reign), and with two or
  // more; total time of each, up to finish()'s end.
  const std::vector<LeaderGap>& leaderless() const { return leaderless_; }
  const std::vector<LeaderGap>& several() const { return several_; }
  Time leaderless_time() const { return leaderless_time_; }
  Time several_time() const { return several_time_; }

  static bool is_leading_role(std::string_view role) {
    return role == "leader" || role == "primary";
  }

 private:
  struct NodeState {
    std::optional<std::size_t> reign;
    bool paused = false;
  };
  NodeState& node(std::uint32_t id);
  void on_role(const TraceEvent& event, const TraceNames& names);
  void end_reign(std::uint32_t id, Time now, bool crash);
  std::vector<std::uint32_t> acting() const;
  // Integrates up to `now`, then opens or closes intervals for the new count.
  void update(Time now);

  std::vector<NodeState> nodes_;
  std::vector<Reign> reigns_;
  std::vector<LeaderGap> leaderless_, several_;
  Time leaderless_time_ = 0, several_time_ = 0;
  Time last_ = 0;
  std::size_t count_ = 0;  // acting leaders since last_
  bool seen_roles_ = false, led_ = false;
};

// For the report sections built on a RoleTracker.
inline constexpr std::size_t kGapsListed = 100;
std::string role_node_name(std::uint32_t node, const TraceNames& names);
// {"total_ms", "count", "listed": [{"start_ms", "end_ms" (null: to the end),
// "nodes" (with `with_nodes`)}]}: the first kGapsListed intervals.
nlohmann::json gaps_json(const std::vector<LeaderGap>& gaps, Time total, const TraceNames& names,
                         bool with_nodes);
// [{"node", "role", "term", "start_ms", "end_ms" (null: to the end)}], in
// start order: what the timeline draws.
nlohmann::json reigns_json(const std::vector<Reign>& reigns, const TraceNames& names);

}  // namespace consim
