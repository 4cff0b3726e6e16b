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

// `make` builds the scenario's model (scenario.model_config) on each node:
// the caller resolves the model, the engine knows none by name.
RunStats run_scenario(const Scenario& scenario, const ModelFactory& make,
                      const std::string& trace_path);

}  // namespace consim
