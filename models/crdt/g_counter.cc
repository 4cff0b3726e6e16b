// G-counter; see g_counter.h.
#include "models/crdt/g_counter.h"

#include <algorithm>

namespace consim::crdt {

void GCounter::apply(const CounterOp& op) {
  if (op.delta < 0) {
    broken_invariant("g-counter: delta " + std::to_string(op.delta) + " at replica r" +
                     std::to_string(op.replica) + " (a g-counter never decreases)");
  }
  if (op.delta == 0) return;
  entries_[op.replica] += static_cast<std::uint64_t>(op.delta);
}

void GCounter::merge(const GCounter& other) {
  for (const auto& [replica, count] : other.entries_) {
    auto& mine = entries_[replica];
    mine = std::max(mine, count);
  }
}

std::uint64_t GCounter::value() const {
  std::uint64_t sum = 0;
  for (const auto& entry : entries_) sum += entry.second;
  return sum;
}

std::uint64_t GCounter::entry(Replica replica) const {
  auto it = entries_.find(replica);
  return it == entries_.end() ? 0 : it->second;
}

std::string GCounter::to_string() const {
  std::string out = "{";
  for (const auto& [replica, count] : entries_) {
    if (out.size() > 1) out += ",";
    out += "r" + std::to_string(replica) + ":" + std::to_string(count);
  }
  return out + "}";
}

}  // namespace consim::crdt
