// The table of partition shapes: the names scenario files and traces use,
// each with a one-line description for `consim list`. compile_partition()
// (partition.cc) gives each shape its cut.
#include "sim/partition.h"

namespace consim {

const std::vector<ShapeInfo>& partition_shapes() {
  static const std::vector<ShapeInfo> shapes = {
      {PartitionShape::Groups, "groups",
       "explicit groups: nodes in different groups cannot talk; every node is in one group"},
      {PartitionShape::OneWay, "one-way",
       "messages from the \"from\" nodes to the \"to\" nodes are cut; the reverse direction works"},
      {PartitionShape::Isolate, "isolate",
       "one node (named, or drawn at random) is cut from all others"},
      {PartitionShape::MajorityMinority, "majority-minority",
       "a minority (named, or drawn at random) is cut from the majority"},
      {PartitionShape::MajoritiesRing, "majorities-ring",
       "every node sees a majority, but no two nodes see the same majority"},
      {PartitionShape::Bridge, "bridge",
       "two halves cut from each other, except one node (the bridge) that sees both"},
      {PartitionShape::RandomHalves, "random-halves",
       "the nodes are shuffled and split into two halves that cannot talk"},
  };
  return shapes;
}

std::string_view shape_name(PartitionShape shape) {
  for (const auto& s : partition_shapes())
    if (s.shape == shape) return s.name;
  return "unknown";
}

std::optional<PartitionShape> parse_shape_name(std::string_view name) {
  for (const auto& s : partition_shapes())
    if (name == s.name) return s.shape;
  return std::nullopt;
}

}  // namespace consim
