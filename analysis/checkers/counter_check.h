// The counter checker core: given increments (deltas, possibly negative)
// and reads of counters with their real-time intervals, bound what each
// read may return and count the reads outside the bounds. A pure function
// over an in-memory CounterHistory (op_history.h).
//
// Bounds of a read R of key k (as Jepsen's counter checker, extended to
// negative deltas; `fail` increments never happened, `info` ones may have
// happened at any time after their invoke):
//   lower = (positive deltas acknowledged before R was invoked)
//         + (negative deltas that may have happened before R completed)
//   upper = (positive deltas that may have happened before R completed)
//         + (negative deltas acknowledged before R was invoked)
// Example: incr +1 ok [0, 1], incr +1 ok [2, 3], incr +5 info [4, -],
// a final read at [10, 11]: it must lie in [2, 7]; a read of 1 lost one
// acknowledged increment.
//
// A final read (taken after the run quiesced) outside its bounds makes the
// verdict invalid: increments lost (below) or invented (above). A read
// during the run outside its bounds is counted (stale_reads) but judged
// only for information: an eventually consistent counter legitimately
// returns stale values before it converges.
#pragma once

#include <cstddef>
#include <cstdint>

#include "analysis/checkers/check_result.h"
#include "analysis/checkers/op_history.h"

namespace consim {

struct CounterCheck {
  CheckResult result;  // checker "counter"
  std::uint64_t final_reads = 0;
  std::uint64_t final_reads_out_of_bounds = 0;
  // Sum over final reads below their lower bound of (lower - value): the
  // acknowledged increments lost, counted in units of the counter.
  std::uint64_t lost_increments = 0;
  std::uint64_t invented_increments = 0;  // the same above the upper bound
  std::uint64_t stale_reads = 0;          // non-final reads out of bounds
};

// At most `max_violations` violations are kept (result.violation_count counts
// them all), in key order, each key's reads in history order.
CounterCheck check_counter(const ophistory::CounterHistory& history,
                           std::size_t max_violations = 10);

}  // namespace consim
