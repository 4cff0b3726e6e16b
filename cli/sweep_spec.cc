// The sweep file loader and the grid expansion; see sweep_spec.h.
#include "cli/sweep_spec.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "analysis/checkers/checks.h"
#include "base/json_input.h"
#include "models/registry.h"
#include "sim/scenario_loader.h"

namespace consim::cli {
namespace {

constexpr std::uint64_t kMaxRuns = 1'000'000;

std::string read_sweep_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError(path, "$", "no such file");
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path, "$", "is a directory, not a sweep file");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw InputError(path, "$", "the file cannot be read");
  return text.str();
}

JsonPath path_at(const JsonReader& r) {
  try {
    return parse_json_path(r.as_string());
  } catch (const std::invalid_argument& e) {
    r.fail(e.what());
  }
}

// A name for a table column: unique, and none of the fixed columns.
std::string column_name(const JsonReader& r, std::set<std::string>& taken) {
  std::string name = r.string("name");
  if (name.empty() || name.find_first_of(",\"\n\r") != std::string::npos)
    r.fail_at("name", "a column name must be non-empty, without commas, quotes or newlines");
  if (!taken.insert(name).second)
    r.fail_at("name",
              "\"" + name + "\" names another column (point, seed, run, an axis or a metric)");
  return name;
}

std::vector<std::string> value_texts(const JsonReader& values, std::size_t count) {
  const auto elements = values.as_array();
  if (elements.size() != count)
    values.fail("expected " + std::to_string(count) + " values, one per label in values, got " +
                std::to_string(elements.size()));
  std::vector<std::string> texts;
  for (const auto& e : elements) texts.push_back(e.json().dump());
  return texts;
}

void check_settable(const JsonReader& r, const JsonPath& path) {
  if (path.steps.empty()) r.fail("a grid path must name a field, not the whole scenario ($)");
  if (path.steps.size() == 1 && path.steps[0].name == "seed")
    r.fail("the seed is not a grid axis: list the seeds in \"seeds\"");
}

SweepAxis read_axis(const JsonReader& r, std::set<std::string>& taken) {
  r.allow_only({"name", "path", "values", "set"});
  SweepAxis axis;
  axis.name = column_name(r, taken);
  const auto values = r.array("values");
  if (values.empty()) r.fail_at("values", "an axis needs at least one value");
  std::set<std::string> seen;
  for (const auto& v : values) {
    std::string label = v.json().is_string() ? v.json().get<std::string>() : v.json().dump();
    if (!seen.insert(v.json().dump()).second) v.fail("value " + v.json().dump() + " appears twice");
    axis.labels.push_back(label);
  }
  if (r.has("path") == r.has("set"))
    r.fail(
        "an axis has either \"path\" (the values are set there) or \"set\" (paths to the "
        "values for each label), not " +
        std::string(r.has("path") ? "both" : "neither"));
  if (r.has("path")) {
    JsonPath path = path_at(r.at("path"));
    check_settable(r.at("path"), path);
    axis.sets.emplace_back(path, value_texts(r.at("values"), values.size()));
    return axis;
  }
  const JsonReader set = r.at("set");
  set.expect_object();
  if (set.json().empty()) set.fail("expected at least one path");
  for (const auto& [key, ignored] : set.json().items()) {
    const JsonReader entry = set.at(key);
    JsonPath path;
    try {
      path = parse_json_path(key);
    } catch (const std::invalid_argument& e) {
      entry.fail(e.what());
    }
    check_settable(entry, path);
    axis.sets.emplace_back(path, value_texts(entry, values.size()));
  }
  return axis;
}

std::vector<std::uint64_t> read_seeds(const JsonReader& r) {
  std::vector<std::uint64_t> seeds;
  if (r.json().is_array()) {
    std::set<std::uint64_t> seen;
    for (const auto& e : r.as_array()) {
      const nlohmann::json& v = e.json();
      const bool ok =
          v.is_number_unsigned() || (v.is_number_integer() && v.get<std::int64_t>() >= 0);
      if (!ok) e.fail("expected a seed (a non-negative whole number), got " + json_described(v));
      if (!seen.insert(v.get<std::uint64_t>()).second)
        e.fail("seed " + v.dump() + " appears twice");
      seeds.push_back(v.get<std::uint64_t>());
    }
    if (seeds.empty()) r.fail("expected at least one seed");
    if (seeds.size() > kMaxRuns) r.fail("at most 1000000 seeds");
    return seeds;
  }
  if (!r.json().is_object())
    r.fail("expected a list of seeds or {\"first\": S, \"count\": N}, got " +
           json_described(r.json()));
  r.allow_only({"first", "count"});
  const std::uint64_t first = r.seed("first");
  const auto count = static_cast<std::uint64_t>(r.integer("count", 1, kMaxRuns));
  if (first > UINT64_MAX - (count - 1)) r.fail("the last seed would pass 18446744073709551615");
  for (std::uint64_t i = 0; i < count; ++i) seeds.push_back(first + i);
  return seeds;
}

SweepMetric read_metric(const JsonReader& r, std::set<std::string>& taken) {
  r.allow_only({"name", "path", "equals"});
  SweepMetric m;
  m.name = column_name(r, taken);
  m.path = path_at(r.at("path"));
  if (r.has("equals")) m.equals = r.string("equals");
  return m;
}

std::string resolve_scenario(const std::string& sweep_file, const std::string& scenario) {
  const std::filesystem::path p(scenario);
  if (p.is_absolute()) return scenario;
  return (std::filesystem::path(sweep_file).parent_path() / p).lexically_normal().string();
}

}  // namespace

