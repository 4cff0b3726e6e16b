// The sides of the current cuts; see Topology::sides() in topology.h.
//
// Two nodes are mutual when each reaches the other over open links, the
// relays aside: under direct routing, both links exist and neither
// direction is blocked; under shortest-path routing, neither direction of
// the pair is blocked and both are in one strongly connected component of
// the open links. The sides are the maximal cliques of the mutual graph.
//
// Twins first: nodes whose closed neighbourhoods (themselves and their
// mutual nodes) are equal are in exactly the same maximal cliques, so
// Bron-Kerbosch runs on one vertex per class of twins (an adjacency matrix,
// so each edge test is constant time) and each clique is expanded to its
// classes' members. A partition into k groups on 1,000 nodes is then a
// k-vertex search instead of a 1,000-vertex one, and the result is the
// same. Past kMaxCliqueSides cliques, the sides are the strongly connected
// components of the open links (what the reachability graph's components
// are, since every open link is a route and every route is made of open
// links), numbered by their lowest node.
#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/adjacency_matrix.hpp>
#include <boost/graph/bron_kerbosch_all_cliques.hpp>
#include <boost/graph/strong_components.hpp>
#include <map>

#include "sim/topology_impl.h"

namespace consim {
namespace {

using Sides = std::vector<std::vector<NodeIndex>>;

// Strongly connected component of each node over the open links.
std::vector<std::size_t> open_components(const Topology::Impl& impl) {
  const std::size_t n = impl.n();
  boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS> open(n);
  for (NodeIndex a = 0; a < n; ++a)
    for (NodeIndex b = 0; b < n; ++b)
      if (a != b && impl.open(a, b)) boost::add_edge(a, b, open);
  std::vector<std::size_t> component(n);
  boost::strong_components(open, boost::make_iterator_property_map(
                                     component.begin(), boost::get(boost::vertex_index, open)));
  return component;
}

Sides components_as_sides(const std::vector<std::size_t>& component) {
  std::map<std::size_t, std::size_t> side_of_component;
  Sides sides;
  for (NodeIndex v = 0; v < component.size(); ++v) {
    auto [it, fresh] = side_of_component.emplace(component[v], sides.size());
    if (fresh) sides.emplace_back();
    sides[it->second].push_back(v);
  }
  return sides;
}

// closed[a][b]: a and b are mutual, or a == b.
std::vector<std::vector<bool>> closed_neighbourhoods(const Topology::Impl& impl) {
  const std::size_t n = impl.n();
  std::vector<std::size_t> component;
  if (impl.routing == Routing::ShortestPath) component = open_components(impl);
  std::vector<std::vector<bool>> closed(n, std::vector<bool>(n, false));
  for (NodeIndex a = 0; a < n; ++a) {
    closed[a][a] = true;
    for (NodeIndex b = a + 1; b < n; ++b) {
      bool mutual = impl.routing == Routing::Direct ? impl.open(a, b) && impl.open(b, a)
                                                    : !impl.blocked[a][b] && !impl.blocked[b][a] &&
                                                          component[a] == component[b];
      closed[a][b] = closed[b][a] = mutual;
    }
  }
  return closed;
}

// Stops Bron-Kerbosch once there are more maximal cliques than are useful.
struct TooManySides {};

class CollectSides {
 public:
  CollectSides(const Sides& members, Sides& out) : members_(members), out_(out) {}
  template <class Clique, class Graph>
  void clique(const Clique& c, const Graph&) {
    if (out_.size() == Topology::kMaxCliqueSides) throw TooManySides{};
    std::vector<NodeIndex> side;
    for (auto twin_class : c)
      side.insert(side.end(), members_[twin_class].begin(), members_[twin_class].end());
    std::sort(side.begin(), side.end());
    out_.push_back(std::move(side));
  }

 private:
  const Sides& members_;
  Sides& out_;
};

}  // namespace

std::vector<std::vector<NodeIndex>> Topology::sides() const {
  const std::size_t n = impl_->n();
  std::vector<std::vector<bool>> closed = closed_neighbourhoods(*impl_);
  Sides members;  // the nodes of each class of twins, classes by lowest node
  std::map<std::vector<bool>, std::size_t> class_of;
  for (NodeIndex v = 0; v < n; ++v) {
    auto [it, fresh] = class_of.emplace(closed[v], members.size());
    if (fresh) members.emplace_back();
    members[it->second].push_back(v);
  }
  boost::adjacency_matrix<boost::undirectedS> classes(members.size());
  for (std::size_t i = 0; i < members.size(); ++i)
    for (std::size_t j = i + 1; j < members.size(); ++j)
      if (closed[members[i][0]][members[j][0]]) boost::add_edge(i, j, classes);
  Sides sides;
  try {
    boost::bron_kerbosch_all_cliques(classes, CollectSides(members, sides), 1);
  } catch (const TooManySides&) {
    return components_as_sides(open_components(*impl_));
  }
  std::sort(sides.begin(), sides.end());
  return sides;
}

}  // namespace consim
