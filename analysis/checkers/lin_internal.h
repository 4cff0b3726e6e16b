// Shared between the linearizability checker's files: turning one key's
// operations into search input, and explaining an invalid key.
//
// Invariant: every op list here holds operations of a single key, and a
// SearchOp's source is the index of its operation in that list.
#pragma once

#include <string>
#include <vector>

#include "analysis/checkers/check_result.h"
#include "analysis/checkers/wgl_search.h"
#include "analysis/trace/history.h"

namespace consim {

using OpRefs = std::vector<const Operation*>;

inline Pos invoke_pos(const Operation& op) { return Pos{op.invoke_time, op.invoke_line}; }
// Info and never-completed ops have no end.
inline Pos complete_pos(const Operation& op) {
  return op.outcome == Outcome::Info ? kPosMax : Pos{op.complete_time, op.complete_line};
}
// Real-time order: a completed (ok or fail) before b was invoked.
inline bool precedes(const Operation& a, const Operation& b) {
  return a.outcome != Outcome::Info && complete_pos(a) < invoke_pos(b);
}

// The ops the search must linearize, and which search. Failed ops and info
// reads are left out. A key with only reads and writes and no value written
// twice takes the unique-value search: there an info write is left out when
// no ok read returned its value (linearizing it could only overwrite, never
// help), and otherwise must take effect before the first completion of a
// read that returned its value, so that is its end. Example: write 5 invoked
// at line 3 times out; reads returning 5 complete at lines 9 and 12: the
// write's window is [3, 9]. A key with cas or a repeated value takes the
// general search, where an info write or cas has no end, and is left out
// only when no read returns its value, no cas compares with it, and no cas
// on the key failed its comparison (overwriting could help that one).
struct PreparedKey {
  std::vector<SearchOp> ops;
  bool general = false;
};
PreparedKey prepare_register_ops(const OpRefs& ops);

SearchResult search_key(const OpRefs& ops, std::uint64_t step_budget);

// The first point where an invalid key's history stops being
// linearizable (see lin_prefix.cc). `found` is false when the budget ran
// out first.
struct FirstViolation {
  bool found = false;
  std::uint64_t valid_up_to_line = 0;  // last line of the longest linearizable prefix
  std::vector<std::uint64_t> prefix;   // its ops' invoke lines, in linearization order
  std::vector<Operation> cut_ops;      // the history up to the event that breaks it
  const Operation* breaker = nullptr;  // in cut_ops: the op whose completion breaks it
};
FirstViolation find_first_violation(const OpRefs& ops, std::uint64_t& budget);

// A violation for an invalid key, with the longest linearizable prefix and
// the op that cannot be placed (for KeyLinearizability).
struct ExplainedViolation {
  Violation violation;
  std::vector<std::uint64_t> prefix;
  std::uint64_t blocked_line = 0;
};

// Finds the first violation, shrinks the history up to it to a minimal
// slice and explains it in one line; all within `budget` steps (past it, a
// larger slice and the search's own prefix are reported).
ExplainedViolation explain_violation(const OpRefs& ops, const std::string& key_name,
                                     const SearchResult& found, std::uint64_t budget);

}  // namespace consim
