// The counter checker core; see counter_check.h for the bounds.
//
// Per key, four sorted lists of (time, delta) with prefix sums: positive
// deltas by completion (acknowledged only) and by invoke (all that may have
// happened), the same for negative deltas. Each read's bounds are then four
// binary searches: O(n log n) for n ops.
#include "analysis/checkers/counter_check.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "base/time.h"

namespace consim {
namespace {

using ophistory::CounterF;
using ophistory::CounterOpRecord;
using ophistory::Status;

// Deltas at times, sorted by time, with prefix sums: sum of the deltas
// whose time is < t (before(t)) or <= t (by(t)).
class TimedSums {
 public:
  void push(std::int64_t time, std::int64_t delta) { events_.emplace_back(time, delta); }
  void seal() {
    std::sort(events_.begin(), events_.end());
    prefix_.assign(1, 0);
    for (const auto& e : events_) prefix_.push_back(prefix_.back() + e.second);
  }
  std::int64_t before(std::int64_t t) const {
    return prefix_[count_if_time([t](auto x) { return x < t; })];
  }
  std::int64_t by(std::int64_t t) const {
    return prefix_[count_if_time([t](auto x) { return x <= t; })];
  }

 private:
  template <class Pred>
  std::size_t count_if_time(Pred pred) const {
    auto it = std::partition_point(events_.begin(), events_.end(),
                                   [&pred](const auto& e) { return pred(e.first); });
    return static_cast<std::size_t>(it - events_.begin());
  }
  std::vector<std::pair<std::int64_t, std::int64_t>> events_;
  std::vector<std::int64_t> prefix_{0};
};

struct KeySums {
  TimedSums pos_acked;     // by completion
  TimedSums pos_possible;  // by invoke
  TimedSums neg_acked;
  TimedSums neg_possible;
  std::vector<const CounterOpRecord*> reads;
};

std::map<std::string, KeySums> gather(const ophistory::CounterHistory& history) {
  std::map<std::string, KeySums> keys;
  for (const CounterOpRecord& op : history.ops) {
    if (op.status == Status::Fail) continue;
    KeySums& key = keys[op.key];
    if (op.f == CounterF::Read) {
      if (op.status == Status::Ok) key.reads.push_back(&op);
      continue;
    }
    const bool positive = op.value >= 0;
    (positive ? key.pos_possible : key.neg_possible).push(op.invoke, op.value);
    if (op.status == Status::Ok)
      (positive ? key.pos_acked : key.neg_acked).push(op.complete, op.value);
  }
  for (auto& [name, key] : keys) {
    for (TimedSums* sums : {&key.pos_acked, &key.pos_possible, &key.neg_acked, &key.neg_possible}) {
      sums->seal();
    }
  }
  return keys;
}

void record(CounterCheck& out, std::size_t cap, const CounterOpRecord& read, std::string reason) {
  ++out.result.violation_count;
  if (out.result.violations.size() < cap) {
    out.result.violations.push_back(
        Violation{"counter", read.key, {read.line}, std::move(reason), {read.line}});
  }
}

void judge_read(const KeySums& key, const CounterOpRecord& read, CounterCheck& out,
                std::size_t cap) {
  // "Acknowledged before R was invoked": completed strictly before; "may
  // have happened before R completed": invoked at or before.
  const std::int64_t lower = key.pos_acked.before(read.invoke) + key.neg_possible.by(read.complete);
  const std::int64_t upper = key.pos_possible.by(read.complete) + key.neg_acked.before(read.invoke);
  if (read.final) ++out.final_reads;
  if (read.value >= lower && read.value <= upper) return;
  if (!read.final) {
    ++out.stale_reads;
    return;
  }
  ++out.final_reads_out_of_bounds;
  out.result.verdict = Verdict::Invalid;
  const bool low = read.value < lower;
  const auto gap = static_cast<std::uint64_t>(low ? lower - read.value : read.value - upper);
  (low ? out.lost_increments : out.invented_increments) += gap;
  record(out, cap, read,
         "final read at " + format_duration(read.invoke) + " returned " +
             std::to_string(read.value) +
             (low ? ", below " + std::to_string(lower) + ": increments lost"
                  : ", above " + std::to_string(upper) + ": increments invented") +
             " (the acknowledged and possible increments allow [" + std::to_string(lower) + ", " +
             std::to_string(upper) + "])");
}

}  // namespace

CounterCheck check_counter(const ophistory::CounterHistory& history, std::size_t max_violations) {
  CounterCheck out;
  out.result.checker = "counter";
  const auto keys = gather(history);
  for (const auto& [name, key] : keys) {
    for (const CounterOpRecord* read : key.reads) judge_read(key, *read, out, max_violations);
  }
  return out;
}

}  // namespace consim
