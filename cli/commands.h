// The consim subcommands, one function each, called by main.cc after the
// command line is parsed. Each returns the process exit code (exit_codes.h)
// and throws InputError for bad input, which main maps to kExitBadInput.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace consim::cli {

struct RunOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  bool random_seed = false;
  std::optional<std::string> model;
  std::string out;  // empty: out/<scenario name>
  std::optional<std::string> trace_level;
  std::string checkers = "all";  // checker names (checks.h), "all" or "none"
  bool quiet = false;
  // Run as `consim swarm` runs this seed (cli/swarm.h), and exit 1 when a
  // checker finds a violation.
  std::optional<std::uint64_t> swarm_seed;
  std::vector<std::string> sets;  // --set [MODEL:]PATH=VALUE (scenario_sets.h)
};

struct CompareOptions {
  std::string scenario;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> models;  // empty: every registered model
  std::string out;
  std::optional<std::string> trace_level;
  std::string checkers = "all";
  bool quiet = false;
  std::vector<std::string> sets;  // --set [MODEL:]PATH=VALUE (scenario_sets.h)
};

struct SwarmCommandOptions {
  std::string scenario;
  std::optional<std::string> model;
  std::uint64_t seeds = 0;
  std::uint64_t first_seed = 1;
  unsigned jobs = 1;
  std::string checks;  // checker names (checks.h) or "all"
};

struct SweepCommandOptions {
  std::string sweep;
  std::string out;  // empty: out/sweep-<name>
  unsigned jobs = 1;
  bool progress = false;  // also when stderr is not a terminal
  bool quiet = false;
  bool collect = false;    // only make the tables from the results there are
  bool slurm = false;      // submit the pending runs as a Slurm job array
  bool wait = false;       // with slurm: wait for the array, then make the tables
  std::size_t chunk = 10;  // runs per array task
  std::vector<std::string> sbatch_args;
  std::optional<std::size_t> slurm_task;  // run this array task's share (array.sh)
};

struct ReportOptions {
  std::string dir;  // a run, comparison or sweep folder
  std::string out;  // empty: DIR/report.html
};

struct CheckOptions {
  std::string history;
  std::string consistency = "all";
  std::uint64_t budget = 0;             // 0: the default
  std::uint64_t causal_memory_mib = 0;  // 0: the causal checker's default (1024)
  bool json = false;
};

// Writes report.json at `report_path` and the report's "timeline" section
// (the run charts' data, large) to timeline.json beside it, removing it from
// `report`.
void write_report_files(nlohmann::json& report, const std::string& report_path);

int run_command(const RunOptions& options);
int compare_command(const CompareOptions& options);
// `seed` replaces the scenario's, to preview another seed's nemesis.
int validate_command(const std::string& scenario, std::optional<std::uint64_t> seed,
                     const std::vector<std::string>& sets);
int list_command();
int analyze_command(const std::string& trace, const std::string& out, const std::string& checkers);
int check_command(const CheckOptions& options);
int swarm_command(const SwarmCommandOptions& options);
int sweep_command(const SweepCommandOptions& options);
// Runs analysis/plots/html_report.py on the folder (cmd_report.cc).
int report_command(const ReportOptions& options);

}  // namespace consim::cli
