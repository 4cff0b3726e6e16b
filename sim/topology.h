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

#include "base/rng.h"
#include "sim/scenario.h"
#include "base/time.h"

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
  // The sides of the current cuts: the largest groups of nodes in which
  // every two reach each other both ways (maximal cliques of mutual
  // reachability, Bron-Kerbosch), each sorted by id, in lexicographic order.
  // A node can be on several sides: a bridge's middle node is on both, and
  // in a majorities ring every pair of neighbours is a side. Examples on
  // n1..n5: groups {n1 n2} {n3 n4 n5} -> [0 1] [2 3 4]; bridge through n3 ->
  // [0 1 2] [2 3 4]. Past kMaxCliqueSides cliques (only contrived one-way
  // cuts get there), the strongly connected components of reachability.
  std::vector<std::vector<NodeIndex>> sides() const;
  static constexpr std::size_t kMaxCliqueSides = 256;

 private:
  std::vector<std::vector<NodeIndex>> components_of_reachability() const;

  struct Impl;
  Impl* impl_;
};

}  // namespace consim
