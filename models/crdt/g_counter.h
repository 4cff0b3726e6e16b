// G-counter: a grow-only counter, one entry per replica that incremented.
//
// State: replica -> how much that replica has added (each entry only
// grows). Merge takes the entry-wise maximum, which is commutative,
// associative and idempotent, so replicas that exchange states in any
// order converge, and no increment is counted twice or lost. Value: the
// sum of the entries.
//
// Example: r0 adds 2, r1 adds 3 concurrently: {r0:2} join {r1:3} =
// {r0:2, r1:3}, value 5; joining {r0:2} again changes nothing.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "models/crdt/crdt_ops.h"

namespace consim::crdt {

class GCounter {
 public:
  // Adds op.delta at op.replica; op.delta < 0 aborts (use a PNCounter).
  void apply(const CounterOp& op);
  void merge(const GCounter& other);
  std::uint64_t value() const;
  // This replica's own entry (0 if it never incremented).
  std::uint64_t entry(Replica replica) const;
  const std::map<Replica, std::uint64_t>& entries() const { return entries_; }
  // "{r0:2,r1:3}": deterministic, replicas in increasing order.
  std::string to_string() const;
  bool operator==(const GCounter&) const = default;

 private:
  std::map<Replica, std::uint64_t> entries_;
};

}  // namespace consim::crdt
