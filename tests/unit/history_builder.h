// Builds a consim::History from a compact text, for checker tests.
//
// One operation a line, in invoke order; blank lines and lines starting with
// '#' are skipped:
//   p1 w x 1        process 1 writes 1 to key x, ok
//   p2 r x 1        process 2 reads x and gets 1, ok
//   p2 r x -        process 2 reads x and gets nothing (the initial value)
//   p1 w? x 3       a write whose outcome is unknown (info)
//   p1 w! x 4       a write that failed
//   p2 r? x         a read whose outcome is unknown (info; no value)
//   p2 r x 1 @5-30  invoked at time 5, completed at time 30
// Invariants: the k-th operation (1-based, counting only operation lines) has
// invoke_line k, so tests name operations by their position in the text.
// Without "@", the k-th operation occupies [10k, 10k+5]. Info operations get
// complete_time kTimeMax, as the History contract says. Keys are interned in
// order of first appearance. A malformed line throws std::invalid_argument
// naming it.
#pragma once

#include <string_view>

#include "analysis/trace/history.h"

namespace consim::testing {

History build_history(std::string_view text);

}  // namespace consim::testing
