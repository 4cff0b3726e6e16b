// The network graph, its routes and transit sampling; see topology.h.
//
// Building: regions (when any) give every ordered pair of distinct nodes its
// region's `intra` link or `inter_region`; otherwise `mesh` gives every pair
// `default_link`; then each explicit link sets a->b (and b->a unless
// one_way), replacing what was there. At most one edge per ordered pair, added
// in (from, to) order, so the graph is the same on every run.
//
// Routes: for each source, Boost's Dijkstra on the graph filtered to the
// unblocked links, with the cost of a path = (sum of link mean latencies,
// hop count) compared lexicographically (negative means count as 0). Ties are
// broken by node order: walking back from the destination, the previous hop
// is the lowest-numbered node u with cost(u) + link(u, v) == cost(v).
// Worked example: ring 0-1-2-3-0 with all links 1ms; 0 -> 2 costs (2ms, 2)
// through 1 or through 3; the previous hop is min(1, 3) = 1, so the route is
// 0, 1, 2. All routes are stored by set_blocked(); nothing is computed on the
// hot path.
//
// Draw order of sample_transit(a, b, rng), a != b, route a = h0, ..., hk = b:
//   for each hop hi -> hi+1 in route order:
//     1. the link's latency: Distribution::sample_time (0 draws for constant,
//        1 for most kinds, 2 for normal and lognormal, 1 + part's for mixture);
//     2. one rng.chance(loss);
//     3. one rng.chance(duplicate);
//   then, only if some hop duplicated the message and no hop lost it, the
//   second copy's latency: one sample_time per hop again, in route order.
// Every hop is drawn even after a hop has lost the message, so a lost
// message consumes the same draws as a delivered one. A duplicate shares the
// original's fate: lost if any hop lost the original. Sending to oneself
// (a == b) takes no draws and no time.
#include "sim/topology.h"

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/bron_kerbosch_all_cliques.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>
#include <boost/graph/filtered_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>
#include <memory>

#include "base/json_input.h"

namespace consim {
namespace {

struct EdgeProps {
  LinkSpec spec;
  double weight = 0;  // the latency's mean, negatives as 0
};

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS,
                                    boost::no_property, EdgeProps>;
using Edge = boost::graph_traits<Graph>::edge_descriptor;

// A link is usable unless blocked[source][target].
struct LinkOpen {
  const Graph* graph = nullptr;
  const BlockMatrix* blocked = nullptr;
  bool operator()(const Edge& e) const {
    return !(*blocked)[boost::source(e, *graph)][boost::target(e, *graph)];
  }
};
using OpenGraph = boost::filtered_graph<Graph, LinkOpen>;

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

[[noreturn]] void broken(const char* what, std::size_t x, std::size_t y) {
  std::fprintf(stderr, "consim: broken invariant in topology: %s (%zu, %zu)\n", what, x, y);
  std::abort();
}

// Each ordered pair's link before explicit links, per the spec's comment.
std::vector<std::optional<LinkSpec>> base_links(const std::vector<NodeSpec>& nodes,
                                                const TopologySpec& spec,
                                                const std::map<std::string, NodeIndex>& ids) {
  const std::size_t n = nodes.size();
  std::vector<std::optional<LinkSpec>> links(n * n);
  if (spec.regions.empty()) {
    if (!spec.mesh) return links;
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b)
        if (a != b) links[a * n + b] = spec.default_link;
    return links;
  }
  std::vector<std::optional<std::size_t>> region_of(n);
  for (std::size_t r = 0; r < spec.regions.size(); ++r) {
    for (const std::string& name : spec.regions[r].nodes) {
      auto it = ids.find(name);
      std::string path = "$.topology.regions[" + std::to_string(r) + "].nodes";
      if (it == ids.end()) throw InputError("", path, "unknown node \"" + name + "\"");
      if (region_of[it->second]) throw InputError("", path, "node \"" + name + "\" in two regions");
      region_of[it->second] = r;
    }
  }
  for (std::size_t a = 0; a < n; ++a) {
    if (!region_of[a])
      throw InputError("", "$.topology.regions", "node \"" + nodes[a].name + "\" is in no region");
    for (std::size_t b = 0; b < n; ++b) {
      if (a == b) continue;
      links[a * n + b] =
          *region_of[a] == *region_of[b] ? spec.regions[*region_of[a]].intra : spec.inter_region;
    }
  }
  return links;
}

}  // namespace

struct Topology::Impl {
  std::vector<std::string> names;
  std::map<std::string, NodeIndex> ids;
  Graph graph;
  std::vector<const EdgeProps*> link_at;  // [from * n + to], nullptr if no link
  BlockMatrix blocked;
  std::vector<std::vector<NodeIndex>> routes;  // [from * n + to], empty if unreachable

