// Constructing one run's parts and wiring their ports; see world.h.
#include "sim/world.h"

#include <string>

namespace consim {
namespace {

std::vector<std::string> names_of(const Scenario& s) {
  std::vector<std::string> out;
  for (const auto& n : s.nodes) out.push_back(n.name);
  return out;
}

}  // namespace

World::World(const Scenario& s, TraceWriter& t, std::uint64_t same_instant_limit)
    : scenario(s),
      trace(t),
      root(s.seed),
      loop(same_instant_limit),
      topology(s.nodes, s.topology),
      names(names_of(s)),
      transport(loop, trace, topology, s.cut_policy, root.fork("network"), nodes),
      clients(loop, trace, nodes, s, names, root),
      faults(loop, trace, nodes, *this, s, names, root.fork("faults"), root.fork("nemesis")) {
  transport.set_message_latency(s.message_latency);
  const NodeRuntime::Links links{loop, trace, transport, clients, names};
  for (NodeId id = 0; id < s.nodes.size(); ++id) {
    const NodeSpec& spec = s.nodes[id];
    nodes.add(std::make_unique<NodeRuntime>(links, id, root.fork("node/" + spec.name),
                                            spec.clock_offset, spec.clock_drift_ppm));
  }
}

void World::set_cuts(const CutMatrix& cuts) {
  topology.set_blocked(cuts);
  transport.cuts_changed();
}

}  // namespace consim
