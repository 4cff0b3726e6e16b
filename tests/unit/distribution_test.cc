// Statistical tests of the duration distributions against their analytic
// moments, plus the documented draw counts, clamping and descriptions.
//
// Tolerances: 200,000 draws per seed, seeds 1..3. The sample mean's standard
// error is sd / sqrt(200000) = 0.22% of sd, so a 1% of sd bound on the mean
// is over 4 standard errors. The sample sd's standard error is about
// sd * sqrt((kurtosis - 1) / (4 N)): 0.16% of sd for a normal, so 2% is
// loose; Pareto(shape 5) has kurtosis ~74, error ~1%, so it gets 5%.
#include "base/distribution.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

using namespace consim;

namespace distribution_test {

namespace {

constexpr int kDraws = 200'000;

struct Moments {
  double mean, sd;
};

Moments sample_moments(const Distribution& d, std::uint64_t seed) {
  Rng rng(seed);
  double mean = 0, squares = 0;  // Welford: exact for a constant
  for (int i = 1; i <= kDraws; ++i) {
    double x = d.sample(rng);
    double delta = x - mean;
    mean += delta / i;
    squares += delta * (x - mean);
  }
  return {mean, std::sqrt(squares / kDraws)};
}

// Checks seeds 1..3: |mean - expected| <= 1% of sd (or 0.1% of the mean
// when sd is 0), |sd - expected| <= sd_tolerance * expected sd.
void check_moments(const Distribution& d, double mean, double sd, double sd_tolerance = 0.02) {
  CAPTURE(d.describe());
  CHECK(d.mean() == doctest::Approx(mean).epsilon(1e-12));
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    Moments m = sample_moments(d, seed);
    CHECK(std::abs(m.mean - mean) <= 0.01 * sd + 1e-9 * mean);
    CHECK(std::abs(m.sd - sd) <= sd_tolerance * sd + 1e-9 * mean);
  }
}

int draws_per_sample(const Distribution& d) {
  Rng rng(17);
  d.sample(rng);
  for (int k = 0; k <= 4; ++k) {
    Rng mirror(17);
    for (int i = 0; i < k; ++i) mirror.next_u64();
    Rng probe = rng;
    if (probe.next_u64() == mirror.next_u64()) return k;
  }
  return -1;
}

}  // namespace

TEST_CASE("distribution: constant is always its value and draws nothing") {
  Distribution d = Distribution::constant(5e6);
  check_moments(d, 5e6, 0);
  CHECK(draws_per_sample(d) == 0);
}

TEST_CASE("distribution: uniform matches its mean and sd") {
  check_moments(Distribution(dist::Uniform{1e6, 9e6}), 5e6, 8e6 / std::sqrt(12.0));
}

TEST_CASE("distribution: normal matches its mean and sd") {
  check_moments(Distribution(dist::Normal{10e6, 2e6}), 10e6, 2e6);
}

TEST_CASE("distribution: lognormal matches its mean and sd") {
  const double median = 10e6, sigma = 0.5, s2 = sigma * sigma;
  check_moments(Distribution(dist::LogNormal{median, sigma}), median * std::exp(s2 / 2),
                median * std::exp(s2 / 2) * std::sqrt(std::exp(s2) - 1));
}

TEST_CASE("distribution: exponential's sd equals its mean") {
  check_moments(Distribution(dist::Exponential{10e6}), 10e6, 10e6);
}

TEST_CASE("distribution: pareto matches its mean and sd when they exist") {
  const double scale = 5e6, shape = 5;
  double sd = scale / (shape - 1) * std::sqrt(shape / (shape - 2));
  check_moments(Distribution(dist::Pareto{scale, shape}), shape * scale / (shape - 1), sd, 0.05);
  CHECK(std::isinf(Distribution(dist::Pareto{scale, 1.0}).mean()));
}

TEST_CASE("distribution: empirical CDF is linear between its points") {
  // Half the mass uniform on [1ms, 3ms], half on [3ms, 11ms].
  Distribution d(dist::Empirical{{{1e6, 0}, {3e6, 0.5}, {11e6, 1}}});
  double second_moment = 0.5 * (1e12 / 3 + 4e12) + 0.5 * (64e12 / 12 + 49e12);
  check_moments(d, 4.5e6, std::sqrt(second_moment - 4.5e6 * 4.5e6));

  Rng rng(2);
  std::vector<double> xs(kDraws);
  for (double& x : xs) x = d.sample(rng);
  std::sort(xs.begin(), xs.end());
  auto quantile = [&](double p) { return xs[static_cast<std::size_t>(p * (kDraws - 1))]; };
  CHECK(quantile(0.25) == doctest::Approx(2e6).epsilon(0.01));
  CHECK(quantile(0.50) == doctest::Approx(3e6).epsilon(0.01));
  CHECK(quantile(0.75) == doctest::Approx(7e6).epsilon(0.01));
  CHECK(quantile(0.90) == doctest::Approx(9.4e6).epsilon(0.01));
  CHECK(xs.front() >= 1e6);
  CHECK(xs.back() <= 11e6);
}

