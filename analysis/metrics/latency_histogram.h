// A histogram of durations with bounded memory and bounded relative error,
// for latency and staleness percentiles over traces of any length.
//
// The first kExactSamples samples are kept as they are, so percentiles of a
// small run are exact. Past that, samples are folded into log-linear buckets:
// below 128 ns one bucket per nanosecond; above, each power of two is split
// into 64 equal buckets, so a bucket [lo, hi) has (hi - lo) / lo <= 1/64 and
// its midpoint is within 0.8% of any sample in it. Memory is at most a few
// thousand counters, whatever the trace length.
//
// Percentiles use the nearest-rank rule: the p-th percentile of n samples is
// the smallest sample with at least ceil(p * n / 100) samples at or below it.
// Worked example: samples 10, 20, 30, 40 ms: p50 = 20 ms (rank 2), p95 = p99
// = max = 40 ms (rank 4).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/time.h"

namespace consim {

class LatencyHistogram {
 public:
  static constexpr std::size_t kExactSamples = 1024;

  // `duration` must be >= 0 (negative values are clamped to 0).
  void add(Time duration);
  void merge(const LatencyHistogram& other);

  std::uint64_t count() const { return count_; }
  bool exact() const { return buckets_.empty(); }
  // Nearest-rank percentile, `permille` in [1, 1000] (500 = median); nullopt
  // when empty. Exact while exact(); otherwise the bucket midpoint, clamped
  // to the observed minimum and maximum.
  std::optional<Time> percentile(int permille) const;
  std::optional<Time> max() const;

 private:
  void fold();
  void add_to_bucket(Time duration, std::uint64_t times);

  std::uint64_t count_ = 0;
  Time min_ = 0, max_ = 0;
  std::vector<Time> exact_;             // while count_ <= kExactSamples
  std::vector<std::uint64_t> buckets_;  // after folding; grown on demand
};

// Bucket arithmetic, exposed for tests.
std::size_t histogram_bucket_of(Time duration);
Time histogram_bucket_low(std::size_t bucket);
Time histogram_bucket_high(std::size_t bucket);  // exclusive

}  // namespace consim
