// Duration distributions the project samples itself (never std::*_distribution,
// whose output differs between standard libraries).
//
// Every parameter and every sample is in nanoseconds (a double). A sampled
// latency or think time goes through sample_time(), which rounds to whole
// nanoseconds and clamps negatives (a normal's left tail) to zero.
// Each sample consumes a fixed number of draws from the stream: one for
// constant-free kinds, two for normal, one plus the component's for a
// mixture. Constant consumes none.
#pragma once

#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/rng.h"
#include "base/time.h"

namespace consim {

class Distribution;

namespace dist {
struct Constant {
  double value;
};
struct Uniform {
  double lo, hi;
};
struct Normal {
  double mean, sd;
};
// ln X ~ Normal(ln median, sigma).
struct LogNormal {
  double median, sigma;
};
struct Exponential {
  double mean;
};
// P(X > x) = (scale / x)^shape for x >= scale.
struct Pareto {
  double scale, shape;
};
// Points (value, cumulative probability): values increasing, probabilities
// non-decreasing, the last exactly 1. Linear between points; a first
// probability above 0 is a point mass at the first value.
struct Empirical {
  std::vector<std::pair<double, double>> points;
};
struct Mixture {
  std::vector<double> weights;  // positive, need not sum to 1
  std::vector<Distribution> parts;
};
}  // namespace dist

class Distribution {
 public:
  using Kind = std::variant<dist::Constant, dist::Uniform, dist::Normal, dist::LogNormal,
                            dist::Exponential, dist::Pareto, dist::Empirical, dist::Mixture>;

  Distribution() : kind_(dist::Constant{0}) {}
  explicit Distribution(Kind kind) : kind_(std::move(kind)) {}

  static Distribution constant(double ns) { return Distribution(dist::Constant{ns}); }

  double sample(Rng& rng) const;
  // sample() rounded to whole ns, negatives clamped to 0.
  Time sample_time(Rng& rng) const;
  // The analytic mean (infinity for Pareto with shape <= 1).
  double mean() const;
  // One line for people: "normal(mean=10ms, sd=2ms)".
  std::string describe() const;

  const Kind& kind() const { return kind_; }

 private:
  Kind kind_;
};

// The kinds, each with a one-line description, for `consim list`.
struct DistributionInfo {
  const char* name;
  const char* description;
};
const std::vector<DistributionInfo>& distribution_kinds();

}  // namespace consim
