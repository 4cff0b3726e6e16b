// The network's links, direct routing and transit sampling; see topology.h.
//
// Building: regions (when any) give every ordered pair of distinct nodes its
// region's `intra` link or `inter_region`; otherwise `mesh` gives every pair
// `default_link`; then each explicit link sets a->b (and b->a unless
// one_way), replacing what was there. A pair's link is an index into a table
// of the distinct links (the default, one per region, the inter-region link,
// one per explicit link), so building costs one small entry per ordered pair
// and never copies a distribution per pair.
//
// Draw order of sample_transit(a, b, rng), a != b, route a = h0, ..., hk = b
// (under direct routing the route is a, b):
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

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <span>

#include "base/json_input.h"
#include "sim/topology_impl.h"

namespace consim {
namespace {

[[noreturn]] void broken(const char* what, std::size_t x, std::size_t y) {
  std::fprintf(stderr, "consim: broken invariant in topology: %s (%zu, %zu)\n", what, x, y);
  std::abort();
}

// Fills impl.specs and impl.link_of from the mesh or the regions.
void add_base_links(Topology::Impl& impl, const TopologySpec& spec) {
  const std::size_t n = impl.n();
  impl.link_of.assign(n * n, kNoLink);
  if (spec.regions.empty()) {
    if (!spec.mesh) return;
    impl.specs.push_back(spec.default_link);
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b)
        if (a != b) impl.link_of[a * n + b] = 0;
    return;
  }
  std::vector<std::uint32_t> region_of(n, kNoLink);
  for (std::size_t r = 0; r < spec.regions.size(); ++r) {
    impl.specs.push_back(spec.regions[r].intra);
    for (const std::string& name : spec.regions[r].nodes) {
      auto it = impl.ids.find(name);
      std::string path = "$.topology.regions[" + std::to_string(r) + "].nodes";
      if (it == impl.ids.end()) throw InputError("", path, "unknown node \"" + name + "\"");
      if (region_of[it->second] != kNoLink)
        throw InputError("", path, "node \"" + name + "\" in two regions");
      region_of[it->second] = static_cast<std::uint32_t>(r);
    }
  }
  const auto inter = static_cast<std::uint32_t>(impl.specs.size());
  impl.specs.push_back(spec.inter_region);
  for (std::size_t a = 0; a < n; ++a) {
    if (region_of[a] == kNoLink)
      throw InputError("", "$.topology.regions", "node \"" + impl.names[a] + "\" is in no region");
    for (std::size_t b = 0; b < n; ++b)
      if (a != b) impl.link_of[a * n + b] = region_of[a] == region_of[b] ? region_of[a] : inter;
  }
}

void add_explicit_links(Topology::Impl& impl, const TopologySpec& spec) {
  const std::size_t n = impl.n();
  for (std::size_t i = 0; i < spec.links.size(); ++i) {
    const ExplicitLink& link = spec.links[i];
    std::string path = "$.topology.links[" + std::to_string(i) + "]";
    auto a = impl.ids.find(link.a), b = impl.ids.find(link.b);
    if (a == impl.ids.end()) throw InputError("", path + ".a", "unknown node \"" + link.a + "\"");
    if (b == impl.ids.end()) throw InputError("", path + ".b", "unknown node \"" + link.b + "\"");
    if (a->second == b->second)
      throw InputError("", path, "a link from node \"" + link.a + "\" to itself");
    const auto index = static_cast<std::uint32_t>(impl.specs.size());
    impl.specs.push_back(link.spec);
    impl.link_of[a->second * n + b->second] = index;
    if (!link.one_way) impl.link_of[b->second * n + a->second] = index;
  }
}

Transit sample_along(const Topology::Impl& impl, std::span<const NodeIndex> hops, Rng& rng) {
  Transit transit;
  bool duplicated = false;
  for (std::size_t i = 0; i + 1 < hops.size(); ++i) {
    const LinkSpec& link = impl.link(hops[i], hops[i + 1]);
    transit.latency += link.latency.sample_time(rng);
    if (rng.chance(link.loss)) transit.lost = true;
    if (rng.chance(link.duplicate)) duplicated = true;
  }
  if (duplicated && !transit.lost) {
    Time second = 0;
    for (std::size_t i = 0; i + 1 < hops.size(); ++i)
      second += impl.link(hops[i], hops[i + 1]).latency.sample_time(rng);
    transit.duplicate_latency = second;
  }
  return transit;
}

}  // namespace

Topology::Topology(const std::vector<NodeSpec>& nodes, const TopologySpec& spec) {
  // Built in an owner first: a spec that throws must not leak the graph.
  auto owner = std::make_unique<Impl>();
  impl_ = owner.get();
  for (NodeIndex i = 0; i < nodes.size(); ++i) {
    impl_->names.push_back(nodes[i].name);
    impl_->ids.emplace(nodes[i].name, i);
  }
  impl_->routing = spec.routing;
  add_base_links(*impl_, spec);
  add_explicit_links(*impl_, spec);
  impl_->relays.assign(nodes.size(), true);
  if (spec.routing == Routing::ShortestPath) impl_->build_graph();
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
Routing Topology::routing() const { return impl_->routing; }

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
  impl_->routes.assign(impl_->routing == Routing::ShortestPath ? n : 0, {});
}

const BlockMatrix& Topology::blocked() const { return impl_->blocked; }

bool Topology::set_relay(NodeIndex node, bool can_relay) {
  if (impl_->relays.at(node) == can_relay) return false;
  impl_->relays[node] = can_relay;
  if (impl_->routing != Routing::ShortestPath) return false;
  impl_->routes.assign(impl_->n(), {});
  return true;
}

bool Topology::reachable(NodeIndex from, NodeIndex to) const {
  if (from == to) return true;
  if (impl_->routing == Routing::Direct) return impl_->open(from, to);
  return !impl_->shortest_route(from, to).empty();
}

bool Topology::cut_off(NodeIndex from, NodeIndex to) const {
  if (from == to) return false;
  if (impl_->blocked[from][to]) return true;
  if (impl_->routing == Routing::Direct) return false;
  return !impl_->path_ignoring_relays(from, to);
}

std::vector<NodeIndex> Topology::route(NodeIndex from, NodeIndex to) const {
  if (from == to) return {from};
  if (impl_->routing == Routing::ShortestPath) return impl_->shortest_route(from, to);
  if (!impl_->open(from, to)) return {};
  return {from, to};
}

Transit Topology::sample_transit(NodeIndex from, NodeIndex to, Rng& rng) const {
  if (from == to) return {};
  if (!reachable(from, to)) broken("sample_transit on an unreachable pair", from, to);
  if (impl_->routing == Routing::ShortestPath)
    return sample_along(*impl_, impl_->shortest_route(from, to), rng);
  const std::array<NodeIndex, 2> hops{from, to};
  return sample_along(*impl_, hops, rng);
}

}  // namespace consim
