// PN-counter: a counter that goes up and down, as two G-counters.
//
// State: P (what each replica added) and N (what each replica subtracted),
// both grow-only. Merge joins P with P and N with N (entry-wise maximum);
// value is sum(P) - sum(N). An increment and a decrement at different
// replicas both survive the merge: no increment is lost, which a naive
// "last value wins" counter cannot promise.
//
// Example: r0 +3, r1 -1 concurrently: P={r0:3}, N={r1:1}, value 2 at both
// after they exchange states.
#pragma once

#include <cstdint>
#include <string>

#include "models/crdt/crdt_ops.h"
#include "models/crdt/g_counter.h"

namespace consim::crdt {

class PNCounter {
 public:
  // delta > 0 grows P, delta < 0 grows N by -delta, 0 changes nothing.
  void apply(const CounterOp& op);
  void merge(const PNCounter& other);
  std::int64_t value() const;
  const GCounter& increments() const { return p_; }
  const GCounter& decrements() const { return n_; }
  // "P{r0:3} N{r1:1}".
  std::string to_string() const;
  bool operator==(const PNCounter&) const = default;

 private:
  GCounter p_;
  GCounter n_;
};

}  // namespace consim::crdt
