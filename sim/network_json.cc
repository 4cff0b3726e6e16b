// The "network" part of a scenario: default link, mesh, regions, explicit
// links and the cut policy; see docs/scenario-format.md.
//
// A link object may leave out any field; missing fields are taken from
// default_link. Example: with default_link {"latency":"2ms","loss":0.01},
// the region link {"latency":"1ms"} has loss 0.01.
// Invariants of the result: with regions, every node is in exactly one
// region and mesh is false; explicit links join two different existing
// nodes and no directed pair is given twice; without mesh or regions, the
// explicit links give every ordered pair its own link under "direct"
// routing (the default), and connect every node to every other (through
// others) under "shortest-path" routing.
#include <map>
#include <set>

#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

LinkSpec parse_link(const JsonReader& value, const LinkSpec& base) {
  value.allow_only({"latency", "loss", "duplicate"});
  LinkSpec link = base;
  if (value.has("latency")) link.latency = parse_distribution(value.at("latency"));
  if (value.has("loss")) link.loss = value.probability("loss");
  if (value.has("duplicate")) link.duplicate = value.probability("duplicate");
  return link;
}

std::vector<RegionSpec> parse_regions(const JsonReader& value, const NodeNames& nodes,
                                      const LinkSpec& base) {
  std::vector<RegionSpec> regions;
  std::map<std::string, std::string> region_of;  // node -> region name
  for (const auto& r : value.as_array()) {
    r.allow_only({"name", "nodes", "link"});
    RegionSpec region;
    region.name = non_empty_string(r.at("name"));
    for (const auto& other : regions)
      if (other.name == region.name)
        r.fail_at("name", "duplicate region name \"" + region.name + "\"");
    region.nodes = nodes.list(r.at("nodes"), 1);
    for (std::size_t i = 0; i < region.nodes.size(); ++i) {
      const std::string& node = region.nodes[i];
      if (region_of.count(node))
        r.at("nodes").element(i).fail("node \"" + node + "\" is already in region \"" +
                                      region_of[node] + "\"");
      region_of[node] = region.name;
    }
    region.intra =
        optional_key(r, "link", base, [&](const JsonReader& l) { return parse_link(l, base); });
    regions.push_back(std::move(region));
  }
  if (regions.empty()) value.fail("expected at least one region (leave out \"regions\" for none)");
  for (const auto& name : nodes.all())
    if (!region_of.count(name))
      value.fail("node \"" + name + "\" is in no region; with regions, every node is in one");
  return regions;
}

// The directed pairs an explicit link covers.
std::vector<std::pair<std::string, std::string>> pairs_of(const ExplicitLink& l) {
  if (l.one_way) return {{l.a, l.b}};
  return {{l.a, l.b}, {l.b, l.a}};
}

std::vector<ExplicitLink> parse_links(const JsonReader& value, const NodeNames& nodes,
                                      const LinkSpec& base) {
  std::vector<ExplicitLink> links;
  std::map<std::pair<std::string, std::string>, std::size_t> given_by;
  for (const auto& l : value.as_array()) {
    l.allow_only({"between", "latency", "loss", "duplicate", "one_way"});
    ExplicitLink link;
    auto ends = nodes.list(l.at("between"), 2);
    if (ends.size() != 2)
      l.fail_at("between", "a link joins exactly two nodes, got " + std::to_string(ends.size()));
    link.a = ends[0];
    link.b = ends[1];
    link.one_way = l.has("one_way") && l.boolean("one_way");
    link.spec = base;
    if (l.has("latency")) link.spec.latency = parse_distribution(l.at("latency"));
    if (l.has("loss")) link.spec.loss = l.probability("loss");
    if (l.has("duplicate")) link.spec.duplicate = l.probability("duplicate");
    for (const auto& pair : pairs_of(link)) {
      auto [it, fresh] = given_by.emplace(pair, links.size());
      if (!fresh)
        l.fail_at("between", "the link " + pair.first + " -> " + pair.second +
                                 " is already given by $.network.links[" +
                                 std::to_string(it->second) + "]");
    }
    links.push_back(std::move(link));
  }
  return links;
}

// Which nodes node 0 reaches along `edges` (adjacency lists).
std::vector<bool> reached_from_first(const std::vector<std::vector<std::size_t>>& edges) {
  std::vector<bool> seen(edges.size(), false);
  std::vector<std::size_t> todo{0};
  seen[0] = true;
  while (!todo.empty()) {
    std::size_t at = todo.back();
    todo.pop_back();
    for (std::size_t next : edges[at])
      if (!seen[next]) seen[next] = true, todo.push_back(next);
  }
  return seen;
}

