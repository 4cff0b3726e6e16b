// The project's random number generator: xoshiro256** seeded by splitmix64.
//
// Invariants:
//  - Same seed, same sequence, on every compiler and build type. A golden
//    test pins the first outputs.
//  - Streams are named children of one seed: fork("network") depends only
//    on this stream's *seed* and the name, never on how many numbers this
//    stream has drawn. So adding a client (a new fork) never changes what
//    the network draws.
//  - No std::*_distribution anywhere: the samplers below are ours.
#pragma once

#include <cstdint>
#include <string_view>

namespace consim {

class Rng {
 public:
  explicit Rng(std::uint64_t seed);

  // A child stream identified by name, e.g. fork("client/3").
  Rng fork(std::string_view name) const;

  std::uint64_t next_u64();
  // Uniform in [0, 1) with 53 random bits.
  double next_double();
  // Uniform in (0, 1]: safe to take the log of.
  double next_double_open0();
  // Uniform integer in [0, n), unbiased (Lemire's method). n must be > 0.
  std::uint64_t below(std::uint64_t n);
  // True with probability p (p <= 0: never, p >= 1: always, no draw is
  // skipped: exactly one number is consumed either way).
  bool chance(double p);

  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t seed_;
  std::uint64_t s_[4];
};

// splitmix64 step, exposed for hashing seeds and names.
std::uint64_t splitmix64(std::uint64_t& state);
// FNV-1a 64-bit hash of a name: stable across platforms.
std::uint64_t hash_name(std::string_view name);

}  // namespace consim
