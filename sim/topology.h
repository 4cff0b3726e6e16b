// The network's shape: a Boost.Graph directed graph (vecS, so iteration
// order is the node order) whose vertices are the nodes and whose edges are
// links, each with a latency distribution, a loss and a duplication
// probability.
//
// Invariants:
//  - Vertex i is NodeId i, named Scenario::nodes[i].name.
//  - A message from a to b travels the current shortest route (by mean
//    latency, ties broken by node order) over links that are not blocked,
//    and is delivered only if the pair (a, b) itself is not blocked. Routes
//    are recomputed by set_blocked(), never on the hot path.
//  - Sampling a transit draws from the given stream a fixed number of times
//    per link on the route, so runs are reproducible.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/rng.h"
#include "sim/scenario.h"
#include "sim/time.h"

namespace consim {

using NodeIndex = std::uint32_t;

// blocked[a][b]: a cannot send to b. Square, node_count x node_count.
using BlockMatrix = std::vector<std::vector<bool>>;

struct Transit {
  bool lost = false;
  Time latency = 0;                       // for the first copy
  std::optional<Time> duplicate_latency;  // set when a second copy is delivered
};

class Topology {
 public:
  // Builds the graph from the scenario's nodes and topology spec. The spec
  // was validated by the loader (names exist, regions cover every node).
  Topology(const std::vector<NodeSpec>& nodes, const TopologySpec& spec);
  ~Topology();
  Topology(Topology&&) noexcept;
  Topology& operator=(Topology&&) noexcept;

  std::size_t node_count() const;
  const std::string& name(NodeIndex id) const;
  std::optional<NodeIndex> find(std::string_view name) const;

  // Installs the union of the active partitions' cuts and recomputes routes.
  void set_blocked(const BlockMatrix& blocked);
  const BlockMatrix& blocked() const;
  // The pair is not blocked and a route exists over unblocked links.
  bool reachable(NodeIndex from, NodeIndex to) const;
  // The route's hops, from included, to included; empty if unreachable.
  std::vector<NodeIndex> route(NodeIndex from, NodeIndex to) const;
  // Samples latency, loss and duplication along the current route. Requires
  // reachable(from, to). A lost message still consumes its draws.
  Transit sample_transit(NodeIndex from, NodeIndex to, Rng& rng) const;
  // Groups of nodes that can reach each other both ways (strongly connected
  // components of reachability), each sorted by id, ordered by first id.
  std::vector<std::vector<NodeIndex>> sides() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace consim
