// Client-visible stale reads, measured against acknowledgement order.
//
// Per key, writes are ordered by their acknowledgement (their `ok` line). An
// ok read invoked at s returned v. Let W be the newest write acknowledged
// before s (before the read's invoke line). The read is stale when v is not
// W's value and v's write was acknowledged before W, or v is null while W
// exists. Then
//   k (versions behind) = the writes acknowledged after v's write and before s;
//   t (time behind)     = s - the ack time of the first write acknowledged
//                         after v's write.
// A read returning a write not acknowledged by s (concurrent with the read,
// or one that never got an ok) is fresh.
// Worked example, one key: write a acknowledged at 10 ms, b at 20 ms, c at
// 40 ms; a read invoked at 50 ms returns a. W = c, so the read is stale with
// k = 2 (b and c) and t = 50 - 20 = 30 ms. Had it returned d, a write
// invoked at 45 ms and acknowledged at 60 ms, it would be fresh.
//
// A read that returned several siblings (version vectors, mv-register)
// counts by its freshest sibling: fresh if any sibling is fresh (it contains
// the newest acknowledged write, or a newer one), else stale by the sibling
// fewest versions behind. Example: a and b acknowledged at 10 and 20 ms, a
// read at 30 ms returns siblings [a, b]: fresh (b is W); [a, c] with c
// unacknowledged: fresh; had it returned [a] alone it would be stale, k = 1.
//
// A value older than the key's write window (key_writes.h) is stale with k
// and t lower bounds (counted in `lower_bounds`); a value found nowhere, or
// one older than the window for a read outstanding so long that W itself
// left the window, is counted as unclassified and is neither fresh nor stale.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>

#include "analysis/metrics/key_writes.h"
#include "analysis/metrics/latency_histogram.h"

namespace consim {

struct ReadVerdict {
  enum class Kind : std::uint8_t { Fresh, Stale, Unclassified } kind = Kind::Fresh;
  std::uint64_t k = 0;       // stale only
  Time t = 0;                // stale only
  bool lower_bound = false;  // stale only: k and t are lower bounds
};

// `acked_before`: writes.acked() when the read was invoked; `start`: its
// invoke time; `source`: writes.lookup(value returned).
ReadVerdict classify_read(const KeyWrites& writes, const ValueLookup& source,
                          std::uint64_t acked_before, Time start);

// Whether verdict a is fresher than b: fresh beats stale beats
// unclassified; between stale ones, fewer versions behind.
bool fresher(const ReadVerdict& a, const ReadVerdict& b);

class StaleStats {
 public:
  // k values at or above this share one histogram entry ("or_more": true);
  // the mean and max use the exact values.
  static constexpr std::uint64_t kHistogramCap = 1024;

  void add(const ReadVerdict& verdict);
  void merge(const StaleStats& other);
  std::uint64_t reads_ok() const { return reads_ok_; }
  std::uint64_t stale() const { return stale_; }
  std::uint64_t fresh() const { return reads_ok_ - stale_ - unclassified_; }

  // {"reads_ok","stale","stale_rate","unclassified","lower_bounds",
  //  "k":{"histogram":[{"k","count"[,"or_more"]}],"mean","max"},
  //  "t_ms":{p50,p95,p99,max}}
  nlohmann::json to_json() const;

 private:
  std::uint64_t reads_ok_ = 0, stale_ = 0, unclassified_ = 0, lower_bounds_ = 0;
  std::map<std::uint64_t, std::uint64_t> k_counts_;  // keys <= kHistogramCap
  double k_sum_ = 0;
  std::uint64_t k_max_ = 0;
  LatencyHistogram t_;
};

}  // namespace consim
