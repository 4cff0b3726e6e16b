// Which key a client operation touches: uniform over keys 0..K-1, or Zipf
// with key 0 the most popular.
//
// Invariants: one sample is exactly one call of the stream (rng.below(K) for
// uniform, rng.next_double() for Zipf), so a client's later draws do not
// depend on which keys it picked. Zipf: P(key k) = (k+1)^-s / H(K, s), with
// H(K, s) = sum over j = 1..K of j^-s; e.g. K = 3, s = 1: P = 6/11, 3/11,
// 2/11. The CDF is precomputed once (8 bytes a key), and a sample is a
// binary search in it, so Zipf is limited to kMaxZipfKeys keys.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/rng.h"
#include "sim/scenario.h"

namespace consim {

class KeySampler {
 public:
  static constexpr std::uint64_t kMaxZipfKeys = 10'000'000;

  // What makes these settings unusable: keys is 0, the exponent is negative
  // or not finite, or Zipf is asked for more than kMaxZipfKeys keys. `field`
  // is the key under $.workload. The loader calls this (so `validate`
  // reports it with the file); the constructor calls it again.
  struct Problem {
    std::string field;
    std::string message;
  };
  static std::optional<Problem> check(std::uint64_t keys, KeyDistribution distribution,
                                      double zipf_exponent);

  // Throws std::invalid_argument when check() finds a problem: a loaded
  // scenario never has one.
  KeySampler(std::uint64_t keys, KeyDistribution distribution, double zipf_exponent);

  std::uint64_t sample(Rng& rng) const;

  std::uint64_t keys() const { return keys_; }
  // The probability of key k (for tests and reports).
  double probability(std::uint64_t key) const;

 private:
  std::uint64_t keys_;
  KeyDistribution distribution_;
  std::vector<double> cdf_;  // Zipf only: cdf_[k] = P(key <= k), last exactly 1
};

}  // namespace consim
