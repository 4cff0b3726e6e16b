// Random executions over the CRDTs of models/crdt/, for the property
// tests: replicas apply random local operations and merge random peers'
// states, as a store's anti-entropy would, in an order drawn from a seeded
// Rng. Items come from a small pool so that adds and removes of one item
// collide often; each replica's clock has its own skew so last-writer-wins
// types see clocks that disagree.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/rng.h"
#include "models/crdt/crdt_ops.h"

namespace consim::test {

inline crdt::Item random_item(Rng& rng) {
  return std::string(1, static_cast<char>('a' + rng.below(5)));
}

inline crdt::SetOp random_set_op(crdt::Replica r, std::int64_t now, Rng& rng) {
  const auto kind = rng.chance(0.6) ? crdt::SetOpKind::Add : crdt::SetOpKind::Remove;
  return crdt::SetOp{kind, r, random_item(rng), now};
}

inline crdt::CounterOp random_counter_op(crdt::Replica r, bool decrements, Rng& rng) {
  const auto delta = static_cast<std::int64_t>(rng.below(4));
  return crdt::CounterOp{r, decrements && rng.chance(0.4) ? -delta : delta};
}

// Runs `steps` random steps over `replicas` copies of `initial`: each step
// either merges a random peer's state into a random replica (30%) or calls
// `op(state, replica, replica's clock, rng)`.
template <class T, class Op>
std::vector<T> random_run(const T& initial, int replicas, int steps, Rng& rng, Op op) {
  std::vector<T> states(static_cast<std::size_t>(replicas), initial);
  std::vector<std::int64_t> skew;
  for (int r = 0; r < replicas; ++r) skew.push_back(static_cast<std::int64_t>(rng.below(7)) - 3);
  std::int64_t now = 10;
  for (int step = 0; step < steps; ++step) {
    now += static_cast<std::int64_t>(rng.below(3));
    const auto r = static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(replicas)));
    if (rng.chance(0.3)) {
      const auto from = static_cast<std::size_t>(rng.below(static_cast<std::uint64_t>(replicas)));
      states[r].merge(states[from]);
    } else {
      op(states[r], static_cast<crdt::Replica>(r), now + skew[r], rng);
    }
  }
  return states;
}

template <class T>
T merged(T a, const T& b) {
  a.merge(b);
  return a;
}

// Every replica ends with every other's state, through a random order of
// merges: random pairwise exchanges, then one replica gathers all in a
// random order and every other merges from it (in a random order).
template <class T>
void exchange_all(std::vector<T>& states, Rng& rng) {
  const auto n = static_cast<std::uint64_t>(states.size());
  for (int i = 0, extra = static_cast<int>(rng.below(10)); i < extra; ++i) {
    states[rng.below(n)].merge(states[rng.below(n)]);
  }
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < states.size(); ++i) order.push_back(i);
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
  for (std::size_t i = 1; i < order.size(); ++i) states[order[0]].merge(states[order[i]]);
  for (std::size_t i = 1; i < order.size(); ++i) states[order[i]].merge(states[order[0]]);
}

}  // namespace consim::test
