// The building blocks of partition shapes and the union of cuts; the
// shapes themselves are entries in partition_shapes.cc. See partition.h.
//
// Invariants: a node is never cut from itself (the diagonal stays false);
// every shape but one-way cuts symmetrically; random choices come only from
// the stream passed in, with the number of Rng::below() calls fixed by the
// shape and the node count (below() itself rarely takes a second u64).
//
#include "sim/partition.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "base/json_input.h"

namespace consim {
namespace partition_parts {

NodeIndex index_of(const std::vector<std::string>& nodes, const std::string& name,
                   const std::string& field) {
  for (NodeIndex i = 0; i < nodes.size(); ++i)
    if (nodes[i] == name) return i;
  throw InputError("", "$.partition." + field, "unknown node \"" + name + "\"");
}

std::vector<NodeIndex> indices_of(const std::vector<std::string>& nodes,
                                  const std::vector<std::string>& names, const std::string& field) {
  std::vector<NodeIndex> ids;
  for (const std::string& name : names) ids.push_back(index_of(nodes, name, field));
  return ids;
}

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

BlockMatrix cut_between_sides(const std::vector<int>& side) {
  const std::size_t n = side.size();
  BlockMatrix blocked = no_blocks(n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b)
      blocked[a][b] = side[a] >= 0 && side[b] >= 0 && side[a] != side[b];
  return blocked;
}

BlockMatrix split(std::size_t n, const std::vector<NodeIndex>& members) {
  std::vector<int> side(n, 0);
  for (NodeIndex i : members) side[i] = 1;
  return cut_between_sides(side);
}

}  // namespace partition_parts

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

BlockMatrix compile_partition(const PartitionSpec& spec, const std::vector<std::string>& nodes,
                              Rng& rng) {
  if (nodes.empty()) return {};
  if (spec.shape == nullptr) {
    std::fprintf(stderr, "consim: broken invariant: a partition without a shape\n");
    std::abort();
  }
  return spec.shape->compile(spec, nodes, rng);
}

}  // namespace consim
