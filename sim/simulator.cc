// Wiring of one run: world, replicas, workload, faults, loop, trace.
#include "sim/simulator.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "sim/partition.h"
#include "sim/world.h"

namespace consim {
namespace {

const char* level_name(TraceLevel level) {
  switch (level) {
    case TraceLevel::Ops:
      return "ops";
    case TraceLevel::State:
      return "state";
    case TraceLevel::Full:
      return "full";
  }
  return "full";
}

std::vector<std::string> names_of(const Scenario& s) {
  std::vector<std::string> out;
  for (const auto& n : s.nodes) out.push_back(n.name);
  return out;
}

}  // namespace

const char* program_version() { return "consim 0.1.0"; }

World::World(const Scenario& s, TraceWriter& t)
    : scenario(s),
      trace(t),
      root(s.seed),
      topology(s.nodes, s.topology),
      node_names(names_of(s)),
      transport(*this),
      clients(*this),
      faults(*this) {}

nlohmann::ordered_json trace_header(const Scenario& s) {
  nlohmann::ordered_json h;
  h["type"] = "header";
  h["format"] = "consim-trace";
  h["version"] = 1;
  h["program"] = program_version();
  h["scenario"] = s.name;
  h["seed"] = s.seed;
  h["model"] = s.model_name;
  h["params"] = s.model_config ? s.model_config->to_json() : nlohmann::json::object();
  h["nodes"] = names_of(s);
  h["duration"] = s.duration;
  h["level"] = level_name(s.trace_level);
  h["source"] = s.source ? *s.source : nlohmann::json::object();
  return h;
}

RunStats run_scenario(const Scenario& scenario, const ModelFactory& make,
                      const std::string& trace_path) {
  if (!make || !scenario.model_config)
    throw std::logic_error("scenario model was not resolved: " + scenario.model_name);
  TraceWriter trace(trace_path, scenario.trace_level, names_of(scenario));
  trace.header(trace_header(scenario));

  World world(scenario, trace);
  for (NodeId id = 0; id < scenario.nodes.size(); ++id) {
    const NodeSpec& spec = scenario.nodes[id];
    world.nodes.push_back(std::make_unique<NodeRuntime>(
        world, id, world.root.fork("node/" + spec.name), spec.clock_offset, spec.clock_drift_ppm));
  }
  for (auto& node : world.nodes) {
    auto replica = make(*scenario.model_config, *node);
    if (!replica) throw std::logic_error("model " + scenario.model_name + " made no replica");
    node->start(std::move(replica));
  }
  world.faults.start();
  world.clients.start();
  world.loop.run_until(scenario.duration);
  world.clients.finish(scenario.duration);
  trace.end(scenario.duration, world.loop.dispatched());
  trace.finish();
  return RunStats{world.loop.dispatched(), trace.lines(), trace.bytes(),
                  world.transport.messages_sent(), scenario.duration};
}

}  // namespace consim
