// The Wing–Gong linearizability search with Lowe's memoization, for one
// read/write register (one key). Internal to the linearizability checker.
//
// Input is a set of operations, each with a window [call, ret] in
// real-time order, all of which must be linearized: the caller has already
// removed failed operations and operations that may be left out (see
// linearizability.cc). The register starts with no value.
//
// The search walks the events in order, tentatively linearizing an
// operation whose call has been reached when the register allows it, and
// backtracks when it reaches the return of an operation not yet linearized.
// A configuration (set of linearized ops, register value) is visited at most
// once: the set is a bitset, stored from the first unlinearized op onward
// (every op before it is linearized), so keys stay a few words long even in
// long histories. Steps are counted; past the budget the answer is Unknown.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/checkers/check_result.h"
#include "base/time.h"

namespace consim {

// A position in real time: (time, line). Lines break ties between events
// with the same time, because a trace lists events in the order they
// happened. Example: op A's ok at (5, line 9) precedes op B's invoke at
// (5, line 10), so A happened before B.
struct Pos {
  Time time = 0;
  std::uint64_t line = 0;
  friend bool operator<(const Pos& a, const Pos& b) {
    return a.time != b.time ? a.time < b.time : a.line < b.line;
  }
};
inline constexpr Pos kPosMax{kTimeMax, UINT64_MAX};

// What an op does to the register. The unique-value search (wgl_search)
// sees only Read and Write; the general one (wgl_general_search) all five.
enum class StepKind : std::uint8_t {
  Read,      // allowed when the register holds `value` (nothing, if !has_value)
  Write,     // sets `value`
  Cas,       // allowed when the register holds `expected`; sets `value`
  CasMiss,   // a cas whose comparison failed: allowed when it does not hold `expected`
  CasMaybe,  // a cas of unknown outcome: sets `value` if it holds `expected`, else nothing
};

struct SearchOp {
  std::uint32_t source = 0;  // the caller's index for this op
  StepKind kind = StepKind::Read;
  std::int64_t expected = 0;  // Cas, CasMiss, CasMaybe
  bool write = false;         // kind == Write (the unique-value search reads this)
  bool has_value = false;     // read: false means it returned "no value"
  std::int64_t value = 0;
  Pos call, ret;  // call < ret, or ret == kPosMax for "no end"
};

struct SearchResult {
  Verdict verdict = Verdict::Valid;
  std::uint64_t steps = 0;
  // The longest linearizable prefix found, in linearization order, as
  // sources. For a valid history, a whole linearization.
  std::vector<std::uint32_t> longest;
  // Invalid only: the source of the op whose return was reached unlinearized
  // at the deepest point of the search: the op that cannot be placed.
  std::uint32_t blocked = UINT32_MAX;
};

// The unique-value search: only Read and Write ops, and no value written by
// two of them. Its forced moves rely on that (see wgl_search.cc).
SearchResult wgl_search(const std::vector<SearchOp>& ops, std::uint64_t step_budget);

// The general search (wgl_general.cc): any StepKind, values written any
// number of times. The state is the register's value; memoization is on
// (linearized set, value). Same result contract as wgl_search.
SearchResult wgl_general_search(const std::vector<SearchOp>& ops, std::uint64_t step_budget);

}  // namespace consim
