// The "partition" fault's shape: looked up in the shape table
// (partition_shapes.cc), then the shape's own keys are allowed and parsed.
// See docs/scenario-format.md.
//
// Invariants of the result: the shape exists; the scenario has at least the
// shape's min_nodes; every named node exists (the shape's parser checks the
// rest: disjoint groups, a real minority, ...).
#include "sim/partition.h"
#include "sim/scenario_parts.h"

namespace consim::loader {

PartitionSpec parse_partition(const JsonReader& fault, const NodeNames& nodes,
                              std::vector<std::string> allowed) {
  auto name = one_of(fault.at("shape"), shape_names(), "partition shape", "partition shapes");
  PartitionSpec p;
  p.shape = find_shape(name);
  allowed.insert(allowed.begin() + 2, "shape");  // after "type", "name"
  for (const auto& key : p.shape->keys) allowed.push_back(key);
  fault.allow_only(allowed);
  if (nodes.size() < p.shape->min_nodes)
    fault.fail_at("shape", "the " + name + " shape needs at least " +
                               std::to_string(p.shape->min_nodes) + " nodes, the scenario has " +
                               std::to_string(nodes.size()));
  p.shape->parse(fault, nodes, p);
  return p;
}

}  // namespace consim::loader
