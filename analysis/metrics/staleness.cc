// Stale-read classification and statistics: see staleness.h.
#include "analysis/metrics/staleness.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "analysis/metrics/op_stats.h"

namespace consim {
namespace {

ReadVerdict stale(std::uint64_t k, Time t, bool lower_bound) {
  return ReadVerdict{ReadVerdict::Kind::Stale, k, t, lower_bound};
}

}  // namespace

ReadVerdict classify_read(const KeyWrites& writes, const ValueLookup& source,
                          std::uint64_t acked_before, Time start) {
  const ReadVerdict fresh{};
  const ReadVerdict unclassified{ReadVerdict::Kind::Unclassified, 0, 0, false};
  if (acked_before == 0) return fresh;  // no W: nothing to be behind
  const std::uint64_t oldest = writes.oldest_kept();
  switch (source.source) {
    case ValueSource::Unacked:
      return fresh;
    case ValueSource::Null:
      return stale(acked_before, start - writes.first_ack_time(), false);
    case ValueSource::Acked:
      if (source.index + 1 >= acked_before) return fresh;  // W itself, or newer
      return stale(acked_before - 1 - source.index, start - writes.at(source.index + 1).ack_time,
                   false);
    case ValueSource::OlderThanWindow:
      if (acked_before <= oldest) return unclassified;  // W left the window too
      return stale(acked_before - oldest, start - writes.at(oldest).ack_time, true);
    case ValueSource::Unknown:
      return unclassified;
  }
  return unclassified;
}

bool fresher(const ReadVerdict& a, const ReadVerdict& b) {
  using K = ReadVerdict::Kind;
  auto order = [](K k) { return k == K::Fresh ? 0 : k == K::Stale ? 1 : 2; };
  if (a.kind != b.kind) return order(a.kind) < order(b.kind);
  return a.kind == K::Stale && a.k < b.k;
}

void StaleStats::add(const ReadVerdict& verdict) {
  ++reads_ok_;
  switch (verdict.kind) {
    case ReadVerdict::Kind::Fresh:
      return;
    case ReadVerdict::Kind::Unclassified:
      ++unclassified_;
      return;
    case ReadVerdict::Kind::Stale:
      ++stale_;
      if (verdict.lower_bound) ++lower_bounds_;
      ++k_counts_[std::min(verdict.k, kHistogramCap)];
      k_sum_ += static_cast<double>(verdict.k);
      k_max_ = std::max(k_max_, verdict.k);
      t_.add(verdict.t);
      return;
  }
}

void StaleStats::merge(const StaleStats& other) {
  reads_ok_ += other.reads_ok_;
  stale_ += other.stale_;
  unclassified_ += other.unclassified_;
  lower_bounds_ += other.lower_bounds_;
  for (const auto& [k, count] : other.k_counts_) k_counts_[k] += count;
  k_sum_ += other.k_sum_;
  k_max_ = std::max(k_max_, other.k_max_);
  t_.merge(other.t_);
}

nlohmann::json StaleStats::to_json() const {
  nlohmann::json histogram = nlohmann::json::array();
  for (const auto& [k, count] : k_counts_) {
    histogram.push_back({{"k", k}, {"count", count}});
    if (k == kHistogramCap) histogram.back()["or_more"] = true;
  }
  nlohmann::json k_json = {
      {"histogram", histogram},
      {"mean", stale_ == 0 ? nlohmann::json(nullptr)
                           : nlohmann::json(k_sum_ / static_cast<double>(stale_))},
      {"max", stale_ == 0 ? nlohmann::json(nullptr) : nlohmann::json(k_max_)}};
  return {{"reads_ok", reads_ok_},
          {"stale", stale_},
          {"stale_rate", ratio_json(stale_, reads_ok_)},
          {"unclassified", unclassified_},
          {"lower_bounds", lower_bounds_},
          {"k", k_json},
          {"t_ms", percentiles_json(t_)}};
}

}  // namespace consim
