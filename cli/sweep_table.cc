// Sweep tables and aggregates; see sweep_table.h.
#include "cli/sweep_table.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/json_input.h"
#include "base/stats.h"
#include "base/text_table.h"

namespace consim::cli {
namespace {

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

nlohmann::json number(const std::optional<double>& x) {
  return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
}

std::string csv_number(const std::optional<double>& x) { return x ? number(x).dump() : ""; }

std::string join_row(const std::vector<std::string>& cells) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) line += (i ? "," : "") + cells[i];
  return line + "\n";
}

nlohmann::json labels_json(const SweepSpec& spec, const SweepPoint& point) {
  nlohmann::json values = nlohmann::json::object();
  for (std::size_t a = 0; a < spec.axes.size(); ++a) values[spec.axes[a].name] = point.labels[a];
  return values;
}

std::vector<std::string> point_cells(std::size_t index, const SweepPoint& point) {
  std::vector<std::string> cells = {std::to_string(index)};
  for (const auto& label : point.labels) cells.push_back(csv_cell(label));
  return cells;
}

struct Aggregate {
  std::size_t runs = 0;
  std::vector<SampleSummary> metrics;
};

std::vector<Aggregate> aggregate(const SweepSpec& spec, const SweepPlan& plan,
                                 const std::vector<MetricRow>& rows) {
  std::vector<std::vector<std::vector<double>>> samples(
      plan.points.size(), std::vector<std::vector<double>>(spec.metrics.size()));
  std::vector<Aggregate> out(plan.points.size());
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    const std::size_t p = plan.runs[r].point;
    ++out[p].runs;
    for (std::size_t m = 0; m < spec.metrics.size(); ++m)
      if (rows[r][m]) samples[p][m].push_back(*rows[r][m]);
  }
  for (std::size_t p = 0; p < out.size(); ++p)
    for (const auto& values : samples[p]) out[p].metrics.push_back(summarize(values));
  return out;
}

std::optional<double> low(const SampleSummary& s) {
  return s.ci95_half ? std::optional<double>(*s.mean - *s.ci95_half) : std::nullopt;
}
std::optional<double> high(const SampleSummary& s) {
  return s.ci95_half ? std::optional<double>(*s.mean + *s.ci95_half) : std::nullopt;
}

std::string runs_csv(const SweepSpec& spec, const SweepPlan& plan,
                     const std::vector<MetricRow>& rows) {
  std::vector<std::string> head = {"point"};
  for (const auto& axis : spec.axes) head.push_back(axis.name);
  for (const char* fixed : {"seed", "run"}) head.push_back(fixed);
  for (const auto& m : spec.metrics) head.push_back(m.name);
  std::string csv = join_row(head);
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    const SweepRun& run = plan.runs[r];
    std::vector<std::string> cells = point_cells(run.point, plan.points[run.point]);
    cells.push_back(std::to_string(run.seed));
    cells.push_back(run.key);
    for (const auto& value : rows[r]) cells.push_back(csv_number(value));
    csv += join_row(cells);
  }
  return csv;
}

std::string aggregate_csv(const SweepSpec& spec, const SweepPlan& plan,
                          const std::vector<Aggregate>& aggregates) {
  std::vector<std::string> head = {"point"};
  for (const auto& axis : spec.axes) head.push_back(axis.name);
  head.push_back("runs");
  for (const auto& m : spec.metrics)
    for (const char* suffix : {"_n", "_mean", "_sd", "_ci95_low", "_ci95_high"})
      head.push_back(m.name + suffix);
  std::string csv = join_row(head);
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    std::vector<std::string> cells = point_cells(p, plan.points[p]);
    cells.push_back(std::to_string(aggregates[p].runs));
    for (const SampleSummary& s : aggregates[p].metrics) {
      cells.push_back(std::to_string(s.n));
      for (const auto& x : {s.mean, s.sd, low(s), high(s)}) cells.push_back(csv_number(x));
    }
    csv += join_row(cells);
  }
  return csv;
}

nlohmann::json summary_json(const SampleSummary& s) {
  return {{"n", s.n},
          {"mean", number(s.mean)},
          {"sd", number(s.sd)},
          {"ci95_low", number(low(s))},
          {"ci95_high", number(high(s))},
          {"ci95_half", number(s.ci95_half)}};
}