// Without mesh or regions only the explicit links exist: every node must
// still reach every other, directly or through others.
void require_connected(const JsonReader& network, const NodeNames& nodes,
                       const std::vector<ExplicitLink>& links) {
  std::vector<std::vector<std::size_t>> out(nodes.size()), in(nodes.size());
  for (const auto& l : links)
    for (const auto& [from, to] : pairs_of(l)) {
      out[*nodes.index(from)].push_back(*nodes.index(to));
      in[*nodes.index(to)].push_back(*nodes.index(from));
    }
  std::vector<bool> there = reached_from_first(out), back = reached_from_first(in);
  std::size_t other = 1;
  while (other < nodes.size() && there[other] && back[other]) ++other;
  if (other == nodes.size()) return;
  network.fail(
      "with \"mesh\": false and no regions, the links must connect every node to every "
      "other; " +
      nodes.all()[0] + " and " + nodes.all()[other] + " cannot reach each other both ways");
}

// Under direct routing without mesh or regions, every ordered pair needs a
// link of its own: a node never relays.
void require_every_pair(const JsonReader& network, const NodeNames& nodes,
                        const std::vector<ExplicitLink>& links) {
  std::set<std::pair<std::size_t, std::size_t>> linked;
  for (const auto& l : links)
    for (const auto& [from, to] : pairs_of(l)) linked.emplace(*nodes.index(from), *nodes.index(to));
  for (std::size_t a = 0; a < nodes.size(); ++a) {
    for (std::size_t b = 0; b < nodes.size(); ++b) {
      if (a == b || linked.count({a, b})) continue;
      network.fail(
          "with \"mesh\": false and \"routing\": \"direct\" (the default), every node "
          "needs a link to every other; " +
          nodes.all()[a] + " -> " + nodes.all()[b] +
          " has none: add it, or set \"routing\": \"shortest-path\" to relay "
          "through other nodes");
    }
  }
}

}  // namespace

NetworkSpec parse_network(const JsonReader& network, const NodeNames& nodes) {
  network.allow_only({"default_link", "mesh", "regions", "inter_region", "links", "routing",
                      "cut_policy", "client_latency", "message_latency"});
  NetworkSpec out;
  TopologySpec& t = out.topology;
  if (network.has("routing")) {
    auto routing =
        one_of(network.at("routing"), {"direct", "shortest-path"}, "routing", "routings");
    t.routing = routing == "direct" ? Routing::Direct : Routing::ShortestPath;
  }
  if (network.has("default_link"))
    t.default_link = parse_link(network.at("default_link"), LinkSpec{});
  bool has_regions = network.has("regions");
  if (has_regions) {
    if (network.has("mesh") && network.boolean("mesh"))
      network.fail_at("mesh",
                      "regions already link every pair of nodes: drop \"mesh\" or "
                      "\"regions\"");
    t.mesh = false;
    t.regions = parse_regions(network.at("regions"), nodes, t.default_link);
    t.inter_region =
        optional_key(network, "inter_region", t.default_link,
                     [&](const JsonReader& l) { return parse_link(l, t.default_link); });
  } else {
    if (network.has("inter_region"))
      network.fail_at("inter_region", "\"inter_region\" needs \"regions\"");
    t.mesh = !network.has("mesh") || network.boolean("mesh");
    t.inter_region = t.default_link;
  }
  if (network.has("links")) t.links = parse_links(network.at("links"), nodes, t.default_link);
  if (!t.mesh && !has_regions) {
    if (t.routing == Routing::Direct)
      require_every_pair(network, nodes, t.links);
    else
      require_connected(network, nodes, t.links);
  }
  if (network.has("cut_policy")) {
    auto policy = one_of(network.at("cut_policy"), {"drop", "hold"}, "cut policy", "cut policies");
    out.cut_policy = policy == "drop" ? CutPolicy::Drop : CutPolicy::Hold;
  }
  if (network.has("client_latency"))
    out.client_latency = parse_distribution(network.at("client_latency"));
  if (network.has("message_latency"))
    out.message_latency = parse_message_latency(network.at("message_latency"));
  return out;
}

}  // namespace consim::loader
