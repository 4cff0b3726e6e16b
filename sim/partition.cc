// Partition shapes compiled to block matrices; see partition.h.
//
// Invariants: a node is never cut from itself (the diagonal stays false);
// every shape but one-way cuts symmetrically; random choices come only from
// the stream passed in, with the number of Rng::below() calls fixed by the
// shape and the node count (below() itself rarely takes a second u64).
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
#include "sim/partition.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "base/json_input.h"

namespace consim {
namespace {

NodeIndex index_of(const std::vector<NodeSpec>& nodes, const std::string& name,
                   const std::string& field) {
  for (NodeIndex i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name) return i;
  throw InputError("", "$.partition." + field, "unknown node \"" + name + "\"");
}

std::vector<NodeIndex> indices_of(const std::vector<NodeSpec>& nodes,
                                  const std::vector<std::string>& names, const std::string& field) {
  std::vector<NodeIndex> ids;
  for (const std::string& name : names) ids.push_back(index_of(nodes, name, field));
  return ids;
}

// `count` of `candidates` chosen by a partial Fisher-Yates shuffle: exactly
// `count` calls of rng.below().
std::vector<NodeIndex> random_subset(std::vector<NodeIndex> candidates, std::size_t count,
                                     Rng& rng) {
  for (std::size_t i = 0; i < count; ++i) {
    std::size_t j = i + static_cast<std::size_t>(rng.below(candidates.size() - i));
    std::swap(candidates[i], candidates[j]);
  }
  candidates.resize(count);
  return candidates;
}

std::vector<NodeIndex> all_ids(std::size_t n) {
  std::vector<NodeIndex> ids(n);
  for (NodeIndex i = 0; i < n; ++i) ids[i] = i;
  return ids;
}

// side[i] < 0: node i reaches every side. Otherwise nodes on different sides
// are cut both ways.
BlockMatrix cut_between_sides(const std::vector<int>& side) {
  const std::size_t n = side.size();
  BlockMatrix blocked = no_blocks(n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b)
      blocked[a][b] = side[a] >= 0 && side[b] >= 0 && side[a] != side[b];
  return blocked;
}

// Nodes in `members` on side 1, the rest on side 0.
BlockMatrix split(std::size_t n, const std::vector<NodeIndex>& members) {
  std::vector<int> side(n, 0);
  for (NodeIndex i : members) side[i] = 1;
  return cut_between_sides(side);
}

BlockMatrix groups(const PartitionSpec& spec, const std::vector<NodeSpec>& nodes) {
  const int unlisted = static_cast<int>(spec.groups.size());
  std::vector<int> side(nodes.size(), unlisted);
  for (std::size_t g = 0; g < spec.groups.size(); ++g) {
    std::string field = "groups[" + std::to_string(g) + "]";
    for (NodeIndex i : indices_of(nodes, spec.groups[g], field)) {
      if (side[i] != unlisted && side[i] != static_cast<int>(g))
        throw InputError("", "$.partition." + field,
                         "node \"" + nodes[i].name + "\" is in two groups");
      side[i] = static_cast<int>(g);
    }
  }
  return cut_between_sides(side);
}

BlockMatrix one_way(const PartitionSpec& spec, const std::vector<NodeSpec>& nodes) {
  BlockMatrix blocked = no_blocks(nodes.size());
  for (NodeIndex a : indices_of(nodes, spec.from, "from"))
    for (NodeIndex b : indices_of(nodes, spec.to, "to"))
      if (a != b) blocked[a][b] = true;
  return blocked;
}

BlockMatrix isolate(const PartitionSpec& spec, const std::vector<NodeSpec>& nodes, Rng& rng) {
  NodeIndex node = spec.node ? index_of(nodes, *spec.node, "node")
                             : static_cast<NodeIndex>(rng.below(nodes.size()));
  return split(nodes.size(), {node});
}

BlockMatrix majority_minority(const PartitionSpec& spec, const std::vector<NodeSpec>& nodes,
                              Rng& rng) {
  const std::size_t n = nodes.size();
  if (!spec.minority.empty()) return split(n, indices_of(nodes, spec.minority, "minority"));
  return split(n, random_subset(all_ids(n), (n - 1) / 2, rng));
}

BlockMatrix majorities_ring(std::size_t n) {
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

BlockMatrix bridge(const PartitionSpec& spec, const std::vector<NodeSpec>& nodes, Rng& rng) {
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

}  // namespace

BlockMatrix no_blocks(std::size_t n) { return BlockMatrix(n, std::vector<bool>(n, false)); }

BlockMatrix union_blocks(const std::vector<const BlockMatrix*>& blocks, std::size_t n) {
  BlockMatrix result = no_blocks(n);
  for (const BlockMatrix* cut : blocks) {
    if (cut->size() != n) {
      std::fprintf(stderr, "consim: broken invariant: union of a %zu-node cut into %zu nodes\n",
                   cut->size(), n);
      std::abort();
    }
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b)
        if ((*cut)[a][b]) result[a][b] = true;
  }
  return result;
}

BlockMatrix compile_partition(const PartitionSpec& spec, const std::vector<NodeSpec>& nodes,
                              Rng& rng) {
  const std::size_t n = nodes.size();
  if (n == 0) return {};
  switch (spec.shape) {
    case PartitionShape::Groups:
      return groups(spec, nodes);
    case PartitionShape::OneWay:
      return one_way(spec, nodes);
    case PartitionShape::Isolate:
      return isolate(spec, nodes, rng);
    case PartitionShape::MajorityMinority:
      return majority_minority(spec, nodes, rng);
    case PartitionShape::MajoritiesRing:
      return majorities_ring(n);
    case PartitionShape::Bridge:
      return bridge(spec, nodes, rng);
    case PartitionShape::RandomHalves:
      return split(n, random_subset(all_ids(n), n / 2, rng));
  }
  return no_blocks(n);
}

}  // namespace consim
