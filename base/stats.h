// Sample statistics for sweeps: mean, standard deviation and the 95%
// confidence interval of the mean from Student's t distribution.
//
// Deterministic on every machine and compiler: only IEEE arithmetic and
// sqrt (both correctly rounded) are used, no libm function whose last bit
// may differ between libraries (atan is computed here, by series). The t
// quantile comes from the exact t CDF for integer degrees of freedom
// (the closed forms in Abramowitz & Stegun 26.7.3/26.7.4), inverted by
// bisection; past 1000 degrees of freedom from the Cornish-Fisher
// expansion around the normal quantile, which is then exact to 1e-15.
//
// Worked example: the samples 1, 2, 3, 4, 5 have mean 3, sd 1.5811 (n - 1
// in the denominator), standard error 0.7071; t(0.975, 4) = 2.7764, so the
// 95% interval is 3 ± 1.9632 = [1.0368, 4.9632].
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace consim {

// P(T <= t) for Student's t with `df` >= 1 degrees of freedom.
double student_t_cdf(double t, std::uint64_t df);
// The t with P(T <= t) = p, for p in (0.5, 1) and df >= 1.
double student_t_quantile(double p, std::uint64_t df);

struct SampleSummary {
  std::uint64_t n = 0;
  std::optional<double> mean;  // none when n == 0
  std::optional<double> sd;    // sample standard deviation; none when n < 2
  // Half the width of the 95% confidence interval of the mean: t(0.975,
  // n - 1) * sd / sqrt(n); none when n < 2.
  std::optional<double> ci95_half;
};

// Summarizes the samples in the order given (the sums run in that order).
SampleSummary summarize(const std::vector<double>& samples);

}  // namespace consim
