// Swarm testing (`consim swarm`): one scenario under many seeds, each with
// its own random fault schedule, each run checked by the checker registry
// (analysis/checkers/checks.h). Any model, present or future: nothing here
// knows a model by name.
//
// The fault schedule is the scenario's nemesis, drawn anew for each seed;
// a scenario without one gets the default nemesis (default_nemesis_json),
// built from the fault kind and partition shape registries: every kind the
// nemesis can draw, every shape it can draw. `consim run --swarm-seed N`
// builds the very same scenario (swarm_scenario), so a failing seed's run
// is reproduced exactly.
//
// Invariants: seeds are run in any order on any number of threads, each run
// fully independent (its own scenario copy, trace file and history); the
// results come back in seed order, so the output does not depend on the
// number of threads. Traces go to a private temporary directory, each
// removed as soon as it has been read; the directory is removed at the end
// (also when a run throws).
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/checkers/check_result.h"
#include "sim/scenario.h"

namespace consim {

// What `consim swarm` checks unless --check says otherwise.
inline constexpr const char* kSwarmDefaultChecks =
    "linearizable,one-leader-per-term,no-lost-writes";

// The default nemesis for a scenario of this duration and node count, as a
// scenario's "nemesis" object: from duration/10 to 6*duration/10 (so the
// run ends with time to heal and converge), exponential intervals of mean
// duration/20, uniform lengths in [duration/40, duration/8], and every kind
// the nemesis can draw that fits the node count.
nlohmann::json default_nemesis_json(Time duration, std::size_t nodes);

// The scenario at `path` as the swarm runs it: with the default nemesis if
// it has none, under `model` if given. Its seed is the file's; set it per
// run. Throws InputError for a bad file or model name.
Scenario swarm_scenario(const std::string& path, const std::optional<std::string>& model);

struct SeedResult {
  std::uint64_t seed = 0;
  // Each selected checker's verdict, in registry order.
  std::vector<std::pair<std::string, Verdict>> verdicts;
  std::string error;  // the run itself failed (e.g. time stopped advancing)
  bool failed() const;
};

// Runs `scenario` under `seed` (trace in `dir`, removed after reading) and
// checks it with `checkers` (registry names).
SeedResult run_swarm_seed(const Scenario& scenario, std::uint64_t seed,
                          const std::vector<std::string>& checkers, const std::string& dir);

// The checkers' verdicts on a trace already written (for run --swarm-seed).
std::vector<std::pair<std::string, Verdict>> trace_verdicts(
    const std::string& trace, const std::vector<std::string>& checkers);

struct SwarmOptions {
  std::uint64_t first_seed = 1;
  std::uint64_t seeds = 0;
  unsigned jobs = 1;
  std::vector<std::string> checkers;
};

// Runs seeds first_seed .. first_seed + seeds - 1 on `jobs` threads; calls
// `done` for each result in seed order, as soon as it and every earlier
// seed are done. Returns every result, in seed order.
std::vector<SeedResult> run_swarm(const Scenario& scenario, const SwarmOptions& options,
                                  const std::function<void(const SeedResult&)>& done = {});

}  // namespace consim
