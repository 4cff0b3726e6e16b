// The network's shape: the nodes, the link of each ordered pair (a latency
// distribution, a loss and a duplication probability), the cuts of the
// active partitions, and how messages travel (TopologySpec::routing).
//
// Invariants:
//  - Vertex i is NodeId i, named Scenario::nodes[i].name.
//  - Direct routing (the default): nodes are hosts, not routers. A message
//    from a to b takes the link a -> b and nothing else; (a, b) is reachable
//    iff that link exists and the pair is not blocked. Nothing is stored per
//    route, so building costs one entry per ordered pair and no search.
//  - Shortest-path routing: a message from a to b travels the shortest route
//    (by mean latency, ties broken by node order) over links that are not
//    blocked, relayed only by nodes that can relay (up and not paused; see
//    set_relay()), and is delivered only if the pair (a, b) itself is not
//    blocked. The ends of a route may be down: the message then meets the
//    node's liveness on arrival. Routes come from Boost's Dijkstra, one
//    source at a time, computed when first asked for after a change of cuts
//    or relays; nothing is searched per message.
//  - Sampling a transit draws from the given stream a fixed number of times
//    per link on the route, so runs are reproducible.
//  - sides() depends on the cuts only, never on which nodes are up.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/rng.h"
#include "base/time.h"
#include "sim/scenario.h"

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

  Routing routing() const;

  // Installs the union of the active partitions' cuts.
  void set_blocked(const BlockMatrix& blocked);
  const BlockMatrix& blocked() const;
  // Whether `node` may relay messages (shortest-path routing): false while
  // it is crashed or paused. Returns true when routes may have changed
  // (shortest-path routing and a changed value); all nodes relay at first.
  bool set_relay(NodeIndex node, bool can_relay);
  // The pair is not blocked and a route exists over unblocked links (and
  // relays that can relay).
  bool reachable(NodeIndex from, NodeIndex to) const;
  // Why reachable(from, to) is false: the cuts alone leave no way (true),
  // or only relays that are down stand in the way (false).
  bool cut_off(NodeIndex from, NodeIndex to) const;
  // The route's hops, from included, to included; empty if unreachable.
  std::vector<NodeIndex> route(NodeIndex from, NodeIndex to) const;
  // Samples latency, loss and duplication along the current route. Requires
  // reachable(from, to). A lost message still consumes its draws.
  Transit sample_transit(NodeIndex from, NodeIndex to, Rng& rng) const;
  // The sides of the current cuts: the largest groups of nodes in which
  // every two reach each other both ways (maximal cliques of mutual
  // reachability, Bron-Kerbosch on the graph with twins merged: nodes with
  // the same neighbours are on the same sides), each sorted by id, in
  // lexicographic order.
  // A node can be on several sides: a bridge's middle node is on both, and
  // in a majorities ring every pair of neighbours is a side. Examples on
  // n1..n5: groups {n1 n2} {n3 n4 n5} -> [0 1] [2 3 4]; bridge through n3 ->
  // [0 1 2] [2 3 4]. Past kMaxCliqueSides cliques (only contrived one-way
  // cuts get there), the strongly connected components of reachability.
  std::vector<std::vector<NodeIndex>> sides() const;
  static constexpr std::size_t kMaxCliqueSides = 256;

  // Opaque here; defined in sim/topology_impl.h for the topology's own files.
  struct Impl;

 private:
  Impl* impl_;
};

}  // namespace consim
