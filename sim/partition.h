// Partition shapes: each shape is one entry (partition_shapes.cc) with its
// name, its keys and their parsing, the cut it compiles to, whether the
// nemesis may draw it, and an example.
//
// A shape names who is cut from whom; compile_partition() turns it into a
// BlockMatrix. Shapes that choose nodes at random (random-halves, and
// majority-minority or isolate or bridge when no node is named) draw from
// the stream they are given, so the same seed picks the same nodes.
//
// Worked example, 5 nodes n1..n5, majorities-ring (Jepsen's): every node is
// in a majority, but no two nodes agree on which majority: n1 sees
// {n5, n1, n2}, n2 sees {n1, n2, n3}, and so on.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/rng.h"
#include "sim/topology.h"

namespace consim {

class JsonReader;
struct ShapeEntry;
namespace loader {
class NodeNames;
}

// One partition fault as parsed: its shape and the keys shapes use.
struct PartitionSpec {
  const ShapeEntry* shape = nullptr;
  std::vector<std::vector<std::string>> groups;  // groups
  std::vector<std::string> from, to;             // one-way
  std::optional<std::string> node;               // isolate, bridge (the bridge)
  std::vector<std::string> minority;             // majority-minority (empty: random)
};

struct ShapeEntry {
  const char* name;               // "majority-minority", as in scenario files and traces
  const char* description;        // one line for `consim list`
  std::vector<std::string> keys;  // the shape's own keys in a partition fault
  std::size_t min_nodes;
  bool random;  // the nemesis may draw it (needs no keys)
  // The shape's keys of a partition fault in a 5-node scenario n1..n5, as
  // the text of a JSON object (for tests and docs), e.g. {"node":"n3"}.
  const char* example;
  // Reads the shape's keys (already allowed) into `spec`; the scenario
  // has at least min_nodes nodes.
  void (*parse)(const JsonReader& fault, const loader::NodeNames& nodes, PartitionSpec& spec);
  BlockMatrix (*compile)(const PartitionSpec& spec, const std::vector<std::string>& nodes,
                         Rng& rng);
};

// Every shape, in a fixed order.
const std::vector<ShapeEntry>& partition_shapes();
// The shape with this name, or nullptr.
const ShapeEntry* find_shape(std::string_view name);
std::vector<std::string> shape_names();

// `nodes` are the scenario's node names (NodeId = index). Names in the spec
// were validated by the loader.
BlockMatrix compile_partition(const PartitionSpec& spec, const std::vector<std::string>& nodes,
                              Rng& rng);

// The union of several cuts (overlapping partitions).
BlockMatrix union_blocks(const std::vector<const BlockMatrix*>& blocks, std::size_t n);
BlockMatrix no_blocks(std::size_t n);

// Building blocks the shapes share (partition.cc).
namespace partition_parts {
NodeIndex index_of(const std::vector<std::string>& nodes, const std::string& name,
                   const std::string& field);
std::vector<NodeIndex> indices_of(const std::vector<std::string>& nodes,
                                  const std::vector<std::string>& names, const std::string& field);
// `count` of `candidates` chosen by a partial Fisher-Yates shuffle: exactly
// `count` calls of rng.below().
std::vector<NodeIndex> random_subset(std::vector<NodeIndex> candidates, std::size_t count,
                                     Rng& rng);
std::vector<NodeIndex> all_ids(std::size_t n);
// side[i] < 0: node i reaches every side. Otherwise nodes on different
// sides are cut both ways.
BlockMatrix cut_between_sides(const std::vector<int>& side);
// Nodes in `members` on side 1, the rest on side 0.
BlockMatrix split(std::size_t n, const std::vector<NodeIndex>& members);
}  // namespace partition_parts

}  // namespace consim
