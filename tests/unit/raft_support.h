// Helpers for raft tests on a hand-driven cluster: let time pass with every
// message delivered at once except those crossing a cut, and read who leads
// from the role lines the model announced.
#pragma once

#include <optional>
#include <set>

#include "tests/unit/model_checks.h"

namespace consim::testing {

// True for a message between `side` and the rest (both ways).
inline FakeCluster::Filter crosses(std::set<NodeId> side) {
  return [side](const SentMessage& m) { return side.contains(m.from) != side.contains(m.to); };
}

// Lets `dt` pass in 1ms steps; in each, every message in flight (and every
// one it causes) is delivered, except those crossing the cut around `side`,
// which are lost.
inline void run_for(FakeCluster& c, Time dt, const std::set<NodeId>& side = {}) {
  for (Time t = 0; t < dt; t += kMillisecond) {
    for (int guard = 0; !c.in_flight.empty(); ++guard) {
      if (guard > 10'000) throw std::runtime_error("run_for: messages never stop");
      c.drop(crosses(side));
      c.deliver(any_message());
    }
    c.advance(kMillisecond);
  }
}

// What node n last announced: its role and term.
inline std::optional<RecordedRole> last_role(const FakeCluster& c, NodeId n) {
  std::optional<RecordedRole> last;
  for (const auto& r : c.roles)
    if (r.node == n) last = r;
  return last;
}

// The node among `among` (all nodes if empty) that last announced
// "leader" with the highest term, if any.
inline std::optional<NodeId> leader_among(const FakeCluster& c, std::set<NodeId> among = {}) {
  std::optional<NodeId> best;
  std::uint64_t term = 0;
  for (NodeId n = 0; n < c.size(); ++n) {
    if (!among.empty() && !among.contains(n)) continue;
    auto r = last_role(c, n);
    if (r && r->role == "leader" && (!best || r->term > term)) {
      best = n;
      term = r->term;
    }
  }
  return best;
}

// Runs until some node of `among` leads (at most 5 s); returns it.
inline NodeId elect(FakeCluster& c, const std::set<NodeId>& side = {},
                    std::set<NodeId> among = {}) {
  for (int ms = 0; ms < 5000; ++ms) {
    if (auto l = leader_among(c, among)) return *l;
    run_for(c, kMillisecond, side);
  }
  throw std::runtime_error("elect: no leader within 5 s");
}

// At most one node announced "leader" for each term.
inline bool one_leader_per_term(const FakeCluster& c) {
  std::map<std::uint64_t, std::set<NodeId>> leaders;
  for (const auto& r : c.roles)
    if (r.role == "leader") leaders[r.term].insert(r.node);
  for (const auto& [term, nodes] : leaders)
    if (nodes.size() > 1) return false;
  return true;
}

}  // namespace consim::testing