  std::size_t n() const { return names.size(); }
  void add_explicit_links(const TopologySpec& spec, std::vector<std::optional<LinkSpec>>& links);
  void build_graph(const std::vector<std::optional<LinkSpec>>& links);
  void compute_routes_from(NodeIndex source, const OpenGraph& open);
  NodeIndex previous_hop(NodeIndex v, const std::vector<PathCost>& cost,
                         const OpenGraph& open) const;
};

void Topology::Impl::add_explicit_links(const TopologySpec& spec,
                                        std::vector<std::optional<LinkSpec>>& links) {
  for (std::size_t i = 0; i < spec.links.size(); ++i) {
    const ExplicitLink& link = spec.links[i];
    std::string path = "$.topology.links[" + std::to_string(i) + "]";
    auto a = ids.find(link.a), b = ids.find(link.b);
    if (a == ids.end()) throw InputError("", path + ".a", "unknown node \"" + link.a + "\"");
    if (b == ids.end()) throw InputError("", path + ".b", "unknown node \"" + link.b + "\"");
    if (a->second == b->second)
      throw InputError("", path, "a link from node \"" + link.a + "\" to itself");
    links[a->second * n() + b->second] = link.spec;
    if (!link.one_way) links[b->second * n() + a->second] = link.spec;
  }
}

void Topology::Impl::build_graph(const std::vector<std::optional<LinkSpec>>& links) {
  graph = Graph(n());
  for (std::size_t a = 0; a < n(); ++a) {
    for (std::size_t b = 0; b < n(); ++b) {
      const auto& spec = links[a * n() + b];
      if (!spec) continue;
      double mean = spec->latency.mean();
      boost::add_edge(a, b, EdgeProps{*spec, mean > 0 ? mean : 0.0}, graph);
    }
  }
  link_at.assign(n() * n(), nullptr);
  for (auto [it, end] = boost::edges(graph); it != end; ++it)
    link_at[boost::source(*it, graph) * n() + boost::target(*it, graph)] = &graph[*it];
}

NodeIndex Topology::Impl::previous_hop(NodeIndex v, const std::vector<PathCost>& cost,
                                       const OpenGraph& open) const {
  std::optional<NodeIndex> best;
  for (auto [it, end] = boost::in_edges(v, open); it != end; ++it) {
    NodeIndex u = static_cast<NodeIndex>(boost::source(*it, open));
    if (cost[u] == kUnreached || (best && *best <= u)) continue;
    if (CostPlusLink{}(cost[u], open[*it].weight) == cost[v]) best = u;
  }
  if (!best) broken("no previous hop on a shortest route to", v, v);
  return *best;
}

void Topology::Impl::compute_routes_from(NodeIndex source, const OpenGraph& open) {
  std::vector<PathCost> cost(n(), kUnreached);
  auto index = boost::get(boost::vertex_index, open);
  boost::dijkstra_shortest_paths(open, source, boost::dummy_property_map(),
                                 boost::make_iterator_property_map(cost.begin(), index),
                                 boost::get(&EdgeProps::weight, open), index, CostLess{},
                                 CostPlusLink{}, kUnreached, PathCost{},
                                 boost::make_dijkstra_visitor(boost::null_visitor()));
  for (NodeIndex to = 0; to < n(); ++to) {
    std::vector<NodeIndex>& route = routes[source * n() + to];
    route.clear();
    if (to == source) {
      route.push_back(source);
      continue;
    }
    if (blocked[source][to] || cost[to] == kUnreached) continue;
    for (NodeIndex v = to; v != source; v = previous_hop(v, cost, open)) route.push_back(v);
    route.push_back(source);
    std::reverse(route.begin(), route.end());
  }
}

Topology::Topology(const std::vector<NodeSpec>& nodes, const TopologySpec& spec) {
  // Built in an owner first: a spec that throws must not leak the graph.
  auto owner = std::make_unique<Impl>();
  impl_ = owner.get();
  for (NodeIndex i = 0; i < nodes.size(); ++i) {
    impl_->names.push_back(nodes[i].name);
    impl_->ids.emplace(nodes[i].name, i);
  }
  auto links = base_links(nodes, spec, impl_->ids);
  impl_->add_explicit_links(spec, links);
  impl_->build_graph(links);
  set_blocked(BlockMatrix(nodes.size(), std::vector<bool>(nodes.size(), false)));
  owner.release();
}

Topology::~Topology() { delete impl_; }
Topology::Topology(Topology&& other) noexcept : impl_(other.impl_) { other.impl_ = nullptr; }
Topology& Topology::operator=(Topology&& other) noexcept {
  std::swap(impl_, other.impl_);
  return *this;
}

