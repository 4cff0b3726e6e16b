// Shortest-path routes (TopologySpec::routing "shortest-path"); see
// topology.h.
//
// For a source s, Boost's Dijkstra runs on the graph filtered to the open
// links that s may use: a link u -> v is usable unless blocked[u][v], and
// unless u is a relay that cannot relay (crashed or paused); s itself may
// always send. The cost of a path is (sum of link mean latencies, hop count)
// compared lexicographically. Ties are broken by node order: walking back
// from the destination, the previous hop is the lowest-numbered node u with
// cost(u) + link(u, v) == cost(v). Worked example: ring 0-1-2-3-0 with all
// links 1ms; 0 -> 2 costs (2ms, 2) through 1 or through 3; the previous hop
// is min(1, 3) = 1, so the route is 0, 1, 2. With 1 paused the route is
// 0, 3, 2. A route to a pair that is itself blocked is empty.
//
// Routes from a source are computed the first time a message from it needs
// one after the cuts or the relays changed (Topology::Impl::routes[s] is
// cleared then), so a change costs nothing until it is used, and a run
// searches only from the sources that send.
#include <algorithm>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "sim/topology_impl.h"

namespace consim {
namespace {

using Edge = boost::graph_traits<LinkGraph>::edge_descriptor;

// A link the source may use; see the file comment.
struct LinkOpen {
  const Topology::Impl* impl = nullptr;
  NodeIndex source = 0;
  bool use_relays = true;  // false: every node relays (the cuts alone)
  bool operator()(const Edge& e) const {
    auto u = static_cast<NodeIndex>(boost::source(e, impl->graph));
    auto v = static_cast<NodeIndex>(boost::target(e, impl->graph));
    if (impl->blocked[u][v]) return false;
    return !use_relays || u == source || impl->relays[u];
  }
};
using OpenGraph = boost::filtered_graph<LinkGraph, LinkOpen>;

// filtered_graph wants a mutable graph but only reads it.
OpenGraph open_graph(const Topology::Impl& impl, NodeIndex source, bool use_relays) {
  return OpenGraph(const_cast<LinkGraph&>(impl.graph), LinkOpen{&impl, source, use_relays});
}

struct PathCost {
  double latency = 0;
  std::uint32_t hops = 0;
  bool operator==(const PathCost&) const = default;
};
struct CostLess {
  bool operator()(const PathCost& x, const PathCost& y) const {
    return x.latency < y.latency || (x.latency == y.latency && x.hops < y.hops);
  }
};
struct CostPlusLink {
  PathCost operator()(const PathCost& d, double w) const { return {d.latency + w, d.hops + 1}; }
};
const PathCost kUnreached{std::numeric_limits<double>::infinity(),
                          std::numeric_limits<std::uint32_t>::max()};

std::vector<PathCost> costs_from(const OpenGraph& open, NodeIndex source, std::size_t n) {
  std::vector<PathCost> cost(n, kUnreached);
  auto index = boost::get(boost::vertex_index, open);
  boost::dijkstra_shortest_paths(open, source, boost::dummy_property_map(),
                                 boost::make_iterator_property_map(cost.begin(), index),
                                 boost::get(&EdgeProps::weight, open), index, CostLess{},
                                 CostPlusLink{}, kUnreached, PathCost{},
                                 boost::make_dijkstra_visitor(boost::null_visitor()));
  return cost;
}

NodeIndex previous_hop(NodeIndex v, const std::vector<PathCost>& cost, const OpenGraph& open) {
  std::optional<NodeIndex> best;
  for (auto [it, end] = boost::in_edges(v, open); it != end; ++it) {
    auto u = static_cast<NodeIndex>(boost::source(*it, open));
    if (cost[u] == kUnreached || (best && *best <= u)) continue;
    if (CostPlusLink{}(cost[u], open[*it].weight) == cost[v]) best = u;
  }
  if (!best) {
    std::fprintf(stderr, "consim: broken invariant in topology: no previous hop to %u\n", v);
    std::abort();
  }
  return *best;
}

}  // namespace

void Topology::Impl::build_graph() {
  graph = LinkGraph(n());
  for (NodeIndex a = 0; a < n(); ++a) {
    for (NodeIndex b = 0; b < n(); ++b) {
      if (!has_link(a, b)) continue;
      double mean = link(a, b).latency.mean();
      boost::add_edge(a, b, EdgeProps{mean > 0 ? mean : 0.0}, graph);
    }
  }
}

const std::vector<NodeIndex>& Topology::Impl::shortest_route(NodeIndex from, NodeIndex to) const {
  std::vector<std::vector<NodeIndex>>& from_source = routes[from];
  if (from_source.empty()) {
    OpenGraph open = open_graph(*this, from, true);
    std::vector<PathCost> cost = costs_from(open, from, n());
    from_source.assign(n(), {});
    for (NodeIndex dest = 0; dest < n(); ++dest) {
      std::vector<NodeIndex>& route = from_source[dest];
      if (dest == from) {
        route.push_back(from);
        continue;
      }
      if (blocked[from][dest] || cost[dest] == kUnreached) continue;
      for (NodeIndex v = dest; v != from; v = previous_hop(v, cost, open)) route.push_back(v);
      route.push_back(from);
      std::reverse(route.begin(), route.end());
    }
  }
  return from_source[to];
}

bool Topology::Impl::path_ignoring_relays(NodeIndex from, NodeIndex to) const {
  OpenGraph open = open_graph(*this, from, false);
  return !(costs_from(open, from, n())[to] == kUnreached);
}

}  // namespace consim
