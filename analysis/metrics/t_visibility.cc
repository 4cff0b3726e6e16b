// t-visibility sampling and bins: see t_visibility.h.
#include "analysis/metrics/t_visibility.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>

namespace consim {

const std::array<Time, VisibilityCurve::kEdges>& VisibilityCurve::edges() {
  // 10^(i/5) for i = 0..4, times 0.1 ms, in integer ns: exact on every build.
  static const std::array<Time, kEdges> table = [] {
    const Time decade[5] = {100'000, 158'489, 251'189, 398'107, 630'957};
    std::array<Time, kEdges> e{};
    Time scale = 1;
    for (std::size_t i = 0; i < kEdges; ++i) {
      e[i] = decade[i % 5] * scale;
      if (i % 5 == 4) scale *= 10;
    }
    return e;
  }();
  return table;
}

// Samples for ack indices [lo, hi] all land in `bin`; those with index <=
// newest_fresh are fresh.
void VisibilityCurve::add_range(std::size_t bin, std::uint64_t lo, std::uint64_t hi,
                                std::int64_t newest_fresh) {
  count_[bin] += hi - lo + 1;
  if (newest_fresh < static_cast<std::int64_t>(lo)) return;
  const std::uint64_t top = std::min<std::uint64_t>(hi, static_cast<std::uint64_t>(newest_fresh));
  fresh_[bin] += top - lo + 1;
}

void VisibilityCurve::add_read(const KeyWrites& writes, const ValueLookup& returned,
                               std::uint64_t acked_before, Time start, std::size_t window) {
  if (acked_before == 0 || window == 0) return;
  // The newest ack index the read counts as fresh for.
  std::int64_t newest_fresh = std::numeric_limits<std::int64_t>::max();
  switch (returned.source) {
    case ValueSource::Unknown:
      return;
    case ValueSource::Unacked:
      break;
    case ValueSource::Acked:
      newest_fresh = static_cast<std::int64_t>(returned.index);
      break;
    case ValueSource::Null:
    case ValueSource::OlderThanWindow:
      newest_fresh = -1;
      break;
  }
  std::uint64_t oldest = writes.oldest_kept();
  if (acked_before > window) oldest = std::max<std::uint64_t>(oldest, acked_before - window);
  // Every write before the read has left the window (for a read of a value
  // older than the window, this is the case the stale-read analysis leaves
  // unclassified).
  if (acked_before <= oldest) return;
  const auto& edge = edges();
  std::size_t bin = 0;
  // Newest first: t grows as we go back, so the bin only moves up.
  for (std::uint64_t i = acked_before; i > oldest;) {
    --i;
    const Time t = start - writes.at(i).ack_time;
    while (bin < kEdges && t >= edge[bin]) ++bin;
    if (bin == kEdges) {  // this write and every older one: the last bin
      add_range(bin, oldest, i, newest_fresh);
      return;
    }
    add_range(bin, i, i, newest_fresh);
  }
}

void VisibilityCurve::merge(const VisibilityCurve& other) {
  for (std::size_t b = 0; b < kBins; ++b) {
    count_[b] += other.count_[b];
    fresh_[b] += other.fresh_[b];
  }
}

std::uint64_t VisibilityCurve::samples() const {
  std::uint64_t total = 0;
  for (std::uint64_t c : count_) total += c;
  return total;
}

nlohmann::json VisibilityCurve::to_json() const {
  const auto& edge = edges();
  nlohmann::json bins = nlohmann::json::array();
  for (std::size_t b = 0; b < kBins; ++b) {
    const double from = b == 0 ? 0.0 : to_ms(edge[b - 1]);
    nlohmann::json to = b < kEdges ? nlohmann::json(to_ms(edge[b])) : nlohmann::json(nullptr);
    nlohmann::json p =
        count_[b] == 0
            ? nlohmann::json(nullptr)
            : nlohmann::json(static_cast<double>(fresh_[b]) / static_cast<double>(count_[b]));
    bins.push_back({{"from_ms", from},
                    {"to_ms", to},
                    {"count", count_[b]},
                    {"fresh", fresh_[b]},
                    {"probability", p}});
  }
  return bins;
}

}  // namespace consim
