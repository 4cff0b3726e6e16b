// Strict reading of duration distributions; see distribution_json.h.
//
// Worked example: {"type":"mixture","components":[
//   {"weight":0.9,"dist":"2ms"},
//   {"weight":0.1,"dist":{"type":"exponential","mean":"50ms"}}]}
// is 2ms nine times in ten and an exponential tail otherwise; an error in
// the tail is reported at $...components[1].dist.mean.
#include "base/distribution_json.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/json_checks.h"

namespace consim {
namespace {

// Mixtures may nest, but not without bound: a deep file must not exhaust
// the stack.
constexpr int kMaxMixtureDepth = 8;

double ns(Time t) { return static_cast<double>(t); }

double positive_duration(const JsonReader& parent, std::string_view key) {
  Time t = parent.duration(key);
  if (t <= 0) parent.fail_at(key, "must be more than 0");
  return ns(t);
}

Distribution parse_any(const JsonReader& value, int depth);

Distribution parse_mixture(const JsonReader& value, int depth) {
  if (depth >= kMaxMixtureDepth)
    value.fail("mixtures nest at most " + std::to_string(kMaxMixtureDepth) + " deep");
  auto components = value.array("components");
  if (components.empty()) value.fail_at("components", "a mixture needs at least one component");
  dist::Mixture m;
  for (const auto& c : components) {
    c.allow_only({"weight", "dist"});
    m.weights.push_back(positive_number(c.at("weight"), 1e9));
    m.parts.push_back(parse_any(c.at("dist"), depth + 1));
  }
  return Distribution(std::move(m));
}

Distribution parse_empirical(const JsonReader& value) {
  auto points = value.array("cdf");
  if (points.empty()) value.fail_at("cdf", "an empirical CDF needs at least one point");
  dist::Empirical e;
  for (const auto& point : points) {
    auto pair = point.as_array();
    if (pair.size() != 2)
      point.fail("expected a pair [duration, cumulative probability], got " +
                 json_excerpt(point.json()));
    double x = ns(pair[0].as_duration());
    double p = pair[1].as_number(0.0, 1.0);
    if (!e.points.empty() && x <= e.points.back().first)
      pair[0].fail("CDF durations must increase: " + format_duration(static_cast<Time>(x)) +
                   " is not after " + format_duration(static_cast<Time>(e.points.back().first)));
    if (!e.points.empty() && p < e.points.back().second)
      pair[1].fail("CDF probabilities must not decrease: " + json_excerpt(pair[1].json()) +
                   " is below " + json_excerpt(points[e.points.size() - 1].element(1).json()));
    e.points.emplace_back(x, p);
  }
  if (e.points.back().second != 1.0)
    points.back().element(1).fail("the last CDF probability must be 1, got " +
                                  json_excerpt(points.back().element(1).json()));
  return Distribution(std::move(e));
}

Distribution parse_uniform(const JsonReader& value) {
  value.allow_only({"type", "min", "max"});
  Time lo = value.duration("min"), hi = value.duration("max");
  if (lo > hi)
    value.fail_at("max", "max " + format_duration(hi) + " is less than min " + format_duration(lo));
  return Distribution(dist::Uniform{ns(lo), ns(hi)});
}

std::vector<std::string> kind_names() {
  std::vector<std::string> names;
  for (const auto& k : distribution_kinds()) names.emplace_back(k.name);
  return names;
}

Distribution parse_object(const JsonReader& value, int depth) {
  std::string type =
      one_of(value.at("type"), kind_names(), "distribution type", "distribution types");
  if (type == "constant") {
    value.allow_only({"type", "value"});
    return Distribution::constant(ns(value.duration("value")));
  }
  if (type == "uniform") return parse_uniform(value);
  if (type == "normal") {
    value.allow_only({"type", "mean", "sd"});
    return Distribution(dist::Normal{ns(value.duration("mean")), ns(value.duration("sd"))});
  }
  if (type == "lognormal") {
    value.allow_only({"type", "median", "sigma"});
    return Distribution(
        dist::LogNormal{positive_duration(value, "median"), value.number("sigma", 0.0, 10.0)});
  }
  if (type == "exponential") {
    value.allow_only({"type", "mean"});
    return Distribution(dist::Exponential{positive_duration(value, "mean")});
  }
  if (type == "pareto") {
    value.allow_only({"type", "scale", "shape"});
    return Distribution(
        dist::Pareto{positive_duration(value, "scale"), positive_number(value.at("shape"), 100.0)});
  }
  if (type == "mixture") {
    value.allow_only({"type", "components"});
    return parse_mixture(value, depth);
  }
  value.allow_only({"type", "cdf"});
  return parse_empirical(value);
}

Distribution parse_any(const JsonReader& value, int depth) {
  if (value.json().is_string()) return Distribution::constant(ns(value.as_duration()));
  if (!value.json().is_object())
    value.fail(
        "expected a distribution: an object with \"type\", or a duration such as "
        "\"5ms\"; got " +
        json_described(value.json()));
  return parse_object(value, depth);
}

}  // namespace

Distribution parse_distribution(const JsonReader& value) { return parse_any(value, 0); }

}  // namespace consim