std::size_t Topology::node_count() const { return impl_->n(); }
const std::string& Topology::name(NodeIndex id) const { return impl_->names.at(id); }

std::optional<NodeIndex> Topology::find(std::string_view name) const {
  auto it = impl_->ids.find(std::string(name));
  if (it == impl_->ids.end()) return std::nullopt;
  return it->second;
}

void Topology::set_blocked(const BlockMatrix& blocked) {
  const std::size_t n = impl_->n();
  if (blocked.size() != n) broken("block matrix rows vs nodes", blocked.size(), n);
  for (const auto& row : blocked)
    if (row.size() != n) broken("block matrix columns vs nodes", row.size(), n);
  impl_->blocked = blocked;
  impl_->routes.assign(n * n, {});
  OpenGraph open(impl_->graph, LinkOpen{&impl_->graph, &impl_->blocked});
  for (NodeIndex source = 0; source < n; ++source) impl_->compute_routes_from(source, open);
}

const BlockMatrix& Topology::blocked() const { return impl_->blocked; }

bool Topology::reachable(NodeIndex from, NodeIndex to) const {
  return !impl_->routes.at(from * impl_->n() + to).empty();
}

std::vector<NodeIndex> Topology::route(NodeIndex from, NodeIndex to) const {
  return impl_->routes.at(from * impl_->n() + to);
}

Transit Topology::sample_transit(NodeIndex from, NodeIndex to, Rng& rng) const {
  const std::size_t n = impl_->n();
  const std::vector<NodeIndex>& hops = impl_->routes.at(from * n + to);
  if (hops.empty()) broken("sample_transit on an unreachable pair", from, to);
  Transit transit;
  bool duplicated = false;
  for (std::size_t i = 0; i + 1 < hops.size(); ++i) {
    const LinkSpec& link = impl_->link_at[hops[i] * n + hops[i + 1]]->spec;
    transit.latency += link.latency.sample_time(rng);
    if (rng.chance(link.loss)) transit.lost = true;
    if (rng.chance(link.duplicate)) duplicated = true;
  }
  if (duplicated && !transit.lost) {
    Time second = 0;
    for (std::size_t i = 0; i + 1 < hops.size(); ++i)
      second += impl_->link_at[hops[i] * n + hops[i + 1]]->spec.latency.sample_time(rng);
    transit.duplicate_latency = second;
  }
  return transit;
}

namespace {

// Stops Bron-Kerbosch once there are more maximal cliques than are useful.
struct TooManySides {};

class CollectSides {
 public:
  CollectSides(std::vector<std::vector<NodeIndex>>& out, std::size_t limit)
      : out_(out), limit_(limit) {}
  template <class Clique, class Graph>
  void clique(const Clique& c, const Graph&) {
    if (out_.size() == limit_) throw TooManySides{};
    out_.emplace_back(c.begin(), c.end());
    std::sort(out_.back().begin(), out_.back().end());
  }

 private:
  std::vector<std::vector<NodeIndex>>& out_;
  std::size_t limit_;
};

}  // namespace

std::vector<std::vector<NodeIndex>> Topology::sides() const {
  const std::size_t n = impl_->n();
  boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS> mutual(n);
  for (NodeIndex a = 0; a < n; ++a)
    for (NodeIndex b = a + 1; b < n; ++b)
      if (reachable(a, b) && reachable(b, a)) boost::add_edge(a, b, mutual);
  std::vector<std::vector<NodeIndex>> sides;
  try {
    boost::bron_kerbosch_all_cliques(mutual, CollectSides(sides, kMaxCliqueSides), 1);
  } catch (const TooManySides&) {
    return components_of_reachability();
  }
  std::sort(sides.begin(), sides.end());
  return sides;
}

std::vector<std::vector<NodeIndex>> Topology::components_of_reachability() const {
  const std::size_t n = impl_->n();
  boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS> reach(n);
  for (NodeIndex a = 0; a < n; ++a)
    for (NodeIndex b = 0; b < n; ++b)
      if (a != b && reachable(a, b)) boost::add_edge(a, b, reach);
  std::vector<std::size_t> component(n);
  boost::strong_components(reach, boost::make_iterator_property_map(
                                      component.begin(), boost::get(boost::vertex_index, reach)));
  // Number the components by their lowest node, so sides come out in id order.
  std::map<std::size_t, std::size_t> side_of_component;
  std::vector<std::vector<NodeIndex>> sides;
  for (NodeIndex v = 0; v < n; ++v) {
    auto [it, fresh] = side_of_component.emplace(component[v], sides.size());
    if (fresh) sides.emplace_back();
    sides[it->second].push_back(v);
  }
  return sides;
}

}  // namespace consim
