// `consim sweep`: a grid of scenario variants times seeds, run locally on
// threads or as a Slurm job array, tabulated with means and 95% confidence
// intervals (docs/sweep.md). The sweep file is loaded and every grid
// point's scenario validated before anything is written.
//
// Output on stdout, deterministic but for the wall time: the table of
// means, then "wrote ..." and the counts of runs done and reused.
#include <unistd.h>  // isatty

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <set>

#include "base/output_file.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/sweep_runner.h"
#include "cli/sweep_slurm.h"
#include "cli/sweep_spec.h"
#include "cli/sweep_table.h"

namespace consim::cli {
namespace {

std::size_t unique_runs(const SweepPlan& plan) {
  std::set<std::string> keys;
  for (const SweepRun& run : plan.runs) keys.insert(run.key);
  return keys.size();
}

// Writes the tables when every run has a result; else says how many are
// missing and returns kExitInvalid.
int collect(const SweepSpec& spec, const SweepPlan& plan, const SweepCommandOptions& o,
            const std::string& out) {
  remove_leftovers(out);
  const auto results = read_rows(spec, plan, out);
  std::vector<MetricRow> rows;
  std::size_t missing = 0;
  for (const auto& r : results) {
    if (r) rows.push_back(*r);
    missing += r ? 0 : 1;
  }
  if (missing > 0) {
    std::fprintf(stderr,
                 "consim: %zu of %zu runs of %s have no result in %s/runs yet: rerun the sweep "
                 "(locally or with --slurm) to do them\n",
                 missing, results.size(), spec.file.c_str(), out.c_str());
    return kExitInvalid;
  }
  const SweepTables t = sweep_tables(spec, plan, rows);
  const std::filesystem::path dir(out);
  write_file_atomically((dir / "runs.csv").string(), t.runs_csv);
  write_file_atomically((dir / "aggregate.csv").string(), t.aggregate_csv);
  write_file_atomically((dir / "sweep.json").string(), t.json);
  if (!o.quiet) {
    std::fputs(t.summary.c_str(), stdout);
    std::printf("wrote %s/runs.csv, aggregate.csv and sweep.json\n", out.c_str());
  }
  return kExitOk;
}

int slurm_task(const SweepSpec& spec, const SweepPlan& plan, const SweepCommandOptions& o,
               const std::string& out) {
  std::vector<std::size_t> todo;
  for (std::size_t i : slurm_task_runs(spec, plan, out, *o.slurm_task))
    if (!std::filesystem::exists(run_file(out, plan.runs[i]))) todo.push_back(i);
  execute_runs(spec, plan, todo, out, SweepExecution{o.jobs, o.progress, 0});
  std::printf("task %zu: %zu runs done\n", *o.slurm_task, todo.size());
  return kExitOk;
}

}  // namespace

int sweep_command(const SweepCommandOptions& o) {
  const auto started = std::chrono::steady_clock::now();  // only for the "wall time" line
  const SweepSpec spec = load_sweep(o.sweep);
  const SweepPlan plan = expand_sweep(spec);
  const std::string out = o.out.empty() ? "out/sweep-" + spec.name : o.out;
  if (o.slurm_task) return slurm_task(spec, plan, o, out);
  if (o.collect) return collect(spec, plan, o, out);
  remove_leftovers(out);
  const std::vector<std::size_t> pending = pending_runs(plan, out);
  const std::size_t resumed = unique_runs(plan) - pending.size();
  if (o.slurm && !pending.empty()) {
    SlurmOptions slurm{o.chunk, o.jobs, o.sbatch_args, o.wait};
    const int status = submit_slurm(spec, plan, pending, o.sweep, out, slurm);
    if (status != 0) return kExitIo;
    if (!o.wait) return kExitOk;
  } else {
    const bool progress = o.progress || (!o.quiet && isatty(2));
    execute_runs(spec, plan, pending, out, SweepExecution{o.jobs, progress, resumed});
  }
  const int rc = collect(spec, plan, o, out);
  if (!o.quiet && rc == kExitOk) {
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
    std::printf("%zu runs: %zu done now, %zu reused; wall time %.2f s (-j %u%s)\n",
                unique_runs(plan), pending.size(), resumed, wall.count(), o.jobs,
                o.slurm ? ", slurm" : "");
  }
  return rc;
}

}  // namespace consim::cli
