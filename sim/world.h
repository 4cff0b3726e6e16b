// Everything one run is made of, in one place, so the parts (nodes,
// transport, clients, faults) can reach each other without globals.
// Owned by the Simulator; lives exactly as long as one run.
#pragma once

#include <memory>
#include <vector>

#include "sim/clients.h"
#include "sim/event_loop.h"
#include "sim/faults.h"
#include "sim/node_runtime.h"
#include "base/rng.h"
#include "sim/scenario.h"
#include "sim/topology.h"
#include "sim/trace_writer.h"
#include "sim/transport.h"

namespace consim {

struct World {
  World(const Scenario& scenario, TraceWriter& trace);

  const Scenario& scenario;
  TraceWriter& trace;
  Rng root;
  EventLoop loop;
  Topology topology;
  std::vector<std::string> node_names;
  std::vector<std::unique_ptr<NodeRuntime>> nodes;
  Transport transport;
  Clients clients;
  Faults faults;
};

}  // namespace consim
