// The sweep file (docs/sweep.md): a scenario, a grid over its fields by JSON
// path, a list of seeds and the report figures to tabulate. load_sweep reads
// it strictly (unknown keys, wrong types, bad paths and scenarios that a
// grid value makes invalid are InputErrors naming the sweep file and the
// JSON path); expand_sweep turns it into runs.
//
// Invariants: runs come in a fixed order, grid points in row-major order of
// the axes (the first axis outermost), then the seeds in the order listed;
// every run's scenario has been validated by the scenario loader before any
// run starts; a run's key is a digest of everything that decides its
// report (the scenario document with the grid values set, the seed, the
// trace level and the checkers), so an edited sweep reuses exactly the runs
// whose inputs did not change.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/json_path.h"
#include "sim/scenario.h"

namespace consim::cli {

struct SweepAxis {
  std::string name;                 // the table column
  std::vector<std::string> labels;  // one per value, as the tables show it
  // The scenario fields each value sets: a path and one value per label
  // (JSON text).
  std::vector<std::pair<JsonPath, std::vector<std::string>>> sets;
};

struct SweepMetric {
  std::string name;                   // the table column
  JsonPath path;                      // into report.json
  std::optional<std::string> equals;  // 1 when the value is this string, else 0
};

struct SweepSpec {
  std::string file;           // the sweep file, for messages
  std::string name;           // "name", or the file's stem
  std::string scenario_file;  // resolved against the sweep file's folder
  std::vector<SweepAxis> axes;
  std::vector<std::uint64_t> seeds;
  std::vector<SweepMetric> metrics;
  std::optional<std::string> trace_level;  // ops | state | full; none: the scenario's
  std::string checkers = "all";
};

struct SweepPoint {
  std::vector<std::string> labels;  // one per axis
  Scenario scenario;                // the grid values set; seed set per run
};

struct SweepRun {
  std::size_t point = 0;
  std::uint64_t seed = 0;
  std::string key;  // 16 hex digits
};

struct SweepPlan {
  std::vector<SweepPoint> points;
  std::vector<SweepRun> runs;  // point-major, then seed
};

// Throws InputError naming `path` for a bad sweep file.
SweepSpec load_sweep(const std::string& path);
// Builds and validates every grid point's scenario; throws InputError at
// the axis value that makes a scenario invalid.
SweepPlan expand_sweep(const SweepSpec& spec);
// "heal=8s model=causal seed 3": a run, for messages.
std::string describe_run(const SweepSpec& spec, const SweepPlan& plan, const SweepRun& run);

}  // namespace consim::cli
