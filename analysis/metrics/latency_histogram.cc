// Log-linear histogram: see latency_histogram.h for the error bound.
#include "analysis/metrics/latency_histogram.h"

#include <algorithm>
#include <bit>

namespace consim {
namespace {

constexpr std::size_t kLinear = 128;  // exact buckets below 128 ns
constexpr int kSubBits = 6;           // 64 buckets per power of two above

}  // namespace

std::size_t histogram_bucket_of(Time duration) {
  const auto v = static_cast<std::uint64_t>(std::max<Time>(duration, 0));
  if (v < kLinear) return static_cast<std::size_t>(v);
  const int exponent = std::bit_width(v) - 1;  // >= 7
  const int shift = exponent - kSubBits;
  const std::uint64_t mantissa = v >> shift;  // in [64, 128)
  return kLinear + static_cast<std::size_t>(exponent - 7) * 64 +
         static_cast<std::size_t>(mantissa - 64);
}

Time histogram_bucket_low(std::size_t bucket) {
  if (bucket < kLinear) return static_cast<Time>(bucket);
  const std::size_t above = bucket - kLinear;
  const int exponent = static_cast<int>(above / 64) + 7;
  const std::uint64_t mantissa = 64 + above % 64;
  return static_cast<Time>(mantissa << (exponent - kSubBits));
}

Time histogram_bucket_high(std::size_t bucket) {
  if (bucket < kLinear) return static_cast<Time>(bucket) + 1;
  const std::size_t above = bucket - kLinear;
  const int exponent = static_cast<int>(above / 64) + 7;
  const std::uint64_t mantissa = 64 + above % 64;
  return static_cast<Time>((mantissa + 1) << (exponent - kSubBits));
}

void LatencyHistogram::add(Time duration) {
  duration = std::max<Time>(duration, 0);
  if (count_ == 0) {
    min_ = max_ = duration;
  } else {
    min_ = std::min(min_, duration);
    max_ = std::max(max_, duration);
  }
  ++count_;
  if (buckets_.empty()) {
    exact_.push_back(duration);
    if (exact_.size() > kExactSamples) fold();
  } else {
    add_to_bucket(duration, 1);
  }
}

void LatencyHistogram::add_to_bucket(Time duration, std::uint64_t times) {
  const std::size_t bucket = histogram_bucket_of(duration);
  if (bucket >= buckets_.size()) buckets_.resize(bucket + 1, 0);
  buckets_[bucket] += times;
}

void LatencyHistogram::fold() {
  if (buckets_.empty()) buckets_.resize(1, 0);
  for (Time sample : exact_) add_to_bucket(sample, 1);
  exact_.clear();
  exact_.shrink_to_fit();
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  if (other.count_ == 0) return;
  if (count_ == 0) {
    min_ = other.min_;
    max_ = other.max_;
  } else {
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
  }
  count_ += other.count_;
  if (buckets_.empty() && other.buckets_.empty() && count_ <= kExactSamples) {
    exact_.insert(exact_.end(), other.exact_.begin(), other.exact_.end());
    return;
  }
  if (buckets_.empty()) fold();
  for (Time sample : other.exact_) add_to_bucket(sample, 1);
  for (std::size_t b = 0; b < other.buckets_.size(); ++b) {
    if (other.buckets_[b] == 0) continue;
    if (b >= buckets_.size()) buckets_.resize(b + 1, 0);
    buckets_[b] += other.buckets_[b];
  }
}

std::optional<Time> LatencyHistogram::max() const {
  if (count_ == 0) return std::nullopt;
  return max_;
}

std::optional<Time> LatencyHistogram::percentile(int permille) const {
  if (count_ == 0) return std::nullopt;
  permille = std::clamp(permille, 1, 1000);
  // Nearest rank: ceil(permille * n / 1000), in integers.
  const std::uint64_t rank =
      std::max<std::uint64_t>(1, (static_cast<std::uint64_t>(permille) * count_ + 999) / 1000);
  if (buckets_.empty()) {
    std::vector<Time> sorted = exact_;
    std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(rank - 1),
                     sorted.end());
    return sorted[rank - 1];
  }
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= rank) {
      const Time low = histogram_bucket_low(b), high = histogram_bucket_high(b);
      const Time mid = low + (high - 1 - low) / 2;
      return std::clamp(mid, min_, max_);
    }
  }
  return max_;
}

}  // namespace consim
