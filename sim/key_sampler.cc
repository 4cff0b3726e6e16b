// Uniform and Zipf key choice; see key_sampler.h.
#include "sim/key_sampler.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace consim {

std::optional<KeySampler::Problem> KeySampler::check(std::uint64_t keys,
                                                     KeyDistribution distribution,
                                                     double zipf_exponent) {
  if (keys == 0) return Problem{"keys", "need at least 1 key, got 0"};
  if (distribution != KeyDistribution::Zipf) return std::nullopt;
  if (!std::isfinite(zipf_exponent) || zipf_exponent < 0)
    return Problem{"key_distribution", "the zipf exponent must be a finite number >= 0, got " +
                                           std::to_string(zipf_exponent)};
  if (keys > kMaxZipfKeys)
    return Problem{"keys", "zipf supports at most " + std::to_string(kMaxZipfKeys) + " keys, got " +
                               std::to_string(keys)};
  return std::nullopt;
}

KeySampler::KeySampler(std::uint64_t keys, KeyDistribution distribution, double zipf_exponent)
    : keys_(keys), distribution_(distribution) {
  if (auto problem = check(keys, distribution, zipf_exponent))
    throw std::invalid_argument("$.workload." + problem->field + ": " + problem->message);
  if (distribution != KeyDistribution::Zipf) return;
  cdf_.resize(keys);
  double total = 0;
  for (std::uint64_t k = 0; k < keys; ++k) {
    total += std::pow(static_cast<double>(k + 1), -zipf_exponent);
    cdf_[k] = total;
  }
  for (double& c : cdf_) c /= total;
  cdf_.back() = 1.0;
}

std::uint64_t KeySampler::sample(Rng& rng) const {
  if (distribution_ == KeyDistribution::Uniform) return rng.below(keys_);
  // The first key whose cumulative probability exceeds u, u in [0, 1).
  double u = rng.next_double();
  auto it = std::upper_bound(cdf_.begin(), cdf_.end(), u);
  return static_cast<std::uint64_t>(it - cdf_.begin());
}

double KeySampler::probability(std::uint64_t key) const {
  if (key >= keys_) return 0;
  if (distribution_ == KeyDistribution::Uniform) return 1.0 / static_cast<double>(keys_);
  return key == 0 ? cdf_[0] : cdf_[key] - cdf_[key - 1];
}

}  // namespace consim
