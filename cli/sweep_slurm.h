// `consim sweep --slurm`: the runs a sweep still needs, as a Slurm job array.
//
// Submitting writes OUT/slurm/plan.json (the keys of the pending runs, in
// plan order, and the chunk size) and OUT/slurm/array.sh, and submits it
// with sbatch: array task I runs `consim sweep SWEEP --out OUT --slurm-task
// I`, the plan's runs I*chunk .. (I+1)*chunk-1, each written to its own
// result file as a local sweep writes it (sweep_runner.h). Then either
// sbatch waits for the array (--wait) and the tables are made here, or a
// second job, started when the array ends, runs `consim sweep ... --collect`.
// Resuming is the local sweep's: a resubmission plans only the runs that
// have no result.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "cli/sweep_spec.h"

namespace consim::cli {

struct SlurmOptions {
  std::size_t chunk = 10;                // runs per array task
  unsigned jobs = 1;                     // threads per task (--cpus-per-task)
  std::vector<std::string> sbatch_args;  // passed to sbatch as they are
  bool wait = false;                     // sbatch --wait: return when the array is done
};

// Submits the runs `pending` (indices into plan.runs). Returns sbatch's exit
// status (0: submitted; with wait: every task succeeded). Throws OutputError
// when sbatch cannot be started.
int submit_slurm(const SweepSpec& spec, const SweepPlan& plan,
                 const std::vector<std::size_t>& pending, const std::string& sweep_file,
                 const std::string& out, const SlurmOptions& options);

// The runs (indices into plan.runs) of array task `task`; an InputError
// when OUT/slurm/plan.json is missing or names a run this sweep does not
// have (the sweep file changed since it was submitted).
std::vector<std::size_t> slurm_task_runs(const SweepSpec& spec, const SweepPlan& plan,
                                         const std::string& out, std::size_t task);

}  // namespace consim::cli
