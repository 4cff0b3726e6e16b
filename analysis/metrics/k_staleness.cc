// The "k_staleness" section of report.json: how many versions behind ok
// reads are, as a distribution over every classified read (fresh reads are
// 0 behind), and the probability that a read returns one of the last K
// acknowledged versions (Bailis et al.'s k-staleness, "PBS", VLDB 2012).
//
// Versions behind is staleness.h's k for a stale read and 0 for a fresh one;
// unclassified reads are left out (counted). A stale read whose k is a lower
// bound (older than the write window) counts with that bound, so it can only
// raise P(within K) for K above the bound; "lower_bounds" says how many.
//   {"reads", "unclassified", "lower_bounds",
//    "versions_behind": {"histogram": [{"behind", "count"[, "or_more"]}],
//                        "mean", "p50", "p90", "p99", "p999", "max"},
//    "within_last": [{"k": K, "probability": P(behind <= K - 1)}, ...]}
// within_last runs from K = 1 (the read returned the newest acknowledged
// version, or a newer one) up to the first K with probability 1, at most
// kMaxK entries; every field is null or empty without classified reads.
// Worked example: 10 reads, 7 fresh, 2 one behind, 1 three behind:
// histogram 0:7, 1:2, 3:1; p50 0, p90 1, max 3; within_last K=1 0.7, K=2
// 0.9, K=3 0.9, K=4 1.0.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/metrics/metric.h"
#include "analysis/metrics/staleness.h"

namespace consim {
namespace {

class KStalenessMetric final : public Metric {
 public:
  static constexpr std::uint64_t kCap = StaleStats::kHistogramCap;  // shared bucket at and above
  static constexpr std::uint64_t kMaxK = 64;

  void on_complete(const CompletedOp& op, const MetricContext&) override {
    if (op.read == nullptr) return;
    switch (op.read->kind) {
      case ReadVerdict::Kind::Unclassified:
        ++unclassified_;
        return;
      case ReadVerdict::Kind::Fresh:
        return add(0);
      case ReadVerdict::Kind::Stale:
        if (op.read->lower_bound) ++lower_bounds_;
        return add(op.read->k);
    }
  }

  nlohmann::json report(const MetricContext&) const override {
    nlohmann::json histogram = nlohmann::json::array();
    for (const auto& [behind, count] : counts_) {
      histogram.push_back({{"behind", behind}, {"count", count}});
      if (behind == kCap) histogram.back()["or_more"] = true;
    }
    const bool any = reads_ > 0;
    nlohmann::json behind = {
        {"histogram", histogram},
        {"mean", any ? nlohmann::json(sum_ / static_cast<double>(reads_)) : nlohmann::json()},
        {"p50", quantile(0.5)},
        {"p90", quantile(0.9)},
        {"p99", quantile(0.99)},
        {"p999", quantile(0.999)},
        {"max", any ? nlohmann::json(max_) : nlohmann::json()}};
    return {{"reads", reads_},
            {"unclassified", unclassified_},
            {"lower_bounds", lower_bounds_},
            {"versions_behind", behind},
            {"within_last", within_last()}};
  }

 private:
  void add(std::uint64_t behind) {
    ++reads_;
    ++counts_[std::min(behind, kCap)];
    sum_ += static_cast<double>(behind);
    max_ = std::max(max_, behind);
  }

  // The smallest b with P(behind <= b) >= q (the capped bucket stands for
  // kCap), or null without reads.
  nlohmann::json quantile(double q) const {
    if (reads_ == 0) return nullptr;
    const double need = q * static_cast<double>(reads_);
    std::uint64_t seen = 0;
    for (const auto& [behind, count] : counts_) {
      seen += count;
      if (static_cast<double>(seen) >= need) return behind;
    }
    return counts_.rbegin()->first;
  }

  nlohmann::json within_last() const {
    nlohmann::json out = nlohmann::json::array();
    if (reads_ == 0) return out;
    std::uint64_t seen = 0;
    auto it = counts_.begin();
    for (std::uint64_t k = 1; k <= kMaxK; ++k) {
      while (it != counts_.end() && it->first <= k - 1) seen += (it++)->second;
      const double p = static_cast<double>(seen) / static_cast<double>(reads_);
      out.push_back({{"k", k}, {"probability", p}});
      if (seen == reads_) break;
    }
    return out;
  }

  std::uint64_t reads_ = 0, unclassified_ = 0, lower_bounds_ = 0, max_ = 0;
  double sum_ = 0;
  std::map<std::uint64_t, std::uint64_t> counts_;  // behind (capped) -> reads
};

}  // namespace

std::unique_ptr<Metric> make_k_staleness_metric() { return std::make_unique<KStalenessMetric>(); }

}  // namespace consim
