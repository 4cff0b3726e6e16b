// The sweep's tables: each run's metrics read from its report, one row per
// run, and per grid point each metric's mean and 95% confidence interval
// (base/stats.h). Written as CSV (runs.csv, aggregate.csv) and JSON
// (sweep.json); docs/sweep.md lists the columns.
//
// Invariants: rows follow the plan's order (grid point, then seed); numbers
// are written in the shortest form that reads back to the same double, and
// a figure that is undefined (null in the report, or a mean of no values,
// or an interval of fewer than two) is an empty CSV cell and a JSON null.
// So the tables are a function of the runs' reports alone: the same sweep
// gives the same bytes on any -j, locally or through Slurm.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/sweep_spec.h"

namespace consim::cli {

using MetricRow = std::vector<std::optional<double>>;  // one per metric

// The run's metrics from its report. A path the report lacks, or a value
// that is not a number, boolean or null (a string without "equals"), is an
// InputError at $.metrics[i].path naming the run (`run`).
MetricRow run_metrics(const SweepSpec& spec, const nlohmann::json& report, const std::string& run);

struct SweepTables {
  std::string runs_csv, aggregate_csv, json;
  std::string summary;  // for the terminal: per point, mean ± half-interval
};

// `rows` lines up with plan.runs.
SweepTables sweep_tables(const SweepSpec& spec, const SweepPlan& plan,
                         const std::vector<MetricRow>& rows);

}  // namespace consim::cli
