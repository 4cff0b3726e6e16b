// The network graph: which links a spec builds, the routes messages take
// (shortest by mean latency, ties by node order, around blocked links), the
// transit draws, and the sides a partition leaves.
#include "sim/topology.h"

#include <doctest/doctest.h>

#include <algorithm>

#include "base/json_input.h"
#include "sim/partition.h"

using namespace consim;

namespace topology_test {

namespace {

std::vector<NodeSpec> nodes(int count) {
  std::vector<NodeSpec> result;
  for (int i = 1; i <= count; ++i) {
    NodeSpec node;
    node.name = "n";
    node.name += std::to_string(i);  // not "n" + ...: GCC 12 -O3 false -Wrestrict
    result.push_back(node);
  }
  return result;
}

LinkSpec link_ms(double ms, double loss = 0, double duplicate = 0) {
  return LinkSpec{Distribution::constant(ms * 1e6), loss, duplicate};
}

ExplicitLink between(std::string a, std::string b, double ms, bool one_way = false) {
  return ExplicitLink{std::move(a), std::move(b), link_ms(ms), one_way};
}

TopologySpec explicit_only(std::vector<ExplicitLink> links) {
  TopologySpec spec;
  spec.routing = Routing::ShortestPath;
  spec.mesh = false;
  spec.links = std::move(links);
  return spec;
}

// Ring n1-n2-n3-n4-n1, every link 1ms both ways.
Topology ring4() {
  return Topology(nodes(4), explicit_only({between("n1", "n2", 1), between("n2", "n3", 1),
                                           between("n3", "n4", 1), between("n4", "n1", 1)}));
}

Time transit_ms(const Topology& topology, NodeIndex a, NodeIndex b) {
  Rng rng(1);
  Transit t = topology.sample_transit(a, b, rng);
  REQUIRE_FALSE(t.lost);
  return t.latency / kMillisecond;
}

using Sides = std::vector<std::vector<NodeIndex>>;

Sides sides_after(PartitionSpec spec, std::uint64_t seed = 1) {
  TopologySpec mesh;
  mesh.default_link = link_ms(1);
  Topology topology(nodes(5), mesh);
  Rng rng(seed);
  std::vector<std::string> names;
  for (const NodeSpec& n : nodes(5)) names.push_back(n.name);
  topology.set_blocked(compile_partition(spec, names, rng));
  return topology.sides();
}

}  // namespace

TEST_CASE("topology: a mesh links every pair directly with the default link") {
  TopologySpec spec;
  spec.default_link = link_ms(5);
  Topology topology(nodes(3), spec);
  CHECK(topology.node_count() == 3);
  CHECK(topology.name(2) == "n3");
  CHECK(topology.find("n2") == NodeIndex{1});
  CHECK_FALSE(topology.find("n9").has_value());
  for (NodeIndex a = 0; a < 3; ++a) {
    for (NodeIndex b = 0; b < 3; ++b) {
      CHECK(topology.reachable(a, b));
      if (a != b) CHECK(topology.route(a, b) == std::vector<NodeIndex>{a, b});
      if (a != b) CHECK(transit_ms(topology, a, b) == 5);
    }
  }
  CHECK(topology.sides() == Sides{{0, 1, 2}});
}

TEST_CASE("topology: a node sends to itself at once, without draws") {
  TopologySpec spec;
  Topology topology(nodes(2), spec);
  Rng rng(3), untouched(3);
  Transit t = topology.sample_transit(1, 1, rng);
  CHECK(t.latency == 0);
  CHECK(topology.route(1, 1) == std::vector<NodeIndex>{1});
  CHECK(rng.next_u64() == untouched.next_u64());
}

TEST_CASE("topology: regions give intra-region and inter-region latencies") {
  TopologySpec spec;
  spec.regions = {RegionSpec{"east", {"n1", "n2"}, link_ms(1)},
                  RegionSpec{"west", {"n3", "n4"}, link_ms(2)}};
  spec.inter_region = link_ms(50);
  Topology topology(nodes(4), spec);
  CHECK(transit_ms(topology, 0, 1) == 1);
  CHECK(transit_ms(topology, 1, 0) == 1);
  CHECK(transit_ms(topology, 2, 3) == 2);
  CHECK(transit_ms(topology, 0, 3) == 50);
  CHECK(transit_ms(topology, 3, 1) == 50);
  CHECK(topology.route(0, 3) == std::vector<NodeIndex>{0, 3});
}

TEST_CASE("topology: a node in no region is an input error") {
  TopologySpec spec;
  spec.regions = {RegionSpec{"east", {"n1", "n2"}, link_ms(1)}};
  CHECK_THROWS_AS(Topology(nodes(3), spec), InputError);
}

TEST_CASE("topology: without a mesh, messages go around a missing link") {
  // n1 - n2 - n3 and a slow direct n1 - n3; n4 only reaches n3.
  Topology topology(nodes(4), explicit_only({between("n1", "n2", 1), between("n2", "n3", 1),
                                             between("n1", "n3", 10), between("n3", "n4", 4)}));
  CHECK(topology.route(0, 2) == std::vector<NodeIndex>{0, 1, 2});
  CHECK(transit_ms(topology, 0, 2) == 2);
  CHECK(topology.route(3, 0) == std::vector<NodeIndex>{3, 2, 1, 0});
  CHECK(transit_ms(topology, 3, 0) == 6);
}

TEST_CASE("topology: direct routing takes the pair's own link, however slow") {
  TopologySpec spec;
  spec.default_link = link_ms(5);
  spec.links = {between("n1", "n2", 20)};
  Topology topology(nodes(3), spec);
  CHECK(topology.routing() == Routing::Direct);
  CHECK(topology.route(0, 1) == std::vector<NodeIndex>{0, 1});
  CHECK(transit_ms(topology, 1, 0) == 20);
  CHECK(transit_ms(topology, 0, 2) == 5);
}

TEST_CASE("topology: direct routing never relays; a pair without a link is unreachable") {
  TopologySpec spec = explicit_only({between("n1", "n2", 1), between("n2", "n3", 1)});
  spec.routing = Routing::Direct;
  Topology topology(nodes(3), spec);
  CHECK(topology.reachable(0, 1));
  CHECK_FALSE(topology.reachable(0, 2));
  CHECK(topology.route(0, 2).empty());
  CHECK_FALSE(topology.cut_off(0, 2));  // no link, not a cut
  CHECK_FALSE(topology.set_relay(1, false));
  CHECK(topology.reachable(0, 1));  // the ends of a link may be down
}

TEST_CASE("topology: shortest-path routing avoids a slow explicit link") {
  TopologySpec spec;
  spec.routing = Routing::ShortestPath;
  spec.default_link = link_ms(5);
  spec.links = {between("n1", "n2", 20)};
  Topology topology(nodes(3), spec);
  CHECK(topology.route(0, 1) == std::vector<NodeIndex>{0, 2, 1});
  CHECK(transit_ms(topology, 1, 0) == 10);
}

TEST_CASE("topology: shortest-path routes never go through a node that cannot relay") {
  Topology topology = ring4();
  CHECK(topology.route(0, 2) == std::vector<NodeIndex>{0, 1, 2});
  CHECK(topology.set_relay(1, false));
  CHECK_FALSE(topology.set_relay(1, false));  // unchanged
  CHECK(topology.route(0, 2) == std::vector<NodeIndex>{0, 3, 2});
  CHECK(transit_ms(topology, 0, 2) == 2);
  // The node that cannot relay still sends and receives on its own links.
  CHECK(topology.route(0, 1) == std::vector<NodeIndex>{0, 1});
  CHECK(topology.route(1, 3) == std::vector<NodeIndex>{1, 0, 3});
  CHECK(topology.set_relay(3, false));
  CHECK_FALSE(topology.reachable(0, 2));
  CHECK_FALSE(topology.cut_off(0, 2));  // relays down, no cut
  CHECK(topology.set_relay(1, true));
  CHECK(topology.route(0, 2) == std::vector<NodeIndex>{0, 1, 2});
  BlockMatrix blocked = no_blocks(4);
  blocked[1][2] = true;
  topology.set_blocked(blocked);
  CHECK_FALSE(topology.reachable(0, 2));
  CHECK(topology.cut_off(0, 2) == false);  // n4 could still relay once up
  CHECK(topology.set_relay(3, true));
  CHECK(topology.route(0, 2) == std::vector<NodeIndex>{0, 3, 2});
  blocked[3][2] = true;
  topology.set_blocked(blocked);
  CHECK(topology.cut_off(0, 2));  // the cuts alone leave no way
}

TEST_CASE("topology: a one-way link carries messages in one direction only") {
  // n1 -> n2 one way, n2 - n3 both ways, n3 -> n1 one way.
  Topology topology(nodes(3), explicit_only({between("n1", "n2", 1, true), between("n2", "n3", 1),
                                             between("n3", "n1", 1, true)}));
  CHECK(topology.route(0, 1) == std::vector<NodeIndex>{0, 1});
  CHECK(topology.route(1, 0) == std::vector<NodeIndex>{1, 2, 0});
  CHECK(topology.route(0, 2) == std::vector<NodeIndex>{0, 1, 2});
  CHECK(topology.sides() == Sides{{0, 1, 2}});
}

TEST_CASE("topology: a node with no link out can be reached but cannot reply") {
  Topology topology(nodes(2), explicit_only({between("n1", "n2", 1, true)}));
  CHECK(topology.reachable(0, 1));
  CHECK_FALSE(topology.reachable(1, 0));
  CHECK(topology.route(1, 0).empty());
  CHECK(topology.sides() == Sides{{0}, {1}});
}

TEST_CASE("topology: equal-cost routes go through the lowest-numbered node") {
  Topology topology = ring4();
  CHECK(topology.route(0, 2) == std::vector<NodeIndex>{0, 1, 2});
  CHECK(topology.route(3, 1) == std::vector<NodeIndex>{3, 0, 1});
  CHECK(topology.route(2, 0) == std::vector<NodeIndex>{2, 1, 0});
}

TEST_CASE("topology: blocking a ring link reroutes around it and cuts that pair") {
  Topology topology = ring4();
  BlockMatrix blocked = no_blocks(4);
  blocked[0][1] = blocked[1][0] = true;
  topology.set_blocked(blocked);
  CHECK(topology.blocked() == blocked);
  CHECK(topology.route(0, 2) == std::vector<NodeIndex>{0, 3, 2});
  CHECK(topology.route(3, 1) == std::vector<NodeIndex>{3, 2, 1});
  CHECK(transit_ms(topology, 3, 1) == 2);
  // The pair itself is cut even though a path n1-n4-n3-n2 exists.
  CHECK_FALSE(topology.reachable(0, 1));
  CHECK(topology.route(0, 1).empty());
  CHECK(topology.reachable(0, 0));

  topology.set_blocked(no_blocks(4));
  CHECK(topology.route(0, 2) == std::vector<NodeIndex>{0, 1, 2});
  CHECK(topology.reachable(0, 1));
}

TEST_CASE("topology: a transit draws latency, loss, duplicate per hop, in route order") {
  LinkSpec hop{Distribution(dist::Exponential{2e6}), 0.3, 0.4};
  TopologySpec spec =
      explicit_only({ExplicitLink{"n1", "n2", hop, false}, ExplicitLink{"n2", "n3", hop, false}});
  Topology topology(nodes(3), spec);
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    Rng rng(seed), mirror(seed);
    Transit t = topology.sample_transit(0, 2, rng);
    Time latency = 0;
    bool lost = false, duplicated = false;
    for (int i = 0; i < 2; ++i) {
      latency += hop.latency.sample_time(mirror);
      lost = mirror.chance(0.3) || lost;
      duplicated = mirror.chance(0.4) || duplicated;
    }
    CHECK(t.latency == latency);
    CHECK(t.lost == lost);
    CHECK(t.duplicate_latency.has_value() == (duplicated && !lost));
    if (duplicated && !lost) {
      Time second = hop.latency.sample_time(mirror);
      second += hop.latency.sample_time(mirror);
      CHECK(*t.duplicate_latency == second);
    }
    CHECK(rng.next_u64() == mirror.next_u64());
  }
}

