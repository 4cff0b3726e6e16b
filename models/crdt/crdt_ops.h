// The vocabulary every CRDT of models/crdt/ shares: replica ids, items,
// the local operations a replica applies, and the total-order timestamp the
// last-writer-wins types compare.
//
// Invariants:
//  - Everything here is a plain value: comparable, copyable, printable
//    without JSON, and ordered the same way on every build.
//  - Stamps issued through next_stamp() are unique per element (two
//    replicas differ in id; one replica always steps past what it has
//    seen), so "the later write" is always defined and merges are
//    deterministic.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>

namespace consim::crdt {

// A replica's dense id (a node's NodeId where a model uses these types).
using Replica = std::uint32_t;
// A set element: an item of a cart, a user in a likes set.
using Item = std::string;

// A local operation on a counter: add `delta` at `replica`. A G-counter
// takes only delta >= 0 (a negative delta is a broken invariant: abort).
struct CounterOp {
  Replica replica = 0;
  std::int64_t delta = 1;
};

enum class SetOpKind { Add, Remove };

// A local operation on a set at `replica`, issued at simulated time `time`
// (nanoseconds). Only the last-writer-wins types read the time; the others
// ignore it, so one workload drives every set type.
struct SetOp {
  SetOpKind kind = SetOpKind::Add;
  Replica replica = 0;
  Item item;
  std::int64_t time = 0;
};

// A last-writer-wins timestamp: compared by time, then replica.
// Example: {5, 1} < {5, 2} < {6, 0}.
struct Stamp {
  std::int64_t time = 0;
  Replica replica = 0;
  auto operator<=>(const Stamp&) const = default;
};

// "5@r1": the trace-friendly spelling of a stamp.
std::string to_string(const Stamp& stamp);

// The stamp a local write at `replica` takes at simulated time `now` when
// the newest stamp it has seen is `seen` (if any; for the same element, or for the
// whole value): {now, replica}, moved to {seen.time + 1, replica} when that
// would not be after `seen`, so a replica's own later write always wins
// over what it has observed (as a hybrid logical clock does). A replica
// whose clock runs behind still loses to writes it has not seen: that is
// the anomaly last-writer-wins teaches.
Stamp next_stamp(Replica replica, std::int64_t now, const std::optional<Stamp>& seen);

// Prints "consim: broken invariant: <what>" to stderr and aborts: a caller
// broke a documented precondition (a negative delta on a G-counter, a merge
// of two different kinds). Never for bad input, which the loader rejects.
[[noreturn]] void broken_invariant(const std::string& what);

}  // namespace consim::crdt
