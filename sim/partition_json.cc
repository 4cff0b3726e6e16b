// The shape-specific keys of a partition fault; see docs/scenario-format.md.
//
// Invariants of the result: every named node exists; groups are disjoint,
// at least two, and cover every node; one-way "from" and "to" are disjoint
// and non-empty; a named minority is smaller than half the nodes. Shapes
// that need more nodes than the scenario has are rejected, e.g. a bridge
// needs 3 (two sides and the bridge).
#include <map>

#include "sim/partition.h"
#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

std::size_t min_nodes(PartitionShape shape) {
  switch (shape) {
    case PartitionShape::MajorityMinority:
    case PartitionShape::MajoritiesRing:
    case PartitionShape::Bridge:
      return 3;
    default:
      return 2;
  }
}

std::vector<std::vector<std::string>> parse_groups(const JsonReader& value,
                                                   const NodeNames& nodes) {
  auto elements = value.as_array();
  if (elements.size() < 2) value.fail("expected at least 2 groups");
  std::vector<std::vector<std::string>> groups;
  std::map<std::string, std::size_t> group_of;
  for (std::size_t g = 0; g < elements.size(); ++g) {
    groups.push_back(nodes.list(elements[g], 1));
    for (std::size_t i = 0; i < groups[g].size(); ++i) {
      auto [it, fresh] = group_of.emplace(groups[g][i], g);
      if (!fresh)
        elements[g].element(i).fail("node \"" + groups[g][i] + "\" is already in group " +
                                    std::to_string(it->second) + " (" + value.path() + "[" +
                                    std::to_string(it->second) + "])");
    }
  }
  for (const auto& name : nodes.all())
    if (!group_of.count(name))
      value.fail("node \"" + name + "\" is in no group; every node must be in one");
  return groups;
}

void parse_one_way(const JsonReader& fault, const NodeNames& nodes, PartitionSpec& p) {
  p.from = nodes.list(fault.at("from"), 1);
  p.to = nodes.list(fault.at("to"), 1);
  for (std::size_t i = 0; i < p.to.size(); ++i)
    for (const auto& f : p.from)
      if (f == p.to[i])
        fault.at("to").element(i).fail("node \"" + f + "\" is in both \"from\" and \"to\"");
}

void parse_minority(const JsonReader& fault, const NodeNames& nodes, PartitionSpec& p) {
  if (!fault.has("minority")) return;
  p.minority = nodes.list(fault.at("minority"), 1);
  if (2 * p.minority.size() >= nodes.size())
    fault.fail_at("minority", std::to_string(p.minority.size()) + " of " +
                                  std::to_string(nodes.size()) +
                                  " nodes is not a minority: it must be fewer than half");
}

}  // namespace

std::vector<std::string> partition_keys(PartitionShape shape) {
  switch (shape) {
    case PartitionShape::Groups:
      return {"groups"};
    case PartitionShape::OneWay:
      return {"from", "to"};
    case PartitionShape::Isolate:
    case PartitionShape::Bridge:
      return {"node"};
    case PartitionShape::MajorityMinority:
      return {"minority"};
    default:
      return {};
  }
}

PartitionSpec parse_partition(const JsonReader& fault, const NodeNames& nodes) {
  std::vector<std::string> shape_names;
  for (const auto& s : partition_shapes()) shape_names.emplace_back(s.name);
  auto name = one_of(fault.at("shape"), shape_names, "partition shape", "partition shapes");
  PartitionSpec p;
  p.shape = *parse_shape_name(name);
  std::vector<std::string> allowed = {"type", "name", "shape", "start", "heal"};
  for (auto& key : partition_keys(p.shape)) allowed.push_back(key);
  fault.allow_only(allowed);
  if (nodes.size() < min_nodes(p.shape))
    fault.fail_at("shape", "the " + name + " shape needs at least " +
                               std::to_string(min_nodes(p.shape)) + " nodes, the scenario has " +
                               std::to_string(nodes.size()));
  switch (p.shape) {
    case PartitionShape::Groups:
      p.groups = parse_groups(fault.at("groups"), nodes);
      break;
    case PartitionShape::OneWay:
      parse_one_way(fault, nodes, p);
      break;
    case PartitionShape::Isolate:
    case PartitionShape::Bridge:
      if (fault.has("node")) p.node = nodes.node(fault.at("node"));
      break;
    case PartitionShape::MajorityMinority:
      parse_minority(fault, nodes, p);
      break;
    default:
      break;
  }
  return p;
}

}  // namespace consim::loader