TEST_CASE("topology: a lost message consumes the same draws as a delivered one") {
  Topology lossy(nodes(2), explicit_only({ExplicitLink{"n1", "n2", link_ms(1, 1.0), false}}));
  Topology clean(nodes(2), explicit_only({ExplicitLink{"n1", "n2", link_ms(1, 0.0), false}}));
  Rng a(9), b(9);
  CHECK(lossy.sample_transit(0, 1, a).lost);
  CHECK_FALSE(clean.sample_transit(0, 1, b).lost);
  CHECK(a.next_u64() == b.next_u64());
}

TEST_CASE("topology: a certain duplicate arrives twice with its own latency") {
  LinkSpec hop{Distribution(dist::Uniform{1e6, 3e6}), 0, 1.0};
  Topology topology(nodes(2), explicit_only({ExplicitLink{"n1", "n2", hop, false}}));
  Rng rng(5);
  Transit t = topology.sample_transit(0, 1, rng);
  REQUIRE(t.duplicate_latency.has_value());
  CHECK(*t.duplicate_latency >= kMillisecond);
  CHECK(*t.duplicate_latency <= 3 * kMillisecond);
  CHECK(*t.duplicate_latency != t.latency);
}

TEST_CASE("topology: sides of each partition shape on a 5-node mesh") {
  PartitionSpec spec;
  spec.shape = find_shape("groups");
  spec.groups = {{"n1", "n2"}, {"n3"}};
  CHECK(sides_after(spec) == Sides{{0, 1}, {2}, {3, 4}});

  spec = PartitionSpec{};
  spec.shape = find_shape("one-way");
  spec.from = {"n1"};
  spec.to = {"n2", "n3", "n4", "n5"};
  CHECK(sides_after(spec) == Sides{{0}, {1, 2, 3, 4}});
  // n1 and n2 can no longer be on one side; each still sees n3..n5.
  spec.to = {"n2"};
  CHECK(sides_after(spec) == Sides{{0, 2, 3, 4}, {1, 2, 3, 4}});

  spec = PartitionSpec{};
  spec.shape = find_shape("isolate");
  spec.node = "n3";
  CHECK(sides_after(spec) == Sides{{0, 1, 3, 4}, {2}});

  spec = PartitionSpec{};
  spec.shape = find_shape("majority-minority");
  spec.minority = {"n2", "n5"};
  CHECK(sides_after(spec) == Sides{{0, 2, 3}, {1, 4}});

  // Every node talks only to its two ring neighbours: each pair of
  // neighbours is a side, and every node is on two.
  spec = PartitionSpec{};
  spec.shape = find_shape("majorities-ring");
  Sides ring = sides_after(spec);
  REQUIRE(ring.size() == 5);
  std::vector<int> sides_per_node(5, 0);
  for (const auto& side : ring) {
    CHECK(side.size() == 2);
    for (NodeIndex v : side) ++sides_per_node[v];
  }
  CHECK(sides_per_node == std::vector<int>{2, 2, 2, 2, 2});

  spec = PartitionSpec{};
  spec.shape = find_shape("bridge");
  spec.node = "n3";
  Sides bridge = sides_after(spec);
  REQUIRE(bridge.size() == 2);
  CHECK(bridge[0].size() == 3);
  CHECK(bridge[1].size() == 3);
  CHECK(std::count(bridge[0].begin(), bridge[0].end(), 2) == 1);  // n3 on both
  CHECK(std::count(bridge[1].begin(), bridge[1].end(), 2) == 1);

  spec = PartitionSpec{};
  spec.shape = find_shape("random-halves");
  Sides halves = sides_after(spec, 7);
  REQUIRE(halves.size() == 2);
  CHECK(halves[0].size() + halves[1].size() == 5);
  CHECK((halves[0].size() == 2 || halves[1].size() == 2));
}

