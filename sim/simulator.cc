// Wiring of one run: world, replicas, workload, faults, loop, trace.
#include "sim/simulator.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base/json_input.h"
#include "sim/partition.h"
#include "sim/world.h"

namespace consim {

static_assert(RunLimits{}.same_instant_events == EventLoop::kDefaultSameInstantLimit);

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

// Runs the loop to the scenario's end. Time that stops advancing is the
// scenario's doing (bad input): the message names the setting most likely
// to blame, and the trace is never renamed into place.
void run_guarded(World& world, const Scenario& scenario) {
  try {
    world.run_until(scenario.duration);
  } catch (const TimeStuck& e) {
    const EventKindInfo& kind = kEventKinds[e.kind];
    throw InputError(
        scenario.file, std::string(kind.setting),
        std::string(e.what()) + "; this setting is the likely cause: " + std::string(kind.why));
  }
}

// The client groups, for the analysis to tell operations apart by group:
// [{"name": "writers", "first_client": 0, "count": 2, "nodes": ["n1"]}, ...].
nlohmann::ordered_json groups_json(const Scenario& s) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& g : s.groups)
    out.push_back({{"name", g.name},
                   {"first_client", g.first_client},
                   {"count", g.count},
                   {"nodes", g.nodes}});
  return out;
}

}  // namespace

const char* program_version() { return "consim 0.1.0"; }

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
  if (!s.groups.empty()) h["groups"] = groups_json(s);  // only then: older forms keep their bytes
  if (const auto& b = s.workload.bank)  // what the bank checker needs (docs/trace-format.md)
    h["bank"] = {{"accounts", b->accounts},
                 {"initial_balance", b->initial_balance},
                 {"negative_balances", b->negative_allowed ? "allowed" : "forbidden"}};
  h["source"] = s.source ? *s.source : nlohmann::json::object();
  return h;
}

RunStats run_scenario(const Scenario& scenario, const ModelFactory& make,
                      const std::string& trace_path, const RunLimits& limits) {
  if (!make || !scenario.model_config)
    throw std::logic_error("scenario model was not resolved: " + scenario.model_name);
  TraceWriter trace(trace_path, scenario.trace_level, names_of(scenario));
  trace.header(trace_header(scenario));

  World world(scenario, trace, limits.same_instant_events);
  for (auto& node : world.nodes) {
    auto replica = make(*scenario.model_config, *node);
    if (!replica) throw std::logic_error("model " + scenario.model_name + " made no replica");
    node->start(std::move(replica));
  }
  world.faults.start();
  world.clients.start();
  run_guarded(world, scenario);
  world.clients.finish(scenario.duration);
  trace.end(scenario.duration, world.loop.dispatched());
  trace.finish();
  return RunStats{world.loop.dispatched(), trace.lines(), trace.bytes(),
                  world.transport.messages_sent(), scenario.duration};
}

}  // namespace consim
