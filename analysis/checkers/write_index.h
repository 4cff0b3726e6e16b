// Finds the write of a value: the lookup both the causal and the session
// checkers need, and the place that enforces unique values. Also the view of
// a history with cas that those two checkers take (cas_as_writes).
//
// Invariants: index[key][value] is the index in History::ops of the one
// write of `value` to `key`, whatever its outcome. A key written the same
// value twice, or a write with no value, is bad input (InputError naming the
// file and line): read-from would be ambiguous. The maps are only looked up,
// never iterated, so their order cannot reach any output.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "analysis/trace/history.h"

namespace consim {

using WriteIndex = std::vector<std::unordered_map<std::int64_t, std::uint32_t>>;

WriteIndex index_unique_writes(const History& h);

// The causal and session checkers know reads and writes only. They see a
// cas as the write it may be: an ok cas that matched as an ok write of its
// new value, fail and info as a failed and an unknown write; a cas whose
// comparison failed wrote nothing and is left out (its "saw something
// else" is too weak to order anything). Returns `history` itself when it
// has no cas; otherwise fills `storage` and returns it.
const History& cas_as_writes(const History& history, History& storage);

// The op index of the write `read` returns, or UINT32_MAX if none wrote it
// (or the read has no value).
std::uint32_t write_of(const WriteIndex& index, const Operation& read);

}  // namespace consim
