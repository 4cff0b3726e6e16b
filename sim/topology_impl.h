// Internals of Topology, shared by topology.cc (links, direct routing,
// transit), topology_routes.cc (shortest-path routes) and topology_sides.cc
// (the sides of the cuts). Included by those three files only, so Boost.Graph
// stays out of topology.h.
//
// Invariants: link_of has one entry per ordered pair (kNoLink or an index
// into specs); blocked is n x n; relays has n entries; graph holds every
// link (for shortest-path routing only, empty under direct routing);
// routes[s] is either empty (not computed since the last change of cuts or
// relays) or holds one route per destination.
#pragma once

#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "sim/topology.h"

namespace consim {

inline constexpr std::uint32_t kNoLink = std::numeric_limits<std::uint32_t>::max();

struct EdgeProps {
  double weight = 0;  // the link's mean latency, negatives as 0
};

using LinkGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                        boost::no_property, EdgeProps>;

struct Topology::Impl {
  std::vector<std::string> names;
  std::map<std::string, NodeIndex> ids;
  Routing routing = Routing::Direct;
  std::vector<LinkSpec> specs;         // each distinct link once
  std::vector<std::uint32_t> link_of;  // [from * n + to]: index into specs, or kNoLink
  BlockMatrix blocked;
  std::vector<bool> relays;  // relays[v]: v may relay (shortest-path routing)
  LinkGraph graph;
  mutable std::vector<std::vector<std::vector<NodeIndex>>> routes;  // [source][to]

  std::size_t n() const { return names.size(); }
  bool has_link(NodeIndex from, NodeIndex to) const { return link_of[from * n() + to] != kNoLink; }
  const LinkSpec& link(NodeIndex from, NodeIndex to) const {
    return specs[link_of[from * n() + to]];
  }
  // The link exists and the pair is not blocked.
  bool open(NodeIndex from, NodeIndex to) const { return has_link(from, to) && !blocked[from][to]; }

  // topology_routes.cc
  void build_graph();
  const std::vector<NodeIndex>& shortest_route(NodeIndex from, NodeIndex to) const;
  // Some path of open links leads from `from` to `to`, whatever the relays.
  bool path_ignoring_relays(NodeIndex from, NodeIndex to) const;
};

}  // namespace consim
