// Key choice for workloads: Zipf frequencies against theory, uniform
// coverage, one draw per sample, and bad parameters rejected.
#include "sim/key_sampler.h"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "base/json_input.h"

using namespace consim;

namespace key_sampler_test {

namespace {
constexpr int kDraws = 200'000;

std::vector<int> counts(const KeySampler& sampler, std::uint64_t seed) {
  std::vector<int> seen(sampler.keys(), 0);
  Rng rng(seed);
  for (int i = 0; i < kDraws; ++i) ++seen.at(sampler.sample(rng));
  return seen;
}
}  // namespace

TEST_CASE("keys: zipf(1) over 100 keys picks key 0 with probability 1/H(100)") {
  KeySampler sampler(100, KeyDistribution::Zipf, 1.0);
  double harmonic = 0;
  for (int k = 1; k <= 100; ++k) harmonic += 1.0 / k;
  CHECK(sampler.probability(0) == doctest::Approx(1 / harmonic));  // 0.1928
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    std::vector<int> seen = counts(sampler, seed);
    // Binomial sd of the fraction is 0.0009; 0.005 is over 5 sd.
    CHECK(std::abs(static_cast<double>(seen[0]) / kDraws - 1 / harmonic) < 0.005);
    CHECK(std::abs(static_cast<double>(seen[1]) / kDraws - 0.5 / harmonic) < 0.005);
    CHECK(seen[0] > seen[9]);
    CHECK(seen[9] > seen[99]);
  }
}

TEST_CASE("keys: zipf with a steeper exponent concentrates on key 0") {
  KeySampler sampler(3, KeyDistribution::Zipf, 2.0);
  // Weights 1, 1/4, 1/9: total 49/36.
  CHECK(sampler.probability(0) == doctest::Approx(36.0 / 49));
  CHECK(sampler.probability(2) == doctest::Approx(4.0 / 49));
  std::vector<int> seen = counts(sampler, 5);
  CHECK(std::abs(static_cast<double>(seen[0]) / kDraws - 36.0 / 49) < 0.005);
}

TEST_CASE("keys: uniform covers every key about equally") {
  KeySampler sampler(10, KeyDistribution::Uniform, 1.0);
  for (int seen : counts(sampler, 1)) CHECK(std::abs(seen - kDraws / 10) < 1000);
}

TEST_CASE("keys: one sample is one draw, so later draws do not depend on the key") {
  for (KeyDistribution d : {KeyDistribution::Uniform, KeyDistribution::Zipf}) {
    KeySampler sampler(1000, d, 0.9);
    Rng rng(8), mirror(8);
    sampler.sample(rng);
    mirror.next_u64();
    CHECK(rng.next_u64() == mirror.next_u64());
  }
}

TEST_CASE("keys: zero keys or a negative exponent is an input error") {
  CHECK_THROWS_AS(KeySampler(0, KeyDistribution::Uniform, 1.0), std::invalid_argument);
  CHECK_THROWS_AS(KeySampler(10, KeyDistribution::Zipf, -0.5), std::invalid_argument);
  CHECK_THROWS_AS(KeySampler(KeySampler::kMaxZipfKeys + 1, KeyDistribution::Zipf, 1.0),
                  std::invalid_argument);
  auto problem = KeySampler::check(KeySampler::kMaxZipfKeys + 1, KeyDistribution::Zipf, 1.0);
  REQUIRE(problem.has_value());
  CHECK(problem->field == "keys");
  CHECK(problem->message == "zipf supports at most 10000000 keys, got 10000001");
  CHECK(!KeySampler::check(KeySampler::kMaxZipfKeys, KeyDistribution::Zipf, 1.0));
  CHECK(!KeySampler::check(KeySampler::kMaxZipfKeys + 1, KeyDistribution::Uniform, 1.0));
}

}  // namespace key_sampler_test
