// PN-counter; see pn_counter.h.
#include "models/crdt/pn_counter.h"

#include <limits>

namespace consim::crdt {

void PNCounter::apply(const CounterOp& op) {
  if (op.delta >= 0) {
    p_.apply(op);
    return;
  }
  if (op.delta == std::numeric_limits<std::int64_t>::min()) {
    broken_invariant("pn-counter: delta INT64_MIN has no positive counterpart");
  }
  n_.apply(CounterOp{op.replica, -op.delta});
}

void PNCounter::merge(const PNCounter& other) {
  p_.merge(other.p_);
  n_.merge(other.n_);
}

std::int64_t PNCounter::value() const {
  // Unsigned wrap-around then a two's-complement cast: exact whenever the
  // true value fits in 64 bits, however large P and N are.
  return static_cast<std::int64_t>(p_.value() - n_.value());
}

std::string PNCounter::to_string() const { return "P" + p_.to_string() + " N" + n_.to_string(); }

}  // namespace consim::crdt
