// One run of a scenario: builds the world, runs the event loop to the
// scenario's duration and streams the trace.
//
// Invariant: same scenario (seed included), same trace bytes. The trace is
// written to "<path>.tmp" and renamed into place only when the run completes.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "models/model_info.h"
#include "sim/scenario.h"

namespace consim {

struct RunStats {
  std::uint64_t events = 0;  // simulator events dispatched
  std::uint64_t trace_lines = 0;
  std::uint64_t trace_bytes = 0;
  std::uint64_t messages = 0;  // model messages sent
  Time end = 0;
};

// The program's version, as written in trace headers.
const char* program_version();

// The trace header for this scenario (also used by tests).
nlohmann::ordered_json trace_header(const Scenario& scenario);

// Engine limits that are not part of a scenario. Tests lower them to reach
// the guard quickly; the program always runs with the defaults.
struct RunLimits {
  // Events dispatched at one simulated instant before the run is stopped as
  // stuck (bad input, see docs/engine.md).
  std::uint64_t same_instant_events = 1'000'000;
};

// Runs the scenario into trace_path (via trace_path.tmp, renamed at the
// end). `make` builds the scenario's model (scenario.model_config) on each
// node: the caller resolves the model, the engine knows none by name. Throws InputError when the
// scenario stops time from advancing (more than limits.same_instant_events events at one instant):
// the message names the kind of event that repeated, the instant and the likely setting, and no
// trace is left behind.
RunStats run_scenario(const Scenario& scenario, const ModelFactory& make,
                      const std::string& trace_path, const RunLimits& limits = {});

}  // namespace consim
