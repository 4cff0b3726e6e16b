// TEMPORARY interface stand-in; replaced by the real key sampler on merge.
#pragma once
#include <cstdint>
#include <vector>
#include "sim/rng.h"
#include "sim/scenario.h"
namespace consim {
class KeySampler {
 public:
  KeySampler(std::uint64_t keys, KeyDistribution dist, double zipf_exponent);
  std::uint64_t sample(Rng& rng) const;
 private:
  std::uint64_t keys_;
  std::vector<double> cdf_;
};
}  // namespace consim