TEST_CASE("distribution: an empirical first probability above 0 is a point mass") {
  Distribution d(dist::Empirical{{{2e6, 0.2}, {4e6, 1}}});
  Rng rng(3);
  int at_first = 0;
  for (int i = 0; i < kDraws; ++i) at_first += d.sample(rng) == 2e6;
  CHECK(static_cast<double>(at_first) / kDraws == doctest::Approx(0.2).epsilon(0.02));
  CHECK(d.mean() == doctest::Approx(0.2 * 2e6 + 0.8 * 3e6));
}

TEST_CASE("distribution: a mixture picks parts in proportion to unnormalised weights") {
  Distribution d(
      dist::Mixture{{3, 1}, {Distribution::constant(1e6), Distribution::constant(10e6)}});
  CHECK(d.mean() == doctest::Approx(3.25e6));
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    Rng rng(seed);
    int first = 0;
    for (int i = 0; i < kDraws; ++i) first += d.sample(rng) == 1e6;
    // Binomial sd of the fraction: sqrt(0.75 * 0.25 / 200000) = 0.001.
    CHECK(std::abs(static_cast<double>(first) / kDraws - 0.75) < 0.005);
  }
  CHECK(draws_per_sample(d) == 1);
}

TEST_CASE("distribution: each kind takes its documented number of draws") {
  CHECK(draws_per_sample(Distribution(dist::Uniform{0, 1})) == 1);
  CHECK(draws_per_sample(Distribution(dist::Exponential{1})) == 1);
  CHECK(draws_per_sample(Distribution(dist::Pareto{1, 2})) == 1);
  CHECK(draws_per_sample(Distribution(dist::Empirical{{{0, 0}, {1, 1}}})) == 1);
  CHECK(draws_per_sample(Distribution(dist::Normal{0, 1})) == 2);
  CHECK(draws_per_sample(Distribution(dist::LogNormal{1, 1})) == 2);
  Distribution mix(
      dist::Mixture{{1, 1}, {Distribution(dist::Normal{0, 1}), Distribution(dist::Normal{5, 1})}});
  CHECK(draws_per_sample(mix) == 3);
}

TEST_CASE("distribution: sample_time rounds to whole ns and clamps negatives to zero") {
  Rng rng(1);
  Distribution below_zero(dist::Normal{-5e6, 1e6});
  for (int i = 0; i < 1000; ++i) CHECK(below_zero.sample_time(rng) == 0);
  Distribution straddle(dist::Normal{0.5e6, 1e6});
  int zeros = 0;
  for (int i = 0; i < kDraws; ++i) {
    Time t = straddle.sample_time(rng);
    REQUIRE(t >= 0);
    zeros += t == 0;
  }
  // P(X < 0) = Phi(-0.5) = 0.3085.
  CHECK(static_cast<double>(zeros) / kDraws == doctest::Approx(0.3085).epsilon(0.02));
  CHECK(Distribution::constant(2.6).sample_time(rng) == 3);
}

TEST_CASE("distribution: describe() prints the kind and its parameters for people") {
  CHECK(Distribution::constant(5e6).describe() == "constant(5ms)");
  CHECK(Distribution(dist::Uniform{1e6, 9e6}).describe() == "uniform(1ms, 9ms)");
  CHECK(Distribution(dist::Normal{10e6, 2e6}).describe() == "normal(mean=10ms, sd=2ms)");
  CHECK(Distribution(dist::LogNormal{10e6, 0.5}).describe() == "lognormal(median=10ms, sigma=0.5)");
  CHECK(Distribution(dist::Exponential{250e3}).describe() == "exponential(mean=250us)");
  CHECK(Distribution(dist::Pareto{5e6, 1.5}).describe() == "pareto(scale=5ms, shape=1.5)");
  CHECK(Distribution(dist::Empirical{{{1e6, 0}, {2e6, 0.5}, {3e6, 1}}}).describe() ==
        "empirical(3 points)");
  Distribution mix(dist::Mixture{
      {0.9, 0.1}, {Distribution::constant(1e6), Distribution(dist::Exponential{50e6})}});
  CHECK(mix.describe() == "mixture(0.9*constant(1ms), 0.1*exponential(mean=50ms))");
  CHECK(distribution_kinds().size() == 8);
}

}  // namespace distribution_test
