// The "conflicts" section of report.json: what conflict resolution did in a
// run of a model that accepts concurrent writes (models/conflict.h).
//
//  - "strategy": the model's "conflict" parameter from the trace header
//    (null when the model has none);
//  - "siblings_per_read": the distribution of how many values each ok read
//    returned (0: the key had no value; more than 1: siblings, from the read
//    line's "siblings"), with the mean, the max and the share of reads that
//    returned siblings;
//  - "lww_overwritten": acknowledged writes last-writer-wins threw away in
//    favour of a write whose writer had not seen them: the model's notes
//    "lww-overwrote" (replaced at its origin) plus "lww-hidden" (older, by
//    the writer's clock, than the value already there when written);
//  - "lost_writes": the run's lost acknowledged writes (lost_writes.h), so
//    strategies can be compared on one line; a write kept as a sibling is
//    not lost.
// Worked example: two regions write x=1 and x=2 during a cut. With lww the
// write with the smaller clock is noted "lww-overwrote": lww_overwritten 1,
// and lost_writes 1 if the other write was acknowledged before it was
// invoked. With version-vectors both stay: a read after the heal counts in
// siblings_per_read at 2, and nothing is lost.
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/metrics/lost_writes.h"
#include "analysis/metrics/metric.h"

namespace consim {
namespace {

class ConflictsMetric final : public Metric {
 public:
  void on_event(const TraceEvent& event, const MetricContext& context) override {
    if (event.type == EventType::Note && event.what != kNone) {
      const std::string& what = context.names.notes[event.what];
      if (what == "lww-overwrote") ++overwrote_;
      if (what == "lww-hidden") ++hidden_;
      return;
    }
    if (event.type != EventType::Ok || event.f != HistOp::Read) return;
    const std::uint64_t n = !event.siblings.empty() ? event.siblings.size() : event.value ? 1 : 0;
    ++per_read_[n];
    ++reads_;
    total_ += n;
  }

  nlohmann::json report(const MetricContext& context) const override {
    nlohmann::json histogram = nlohmann::json::array();
    std::uint64_t multi = 0, max = 0;
    for (const auto& [n, count] : per_read_) {
      histogram.push_back({{"siblings", n}, {"count", count}});
      if (n > 1) multi += count;
      max = n;
    }
    nlohmann::json strategy = nullptr;
    const nlohmann::json& header = context.header;
    if (header.is_object() && header.contains("params") && header["params"].is_object() &&
        header["params"].contains("conflict"))
      strategy = header["params"]["conflict"];
    nlohmann::json lost = nullptr;
    if (context.lost_writes && context.lost_writes->available)
      lost = context.lost_writes->lost_count;
    return {{"strategy", strategy},
            {"siblings_per_read",
             {{"reads_ok", reads_},
              {"histogram", histogram},
              {"mean", reads_ == 0 ? nlohmann::json(nullptr)
                                   : nlohmann::json(static_cast<double>(total_) /
                                                    static_cast<double>(reads_))},
              {"max", max},
              {"reads_with_siblings", multi}}},
            {"lww_overwritten",
             {{"total", overwrote_ + hidden_}, {"overwrote", overwrote_}, {"hidden", hidden_}}},
            {"lost_writes", lost}};
  }

 private:
  std::map<std::uint64_t, std::uint64_t> per_read_;  // siblings returned -> reads
  std::uint64_t reads_ = 0, total_ = 0, overwrote_ = 0, hidden_ = 0;
};

}  // namespace

std::unique_ptr<Metric> make_conflicts_metric() { return std::make_unique<ConflictsMetric>(); }

}  // namespace consim
