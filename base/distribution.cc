// Inverse-CDF and Box-Muller samplers for the duration distributions.
#include "base/distribution.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace consim {
namespace {

double normal01(Rng& rng) {
  // Box-Muller, one output per pair of draws so sampling stays stateless.
  double u1 = rng.next_double_open0();
  double u2 = rng.next_double();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
}

double sample_empirical(const dist::Empirical& e, double u) {
  const auto& pts = e.points;
  if (u <= pts.front().second) return pts.front().first;
  auto it = std::lower_bound(pts.begin(), pts.end(), u,
                             [](const auto& p, double x) { return p.second < x; });
  if (it == pts.end()) return pts.back().first;
  const auto& hi = *it;
  const auto& lo = *(it - 1);
  double span = hi.second - lo.second;
  if (span <= 0) return hi.first;
  return lo.first + (hi.first - lo.first) * (u - lo.second) / span;
}

double empirical_mean(const dist::Empirical& e) {
  double m = e.points.front().first * e.points.front().second;
  for (std::size_t i = 1; i < e.points.size(); ++i) {
    double p = e.points[i].second - e.points[i - 1].second;
    m += p * (e.points[i].first + e.points[i - 1].first) / 2.0;
  }
  return m;
}

std::string dur(double ns) {
  if (!std::isfinite(ns)) return "inf";
  return format_duration(static_cast<Time>(std::llround(ns)));
}

std::string num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

}  // namespace

double Distribution::sample(Rng& rng) const {
  return std::visit(
      [&](const auto& d) -> double {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, dist::Constant>) {
          return d.value;
        } else if constexpr (std::is_same_v<T, dist::Uniform>) {
          return d.lo + (d.hi - d.lo) * rng.next_double();
        } else if constexpr (std::is_same_v<T, dist::Normal>) {
          return d.mean + d.sd * normal01(rng);
        } else if constexpr (std::is_same_v<T, dist::LogNormal>) {
          return d.median * std::exp(d.sigma * normal01(rng));
        } else if constexpr (std::is_same_v<T, dist::Exponential>) {
          return -d.mean * std::log(rng.next_double_open0());
        } else if constexpr (std::is_same_v<T, dist::Pareto>) {
          return d.scale / std::pow(rng.next_double_open0(), 1.0 / d.shape);
        } else if constexpr (std::is_same_v<T, dist::Empirical>) {
          return sample_empirical(d, rng.next_double());
        } else {
          double total = 0;
          for (double w : d.weights) total += w;
          double pick = rng.next_double() * total;
          std::size_t i = 0;
          for (; i + 1 < d.weights.size(); ++i) {
            if (pick < d.weights[i]) break;
            pick -= d.weights[i];
          }
          return d.parts[i].sample(rng);
        }
      },
      kind_);
}

Time Distribution::sample_time(Rng& rng) const {
  double x = sample(rng);
  if (!(x > 0)) return 0;
  if (x >= 9.0e18) return static_cast<Time>(9.0e18);
  return static_cast<Time>(std::llround(x));
}

double Distribution::mean() const {
  return std::visit(
      [&](const auto& d) -> double {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, dist::Constant>) {
          return d.value;
        } else if constexpr (std::is_same_v<T, dist::Uniform>) {
          return (d.lo + d.hi) / 2;
        } else if constexpr (std::is_same_v<T, dist::Normal>) {
          return d.mean;
        } else if constexpr (std::is_same_v<T, dist::LogNormal>) {
          return d.median * std::exp(d.sigma * d.sigma / 2);
        } else if constexpr (std::is_same_v<T, dist::Exponential>) {
          return d.mean;
        } else if constexpr (std::is_same_v<T, dist::Pareto>) {
          if (d.shape <= 1) return std::numeric_limits<double>::infinity();
          return d.shape * d.scale / (d.shape - 1);
        } else if constexpr (std::is_same_v<T, dist::Empirical>) {
          return empirical_mean(d);
        } else {
          double total = 0, m = 0;
          for (std::size_t i = 0; i < d.parts.size(); ++i) {
            total += d.weights[i];
            m += d.weights[i] * d.parts[i].mean();
          }
          return m / total;
        }
      },
      kind_);
}

std::string Distribution::describe() const {
  return std::visit(
      [&](const auto& d) -> std::string {
        using T = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<T, dist::Constant>) {
          return "constant(" + dur(d.value) + ")";
        } else if constexpr (std::is_same_v<T, dist::Uniform>) {
          return "uniform(" + dur(d.lo) + ", " + dur(d.hi) + ")";
        } else if constexpr (std::is_same_v<T, dist::Normal>) {
          return "normal(mean=" + dur(d.mean) + ", sd=" + dur(d.sd) + ")";
        } else if constexpr (std::is_same_v<T, dist::LogNormal>) {
          return "lognormal(median=" + dur(d.median) + ", sigma=" + num(d.sigma) + ")";
        } else if constexpr (std::is_same_v<T, dist::Exponential>) {
          return "exponential(mean=" + dur(d.mean) + ")";
        } else if constexpr (std::is_same_v<T, dist::Pareto>) {
          return "pareto(scale=" + dur(d.scale) + ", shape=" + num(d.shape) + ")";
        } else if constexpr (std::is_same_v<T, dist::Empirical>) {
          return "empirical(" + std::to_string(d.points.size()) + " points)";
        } else {
          std::string s = "mixture(";
          for (std::size_t i = 0; i < d.parts.size(); ++i)
            s += (i ? ", " : "") + num(d.weights[i]) + "*" + d.parts[i].describe();
          return s + ")";
        }
      },
      kind_);
}

const std::vector<DistributionInfo>& distribution_kinds() {
  static const std::vector<DistributionInfo> kinds = {
      {"constant", "always the same value: {\"type\":\"constant\",\"value\":\"5ms\"}"},
      {"uniform",
       "uniform between min and max: {\"type\":\"uniform\",\"min\":\"1ms\",\"max\":\"9ms\"}"},
      {"normal",
       "Gaussian, negatives clamped to 0: {\"type\":\"normal\",\"mean\":\"10ms\",\"sd\":\"2ms\"}"},
      {"lognormal", "ln X normal: {\"type\":\"lognormal\",\"median\":\"10ms\",\"sigma\":0.5}"},
      {"exponential", "memoryless: {\"type\":\"exponential\",\"mean\":\"10ms\"}"},
      {"pareto",
       "heavy tail, P(X>x)=(scale/x)^shape: {\"type\":\"pareto\",\"scale\":\"5ms\",\"shape\":1.5}"},
      {"mixture",
       "weighted choice: "
       "{\"type\":\"mixture\",\"components\":[{\"weight\":0.9,\"dist\":{...}},...]}"},
      {"empirical",
       "CDF points, linear between: {\"type\":\"empirical\",\"cdf\":[[\"1ms\",0],[\"20ms\",1]]}"},
  };
  return kinds;
}

}  // namespace consim
