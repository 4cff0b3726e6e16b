// Running a sweep's runs and reading their results back.
//
// Each run's result (its grid values, seed and whole report, less the
// timeline) is written to OUT/runs/<key>.json atomically (temporary name,
// then rename), the moment the run ends; a run whose file exists is done.
// So a killed sweep loses at most the runs in flight, a rerun does only
// the others, and several processes (Slurm array tasks) can each do a
// disjoint share of the runs into one folder.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "cli/sweep_spec.h"
#include "cli/sweep_table.h"

namespace consim::cli {

std::string run_file(const std::string& out, const SweepRun& run);

// The runs (indices into plan.runs) with no result in `out`; of runs with
// the same key (the same inputs), only the first.
std::vector<std::size_t> pending_runs(const SweepPlan& plan, const std::string& out);

struct SweepExecution {
  unsigned jobs = 1;
  bool progress = false;    // print progress on stderr
  std::size_t resumed = 0;  // runs already done before, for the progress line
};

// Runs `indices` on `jobs` threads. A run that stops with an error, or a
// report that lacks a metric, is an InputError naming the sweep file and
// the run; the runs finished before it keep their results.
void execute_runs(const SweepSpec& spec, const SweepPlan& plan,
                  const std::vector<std::size_t>& indices, const std::string& out,
                  const SweepExecution& options);

// Every run's metrics (lined up with plan.runs); nullopt for a run that has
// no result yet.
std::vector<std::optional<MetricRow>> read_rows(const SweepSpec& spec, const SweepPlan& plan,
                                                const std::string& out);

// Removes temporary files that a killed run left in OUT/runs.
void remove_leftovers(const std::string& out);

}  // namespace consim::cli
