// t-visibility: the probability that a read started t after a write was
// acknowledged returns that write or a newer one, as a function of t.
//
// Sampling: for every ok read r of key k and every write w of k acknowledged
// at a <= r.start (among k's last `window` acknowledged writes before r was
// invoked, see AnalysisOptions), one sample (t = r.start - a, fresh = r
// returned w or a write acknowledged after w). A read returning a write not
// acknowledged by its start (concurrent) is fresh for every w; a read
// returning null is fresh for none; a read the stale-read analysis leaves
// unclassified gives no samples. Samples fall into bins of t: [0, 0.1 ms),
// then five log-spaced bins per decade from 0.1 ms to 10 s, then [10 s, inf).
// Worked example: write a acknowledged at 0, write b at 10 ms; a read
// invoked at 12 ms returns a. Samples: (t = 2 ms, stale) for b and (t = 12
// ms, fresh) for a: the bin [1.585, 2.512) ms gets 1 sample, 0 fresh; the
// bin [10, 15.85) ms gets 1 sample, 1 fresh.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>

#include "analysis/metrics/key_writes.h"

namespace consim {

class VisibilityCurve {
 public:
  static constexpr std::size_t kEdges = 26;  // 0.1 ms * 10^(i/5), i = 0..25
  static constexpr std::size_t kBins = kEdges + 1;

  // `returned`: writes.lookup(value read); `acked_before`: writes.acked()
  // when the read was invoked; `window`: how many writes back to sample.
  void add_read(const KeyWrites& writes, const ValueLookup& returned, std::uint64_t acked_before,
                Time start, std::size_t window);
  void merge(const VisibilityCurve& other);
  std::uint64_t samples() const;

  // [{"from_ms","to_ms","count","fresh","probability"}], to_ms null for the
  // last bin and probability null for an empty bin.
  nlohmann::json to_json() const;
  // Bin edges in ns, ascending.
  static const std::array<Time, kEdges>& edges();

 private:
  void add_range(std::size_t bin, std::uint64_t lo, std::uint64_t hi, std::int64_t newest_fresh);
  std::array<std::uint64_t, kBins> count_{};
  std::array<std::uint64_t, kBins> fresh_{};
};

}  // namespace consim