SweepSpec load_sweep(const std::string& path) {
  const nlohmann::json doc = parse_json_text(read_sweep_file(path), path);
  const JsonReader r(doc, path);
  r.allow_only(
      {"name", "description", "scenario", "seeds", "grid", "metrics", "trace_level", "checkers"});
  SweepSpec spec;
  spec.file = path;
  spec.name = r.has("name") ? r.string("name") : std::filesystem::path(path).stem().string();
  if (r.has("description")) r.string("description");
  spec.scenario_file = resolve_scenario(path, r.string("scenario"));
  spec.seeds = read_seeds(r.at("seeds"));
  std::set<std::string> taken = {"point", "seed", "run"};
  for (const auto& axis : r.array("grid")) spec.axes.push_back(read_axis(axis, taken));
  for (const auto& metric : r.array("metrics")) spec.metrics.push_back(read_metric(metric, taken));
  if (spec.metrics.empty()) r.fail_at("metrics", "expected at least one metric");
  if (r.has("trace_level")) {
    spec.trace_level = r.string("trace_level");
    if (*spec.trace_level != "ops" && *spec.trace_level != "state" && *spec.trace_level != "full")
      r.fail_at("trace_level", "expected ops, state or full, got \"" + *spec.trace_level + "\"");
  }
  if (r.has("checkers")) {
    spec.checkers = r.string("checkers");
    const std::string error = checker_list_error(spec.checkers);
    if (!error.empty()) r.fail_at("checkers", error);
  }
  std::uint64_t points = 1;
  for (const auto& axis : spec.axes) {
    points *= axis.labels.size();
    if (points * spec.seeds.size() > kMaxRuns)
      r.fail_at("grid", "more than 1000000 runs (grid points times seeds)");
  }
  return spec;
}

namespace {

// FNV-1a, then mixed.
std::uint64_t digest(const std::string& text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;  // splitmix64's finalizer: spread the last
  h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;  // bytes' differences over every digit
  return h ^ (h >> 31);
}

std::string hex16(std::uint64_t x) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(x));
  return buf;
}

std::string axis_path(std::size_t a, const SweepAxis& axis, std::size_t s) {
  const std::string at = "$.grid[" + std::to_string(a) + "]";
  return axis.sets.size() == 1 && s == 0 ? at : at + ".set." + axis.sets[s].first.text;
}

// The point's scenario document: the base with value `index[a]` of each
// axis set; its scenario is validated by the caller.
nlohmann::json point_doc(const SweepSpec& spec, const nlohmann::json& base,
                         const std::vector<std::size_t>& index) {
  nlohmann::json doc = base;
  for (std::size_t a = 0; a < spec.axes.size(); ++a) {
    const SweepAxis& axis = spec.axes[a];
    for (std::size_t s = 0; s < axis.sets.size(); ++s) {
      const auto& [path, values] = axis.sets[s];
      std::string missing;
      if (!set_at(doc, path, nlohmann::json::parse(values[index[a]]), missing))
        throw InputError(spec.file, axis_path(a, axis, s),
                         "cannot set " + path.text + " in " + spec.scenario_file + ": " + missing);
    }
  }
  return doc;
}

std::string labels_text(const SweepSpec& spec, const std::vector<std::string>& labels) {
  std::string text;
  for (std::size_t a = 0; a < labels.size(); ++a)
    text += (a ? " " : "") + spec.axes[a].name + "=" + labels[a];
  return text;
}

}  // namespace

SweepPlan expand_sweep(const SweepSpec& spec) {
  Scenario base;
  try {
    base = load_scenario(spec.scenario_file, model_registry());
  } catch (const InputError& e) {
    throw InputError(spec.file, "$.scenario", e.what());
  }
  SweepPlan plan;
  std::vector<std::size_t> index(spec.axes.size(), 0);
  const std::string level = spec.trace_level.value_or("as-scenario");
  for (bool more = true; more;) {
    SweepPoint point;
    for (std::size_t a = 0; a < spec.axes.size(); ++a)
      point.labels.push_back(spec.axes[a].labels[index[a]]);
    const nlohmann::json doc = point_doc(spec, *base.source, index);
    try {
      point.scenario = parse_scenario(doc, spec.scenario_file, model_registry());
    } catch (const InputError& e) {
      throw InputError(
          spec.file, "$.grid",
          "with " + labels_text(spec, point.labels) + " the scenario is invalid: " + e.what());
    }
    if (spec.trace_level) {
      const std::string& l = *spec.trace_level;
      point.scenario.trace_level =
          l == "ops" ? TraceLevel::Ops : (l == "state" ? TraceLevel::State : TraceLevel::Full);
    }
    const std::string text = doc.dump() + "\nlevel " + level + "\ncheckers " + spec.checkers;
    for (std::uint64_t seed : spec.seeds)
      plan.runs.push_back(
          {plan.points.size(), seed, hex16(digest(text + "\nseed " + std::to_string(seed)))});
    plan.points.push_back(std::move(point));
    more = false;  // the next index, the last axis fastest
    for (std::size_t a = spec.axes.size(); a-- > 0;) {
      if (++index[a] < spec.axes[a].labels.size()) {
        more = true;
        break;
      }
      index[a] = 0;
    }
  }
  return plan;
}

std::string describe_run(const SweepSpec& spec, const SweepPlan& plan, const SweepRun& run) {
  const std::string labels = labels_text(spec, plan.points[run.point].labels);
  return labels + (labels.empty() ? "" : " ") + "seed " + std::to_string(run.seed);
}

}  // namespace consim::cli
