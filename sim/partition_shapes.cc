// The partition shapes, one entry each: name, description, keys and their
// parsing, minimum node count, whether the nemesis may draw it, an example,
// and the cut it compiles to. Adding a shape is adding one section and one
// row here (and its docs); tests iterate partition_shapes().
//
// Invariants: a node is never cut from itself; every shape but one-way cuts
// symmetrically; parsers accept only existing nodes (loader::NodeNames) and leave
// every node validated for compile, which draws only from the stream given.
//
// The shapes, on 5 nodes n1..n5 (ids 0..4):
//  - groups [[n1,n2],[n3]]: the nodes in no group (n4, n5) form one more
//    group; nodes in different groups are cut both ways:
//    {n1,n2} | {n3} | {n4,n5}.
//  - one-way from [n1] to [n2,n3]: n1->n2 and n1->n3 cut; n2->n1, n3->n1 open.
//  - isolate n3: n3 cut from everyone, both ways. With no node named, the
//    node is rng.below(n) (1 call).
//  - majority-minority [n4,n5]: {n4,n5} | {n1,n2,n3}. With no minority named,
//    a random minority of floor((n-1)/2) nodes, the largest that leaves the
//    rest a strict majority (2 of 5, 1 of 4), chosen by a partial
//    Fisher-Yates shuffle of the ids (floor((n-1)/2) calls).
//  - majorities-ring (Jepsen's): nodes on a ring in id order; node i sees the
//    nodes at ring distance <= d, d = ceil(floor(n/2) / 2), i.e. 2d+1 nodes,
//    a strict majority. Pairs farther apart are cut both ways. Views are
//    symmetric (b in view(a) iff a in view(b)), so "a cannot reach b iff b
//    is not in a's view or a is not in b's view" reduces to distance > d and
//    every node keeps its whole majority. For 5 nodes d = 1: n1 sees
//    {n5,n1,n2}, n2 sees {n1,n2,n3}, ..., cut: n1-n3, n1-n4, n2-n4, n2-n5,
//    n3-n5. Jepsen's windows of floor(n/2)+1 nodes are not symmetric for
//    even n; ours use 2d+1 (5 of 6 nodes) to stay symmetric. For n >= 4 all
//    views differ. For n = 3 no ring works, so the ring is opened: the last
//    and first node are cut (views {n1,n2}, {n1,n2,n3}, {n2,n3}). Fewer than
//    3 nodes: nothing is cut.
//  - bridge n3: the other nodes in id order, the first floor((n-1)/2) form
//    side A ({n1,n2}), the rest side B ({n4,n5}); A and B are cut both ways,
//    n3 reaches both. With no node named, the bridge is rng.below(n) (1 call)
//    and side A a random floor((n-1)/2) of the others (that many calls).
//  - random-halves: a random floor(n/2) nodes (partial Fisher-Yates,
//    floor(n/2) calls) against the rest, cut both ways.
#include <map>

#include "sim/partition.h"
#include "sim/scenario_parts.h"

