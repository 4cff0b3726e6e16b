// Shared between the linearizability checker's files: turning one key's
// operations into search input, and explaining an invalid key.
//
// Invariant: every op list here holds operations of a single key, and a
// SearchOp's source is the index of its operation in that list.
#pragma once

#include <string>
#include <vector>

#include "analysis/check_result.h"
#include "analysis/history.h"
#include "analysis/wgl_search.h"

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

// The ops the search must linearize. Failed ops and info reads are left
// out; an info write is left out when no ok read returned its value
// (linearizing it could only overwrite, never help), and otherwise must take
// effect before the first completion of a read that returned its value, so
// that is its end. Example: write 5 invoked at line 3 times out; reads
// returning 5 complete at lines 9 and 12: the write's window is [3, 9].
std::vector<SearchOp> prepare_register_ops(const OpRefs& ops);

SearchResult search_key(const OpRefs& ops, std::uint64_t step_budget);

// A violation for an invalid key: shrinks the key's ops to a minimal slice
// (bounded by shrink_budget steps) and explains it in one line.
Violation explain_violation(const OpRefs& ops, const std::string& key_name,
                            const SearchResult& found, std::uint64_t shrink_budget);

}  // namespace consim