nlohmann::json tables_json(const SweepSpec& spec, const SweepPlan& plan,
                           const std::vector<MetricRow>& rows,
                           const std::vector<Aggregate>& aggregates) {
  nlohmann::json doc = {{"format", "consim-sweep"}, {"version", 1}, {"name", spec.name}};
  for (const auto& axis : spec.axes)
    doc["axes"].push_back({{"name", axis.name}, {"values", axis.labels}});
  if (spec.axes.empty()) doc["axes"] = nlohmann::json::array();
  for (const auto& m : spec.metrics)
    doc["metrics"].push_back({{"name", m.name}, {"path", m.path.text}});
  doc["seeds"] = spec.seeds;
  doc["runs"] = nlohmann::json::array();
  for (std::size_t r = 0; r < plan.runs.size(); ++r) {
    const SweepRun& run = plan.runs[r];
    nlohmann::json metrics = nlohmann::json::object();
    for (std::size_t m = 0; m < spec.metrics.size(); ++m)
      metrics[spec.metrics[m].name] = number(rows[r][m]);
    doc["runs"].push_back({{"point", run.point},
                           {"values", labels_json(spec, plan.points[run.point])},
                           {"seed", run.seed},
                           {"run", run.key},
                           {"metrics", metrics}});
  }
  doc["aggregate"] = nlohmann::json::array();
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    nlohmann::json metrics = nlohmann::json::object();
    for (std::size_t m = 0; m < spec.metrics.size(); ++m)
      metrics[spec.metrics[m].name] = summary_json(aggregates[p].metrics[m]);
    doc["aggregate"].push_back({{"point", p},
                                {"values", labels_json(spec, plan.points[p])},
                                {"runs", aggregates[p].runs},
                                {"metrics", metrics}});
  }
  return doc;
}

std::string summary_text(const SweepSpec& spec, const SweepPlan& plan,
                         const std::vector<Aggregate>& aggregates) {
  std::vector<std::vector<std::string>> table(1);
  for (const auto& axis : spec.axes) table[0].push_back(axis.name);
  for (const auto& m : spec.metrics) table[0].push_back(m.name + " (mean ± 95% CI)");
  for (std::size_t p = 0; p < plan.points.size(); ++p) {
    std::vector<std::string> row = plan.points[p].labels;
    for (const SampleSummary& s : aggregates[p].metrics) {
      char buf[64] = "-";
      if (s.mean && s.ci95_half)
        std::snprintf(buf, sizeof buf, "%.4g ± %.2g", *s.mean, *s.ci95_half);
      else if (s.mean)
        std::snprintf(buf, sizeof buf, "%.4g", *s.mean);
      row.push_back(buf);
    }
    table.push_back(row);
  }
  std::vector<std::size_t> widths(table[0].size(), 0);
  for (std::size_t c = 0; c < widths.size(); ++c) {
    std::vector<std::string> column;
    for (const auto& row : table) column.push_back(row[c]);
    widths[c] = column_width(column);
  }
  std::string text;
  for (const auto& row : table) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) line += pad_right(row[c], widths[c] + 2);
    text += line.substr(0, line.find_last_not_of(' ') + 1) + "\n";
  }
  return text;
}

}  // namespace

MetricRow run_metrics(const SweepSpec& spec, const nlohmann::json& report, const std::string& run) {
  MetricRow row;
  for (std::size_t m = 0; m < spec.metrics.size(); ++m) {
    const SweepMetric& metric = spec.metrics[m];
    const std::string where = "$.metrics[" + std::to_string(m) + "].path";
    std::string missing;
    const nlohmann::json* value = find_at(report, metric.path, missing);
    if (!value) throw InputError(spec.file, where, "the report of run " + run + " has " + missing);
    if (metric.equals) {
      row.push_back(value->is_string() && value->get<std::string>() == *metric.equals ? 1.0 : 0.0);
    } else if (value->is_number()) {
      row.push_back(value->get<double>());
    } else if (value->is_boolean()) {
      row.push_back(value->get<bool>() ? 1.0 : 0.0);
    } else if (value->is_null()) {
      row.push_back(std::nullopt);
    } else {
      throw InputError(spec.file, where,
                       metric.path.text + " is " + json_described(*value) +
                           " in the report of run " + run + ", not a number" +
                           (value->is_string() ? ": add \"equals\" to count a value" : ""));
    }
  }
  return row;
}

SweepTables sweep_tables(const SweepSpec& spec, const SweepPlan& plan,
                         const std::vector<MetricRow>& rows) {
  const std::vector<Aggregate> aggregates = aggregate(spec, plan, rows);
  SweepTables t;
  t.runs_csv = runs_csv(spec, plan, rows);
  t.aggregate_csv = aggregate_csv(spec, plan, aggregates);
  t.json = tables_json(spec, plan, rows, aggregates).dump(2) + "\n";
  t.summary = summary_text(spec, plan, aggregates);
  return t;
}

}  // namespace consim::cli
