// The table of the run analysis's metrics: {name, one-line description,
// factory}. The name is the metric's section in report.json. RunAnalysis
// builds one of each, in table order; `consim list` prints the table.
// Adding a metric: one file under analysis/metrics/ (see metric.h), one line
// here in metric_registry.cc, its source in analysis/meson.build, and its
// section in docs/report.md. No registration from static initializers.
#pragma once

#include <memory>
#include <span>
#include <string_view>

#include "analysis/metrics/metric.h"

namespace consim {

struct MetricEntry {
  std::string_view name;
  std::string_view description;
  std::unique_ptr<Metric> (*make)();
};

std::span<const MetricEntry> metric_registry();

}  // namespace consim