TEST_CASE("topology: cuts with too many sides fall back to reachability components") {
  // 20 nodes, each cut from one partner only: 2^10 maximal cliques, more
  // than kMaxCliqueSides, so the sides are the strongly connected components
  // of reachability (here one: every node reaches every other via a third).
  const int n = 20;
  TopologySpec mesh;
  mesh.default_link = link_ms(1);
  Topology topology(nodes(n), mesh);
  BlockMatrix blocked(n, std::vector<bool>(n, false));
  for (int i = 0; i < n; i += 2) blocked[i][i + 1] = blocked[i + 1][i] = true;
  topology.set_blocked(blocked);
  Sides sides = topology.sides();
  REQUIRE(sides.size() == 1);
  CHECK(sides[0].size() == static_cast<std::size_t>(n));
  // With one pair cut there are just two sides.
  BlockMatrix one(n, std::vector<bool>(n, false));
  one[0][1] = one[1][0] = true;
  topology.set_blocked(one);
  CHECK(topology.sides().size() == 2);
}

TEST_CASE("topology: a 1,000-node mesh cut in two has the two groups as sides") {
  // Nodes with the same neighbours are merged before the clique search, so
  // this is a search over two classes, not 1,000 nodes.
  const int n = 1000;
  TopologySpec mesh;
  Topology topology(nodes(n), mesh);
  BlockMatrix blocked = no_blocks(n);
  for (int a = 0; a < n; ++a)
    for (int b = 0; b < n; ++b) blocked[a][b] = (a < 400) != (b < 400);
  topology.set_blocked(blocked);
  Sides sides = topology.sides();
  REQUIRE(sides.size() == 2);
  CHECK(sides[0].size() == 400);
  CHECK(sides[0].front() == 0);
  CHECK(sides[1].size() == 600);
  CHECK(sides[1].front() == 400);
  CHECK_FALSE(topology.reachable(0, 999));
  CHECK(topology.reachable(999, 400));
}

}  // namespace topology_test
