// Partition shapes compiled to the set of directed pairs they cut.
//
// A shape names who is cut from whom; compile_partition() turns it into a
// BlockMatrix. Shapes that choose nodes at random (random-halves, and
// majority-minority or isolate or bridge when no node is named) draw from
// the stream they are given, so the same seed picks the same nodes.
//
// Worked example, 5 nodes n1..n5, majorities-ring (Jepsen's): each node
// sees itself and its two ring neighbours on each side... for 5 nodes,
// n1 sees {n5, n1, n2}, n2 sees {n1, n2, n3}, and so on: every node is in a
// majority, but no two nodes agree on which majority.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/rng.h"
#include "sim/scenario.h"
#include "sim/topology.h"

namespace consim {

// `nodes` are the scenario's node names (NodeId = index). Names in the spec
// were validated by the loader.
BlockMatrix compile_partition(const PartitionSpec& spec, const std::vector<NodeSpec>& nodes,
                              Rng& rng);

// The union of several cuts (overlapping partitions).
BlockMatrix union_blocks(const std::vector<const BlockMatrix*>& blocks, std::size_t n);
BlockMatrix no_blocks(std::size_t n);

// "majority-minority", ... as written in scenario files and traces.
std::string_view shape_name(PartitionShape shape);
std::optional<PartitionShape> parse_shape_name(std::string_view name);

struct ShapeInfo {
  PartitionShape shape;
  const char* name;
  const char* description;
};
const std::vector<ShapeInfo>& partition_shapes();

}  // namespace consim
