// Student t CDF and quantile, and sample summaries; see stats.h.
#include "base/stats.h"

#include <cmath>

namespace consim {
namespace {

constexpr double kPi = 3.14159265358979323846;

// atan(x) for x >= 0 by argument halving (atan x = 2 atan(x / (1 +
// sqrt(1 + x^2)))) down to |x| < 0.1, then the Taylor series.
double own_atan(double x) {
  double scale = 1.0;
  while (x > 0.1) {
    x = x / (1.0 + std::sqrt(1.0 + x * x));
    scale *= 2.0;
  }
  const double x2 = x * x;
  double term = x, sum = 0.0;
  for (int k = 1; k < 60; k += 2) {
    sum += term / k;
    term *= -x2;
    if (std::fabs(term) < 1e-40) break;
  }
  return scale * sum;
}

// A(t|df) = P(|T| <= t) for t >= 0 (Abramowitz & Stegun 26.7.3, 26.7.4):
// with c = df / (df + t^2) = cos^2(theta), s = t / sqrt(df + t^2) = sin(theta),
//   df even: s (1 + c/2 + 1*3 c^2/(2*4) + ... up to df - 2)
//   df odd:  (2/pi) (theta + s cos(theta) (1 + 2/3 c + 2*4/(3*5) c^2 + ...))
double two_sided(double t, std::uint64_t df) {
  const double d = static_cast<double>(df);
  const double c = d / (d + t * t);
  const double s = t / std::sqrt(d + t * t);
  double sum = 1.0, term = 1.0;
  if (df % 2 == 0) {
    for (std::uint64_t k = 2; k + 2 <= df; k += 2) {
      term *= c * static_cast<double>(k - 1) / static_cast<double>(k);
      sum += term;
      if (term < 1e-18 * sum) break;
    }
    return s * sum;
  }
  const double theta = own_atan(t / std::sqrt(d));
  if (df == 1) return 2.0 / kPi * theta;
  for (std::uint64_t k = 3; k + 2 <= df; k += 2) {
    term *= c * static_cast<double>(k - 1) / static_cast<double>(k);
    sum += term;
    if (term < 1e-18 * sum) break;
  }
  return 2.0 / kPi * (theta + s * std::sqrt(c) * sum);
}

// The normal quantile z(p) is needed only at p = 0.975 for large df; other
// p go through the exact CDF.
double cornish_fisher(double z, double df) {
  const double z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df * df) +
         (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df * df * df) +
         (79 * z9 + 776 * z7 + 1482 * z5 - 1920 * z3 - 945 * z) / (92160 * df * df * df * df);
}

}  // namespace

double student_t_cdf(double t, std::uint64_t df) {
  const double a = two_sided(std::fabs(t), df);
  return t >= 0 ? 0.5 + a / 2 : 0.5 - a / 2;
}

double student_t_quantile(double p, std::uint64_t df) {
  if (df > 1000 && p == 0.975) return cornish_fisher(1.959963984540054, static_cast<double>(df));
  double lo = 0.0, hi = 1.0;
  while (student_t_cdf(hi, df) < p && hi < 1e300) hi *= 2;
  for (int i = 0; i < 2000 && lo < hi; ++i) {
    const double mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;  // the interval is one ulp wide
    (student_t_cdf(mid, df) < p ? lo : hi) = mid;
  }
  return hi;
}

SampleSummary summarize(const std::vector<double>& samples) {
  SampleSummary s;
  s.n = samples.size();
  if (s.n == 0) return s;
  double sum = 0.0;
  for (double x : samples) sum += x;
  const double mean = sum / static_cast<double>(s.n);
  s.mean = mean;
  if (s.n < 2) return s;
  double squares = 0.0;
  for (double x : samples) squares += (x - mean) * (x - mean);
  s.sd = std::sqrt(squares / static_cast<double>(s.n - 1));
  s.ci95_half = student_t_quantile(0.975, s.n - 1) * *s.sd / std::sqrt(static_cast<double>(s.n));
  return s;
}

}  // namespace consim