namespace consim {
namespace {

using namespace partition_parts;

// groups --------------------------------------------------------------------

void parse_groups(const JsonReader& fault, const loader::NodeNames& nodes, PartitionSpec& p) {
  const JsonReader value = fault.at("groups");
  auto elements = value.as_array();
  if (elements.size() < 2) value.fail("expected at least 2 groups");
  std::map<std::string, std::size_t> group_of;
  for (std::size_t g = 0; g < elements.size(); ++g) {
    p.groups.push_back(nodes.list(elements[g], 1));
    for (std::size_t i = 0; i < p.groups[g].size(); ++i) {
      auto [it, fresh] = group_of.emplace(p.groups[g][i], g);
      if (!fresh)
        elements[g].element(i).fail("node \"" + p.groups[g][i] + "\" is already in group " +
                                    std::to_string(it->second) + " (" + value.path() + "[" +
                                    std::to_string(it->second) + "])");
    }
  }
  for (const auto& name : nodes.all())
    if (!group_of.count(name))
      value.fail("node \"" + name + "\" is in no group; every node must be in one");
}

BlockMatrix compile_groups(const PartitionSpec& spec, const std::vector<std::string>& nodes, Rng&) {
  const int unlisted = static_cast<int>(spec.groups.size());
  std::vector<int> side(nodes.size(), unlisted);
  for (std::size_t g = 0; g < spec.groups.size(); ++g) {
    std::string field = "groups[" + std::to_string(g) + "]";
    for (NodeIndex i : indices_of(nodes, spec.groups[g], field)) {
      if (side[i] != unlisted && side[i] != static_cast<int>(g))
        throw InputError("", "$.partition." + field, "node \"" + nodes[i] + "\" is in two groups");
      side[i] = static_cast<int>(g);
    }
  }
  return cut_between_sides(side);
}

// one-way -------------------------------------------------------------------

void parse_one_way(const JsonReader& fault, const loader::NodeNames& nodes, PartitionSpec& p) {
  p.from = nodes.list(fault.at("from"), 1);
  p.to = nodes.list(fault.at("to"), 1);
  for (std::size_t i = 0; i < p.to.size(); ++i)
    for (const auto& f : p.from)
      if (f == p.to[i])
        fault.at("to").element(i).fail("node \"" + f + "\" is in both \"from\" and \"to\"");
}

BlockMatrix compile_one_way(const PartitionSpec& spec, const std::vector<std::string>& nodes,
                            Rng&) {
  BlockMatrix blocked = no_blocks(nodes.size());
  for (NodeIndex a : indices_of(nodes, spec.from, "from"))
    for (NodeIndex b : indices_of(nodes, spec.to, "to"))
      if (a != b) blocked[a][b] = true;
  return blocked;
}

// isolate and bridge: an optional "node" --------------------------------------

void parse_node(const JsonReader& fault, const loader::NodeNames& nodes, PartitionSpec& p) {
  if (fault.has("node")) p.node = nodes.node(fault.at("node"));
}

BlockMatrix compile_isolate(const PartitionSpec& spec, const std::vector<std::string>& nodes,
                            Rng& rng) {
  NodeIndex node = spec.node ? index_of(nodes, *spec.node, "node")
                             : static_cast<NodeIndex>(rng.below(nodes.size()));
  return split(nodes.size(), {node});
}

BlockMatrix compile_bridge(const PartitionSpec& spec, const std::vector<std::string>& nodes,
                           Rng& rng) {
  const std::size_t n = nodes.size();
  NodeIndex middle =
      spec.node ? index_of(nodes, *spec.node, "node") : static_cast<NodeIndex>(rng.below(n));
  std::vector<NodeIndex> others;
  for (NodeIndex i = 0; i < n; ++i)
    if (i != middle) others.push_back(i);
  const std::size_t side_a_size = (n - 1) / 2;
  std::vector<NodeIndex> side_a =
      spec.node ? std::vector<NodeIndex>(others.begin(), others.begin() + side_a_size)
                : random_subset(others, side_a_size, rng);
  std::vector<int> side(n, 1);
  for (NodeIndex i : side_a) side[i] = 0;
  side[middle] = -1;
  return cut_between_sides(side);
}

// majority-minority -----------------------------------------------------------

void parse_minority(const JsonReader& fault, const loader::NodeNames& nodes, PartitionSpec& p) {
  if (!fault.has("minority")) return;
  p.minority = nodes.list(fault.at("minority"), 1);
  if (2 * p.minority.size() >= nodes.size())
    fault.fail_at("minority", std::to_string(p.minority.size()) + " of " +
                                  std::to_string(nodes.size()) +
                                  " nodes is not a minority: it must be fewer than half");
}

BlockMatrix compile_majority_minority(const PartitionSpec& spec,
                                      const std::vector<std::string>& nodes, Rng& rng) {
  const std::size_t n = nodes.size();
  if (!spec.minority.empty()) return split(n, indices_of(nodes, spec.minority, "minority"));
  return split(n, random_subset(all_ids(n), (n - 1) / 2, rng));
}

// majorities-ring ---------------------------------------------------------------

BlockMatrix compile_majorities_ring(const PartitionSpec&, const std::vector<std::string>& nodes,
                                    Rng&) {
  const std::size_t n = nodes.size();
  BlockMatrix blocked = no_blocks(n);
  if (n == 3) {
    blocked[0][2] = blocked[2][0] = true;
    return blocked;
  }
  if (n < 3) return blocked;
  const std::size_t reach = (n / 2 + 1) / 2;  // ceil(floor(n/2) / 2)
  for (std::size_t a = 0; a < n; ++a) {
    for (std::size_t b = 0; b < n; ++b) {
      std::size_t forward = (b + n - a) % n;
      blocked[a][b] = std::min(forward, n - forward) > reach;
    }
  }
  return blocked;
}

// random-halves -----------------------------------------------------------------

BlockMatrix compile_random_halves(const PartitionSpec&, const std::vector<std::string>& nodes,
                                  Rng& rng) {
  const std::size_t n = nodes.size();
  return split(n, random_subset(all_ids(n), n / 2, rng));
}

void no_keys(const JsonReader&, const loader::NodeNames&, PartitionSpec&) {}

}  // namespace

const std::vector<ShapeEntry>& partition_shapes() {
  // clang-format off
  static const std::vector<ShapeEntry> shapes = {
      {"groups",
       "explicit groups: nodes in different groups cannot talk; every node is in one group",
       {"groups"}, 2, false, R"({"groups":[["n1","n2"],["n3","n4","n5"]]})",
       parse_groups, compile_groups},
      {"one-way",
       "messages from the \"from\" nodes to the \"to\" nodes are cut; the reverse direction works",
       {"from", "to"}, 2, false, R"({"from":["n1"],"to":["n2","n3"]})",
       parse_one_way, compile_one_way},
      {"isolate", "one node (named, or drawn at random) is cut from all others",
       {"node"}, 2, true, R"({"node":"n3"})", parse_node, compile_isolate},
      {"majority-minority", "a minority (named, or drawn at random) is cut from the majority",
       {"minority"}, 3, true, R"({"minority":["n4","n5"]})",
       parse_minority, compile_majority_minority},
      {"majorities-ring", "every node sees a majority, but no two nodes see the same majority",
       {}, 3, true, "{}", no_keys, compile_majorities_ring},
      {"bridge", "two halves cut from each other, except one node (the bridge) that sees both",
       {"node"}, 3, true, R"({"node":"n3"})", parse_node, compile_bridge},
      {"random-halves", "the nodes are shuffled and split into two halves that cannot talk",
       {}, 2, true, "{}", no_keys, compile_random_halves},
  };
  // clang-format on
  return shapes;
}

const ShapeEntry* find_shape(std::string_view name) {
  for (const auto& s : partition_shapes())
    if (name == s.name) return &s;
  return nullptr;
}

std::vector<std::string> shape_names() {
  std::vector<std::string> names;
  for (const auto& s : partition_shapes()) names.emplace_back(s.name);
  return names;
}

}  // namespace consim
