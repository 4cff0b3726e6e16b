// The cart checker core: given acknowledged adds and removes of items in
// sets (carts), with their real-time intervals, and the final reads taken
// after the run quiesced, count the adds that were lost and the removes
// that were undone. A pure function over an in-memory SetHistory
// (op_history.h), which the history builder fills from a trace (docs/crdts.md).
//
// Definitions (real time; `fail` ops never happened, `info` ops may have
// happened at any time after their invoke):
//  - lost add: an `ok` add of x is missing from a final read of its key
//    although no remove of x could have come after it, i.e. every remove of
//    x that may have happened completed before the add was invoked.
//    Example: add(hat) ok at [10, 12]; no remove of hat; final read {shoe}
//    -> the add is lost.
//  - resurrected remove: an `ok` remove of x that observed x (the reply says
//    the replica held it) is followed by x in a final read although no add
//    of x could have come after it: every add of x that may have happened
//    completed before the remove was invoked. Example: add(hat) ok at
//    [10, 12], remove(hat) ok at [20, 21], final read {hat} -> resurrected.
//    An add concurrent with the remove in real time excuses it (add-wins);
//    one merely concurrent in causality (across a partition, earlier in real
//    time) does not: with an OR-set, re-adding an item on one side while
//    the other removes it shows up here, as the course's "add-wins" cost.
//  - phantom item: a final read holds an item no add (that may have
//    happened) ever added.
// The verdict is invalid iff any of the three occurs. Final reads of one key
// that differ are counted (diverged_keys) but judged one by one; each op is
// counted once however many final reads it fails.
#pragma once

#include <cstddef>
#include <cstdint>

#include "analysis/checkers/check_result.h"
#include "analysis/checkers/op_history.h"

namespace consim {

struct CartCheck {
  CheckResult result;  // checker "cart"
  std::uint64_t lost_adds = 0;
  std::uint64_t resurrected_removes = 0;
  std::uint64_t phantom_items = 0;
  std::uint64_t diverged_keys = 0;
  std::uint64_t acknowledged_adds = 0;
  std::uint64_t acknowledged_removes = 0;
};

// At most `max_violations` violations are kept (result.violation_count counts
// them all): lost adds and resurrected removes in history order, then
// phantoms in key order.
CartCheck check_cart(const ophistory::SetHistory& history, std::size_t max_violations = 10);

}  // namespace consim
