// Property tests of every CRDT in models/crdt/ (iterating the kinds
// tables): merge is commutative, associative and idempotent over random
// states reached by random operations at random replicas; replicas that
// exchange states in any order end equal; counters lose no increment.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "base/rng.h"
#include "models/crdt/any_counter.h"
#include "models/crdt/any_set.h"
#include "tests/unit/crdt_support.h"
#include "tests/unit/test_scale.h"

using consim::Rng;
using consim::crdt::AnyCounter;
using consim::crdt::AnySet;
using consim::test::merged;

namespace crdt_laws_test {

namespace {

constexpr int kReplicas = 3;

std::vector<AnySet> random_sets(consim::crdt::SetKind kind, Rng& rng) {
  const int steps = 1 + static_cast<int>(rng.below(40));
  return consim::test::random_run(AnySet(kind), kReplicas, steps, rng,
                                  [](AnySet& s, consim::crdt::Replica r, std::int64_t now, Rng& g) {
                                    s.apply(consim::test::random_set_op(r, now, g));
                                  });
}

// The laws of a join semilattice on three states of one execution.
template <class T>
void check_laws(const T& a, const T& b, const T& c) {
  INFO("a = ", a.to_string(), "\nb = ", b.to_string(), "\nc = ", c.to_string());
  CHECK(merged(a, b) == merged(b, a));
  CHECK(merged(merged(a, b), c) == merged(a, merged(b, c)));
  CHECK(merged(a, a) == a);
  CHECK(merged(merged(a, b), a) == merged(a, b));  // merge only moves up
}

}  // namespace

TEST_CASE("crdt laws: every set kind's merge is commutative, associative and idempotent") {
  for (const auto& info : consim::crdt::set_kinds()) {
    CAPTURE(info.name);
    for (int n = 0; n < consim::test::sweep(3000); ++n) {
      Rng rng = Rng(7).fork(std::string(info.name) + "/" + std::to_string(n));
      auto states = random_sets(info.kind, rng);
      check_laws(states[0], states[1], states[2]);
    }
  }
}

TEST_CASE("crdt laws: set replicas that exchange states in any order end equal") {
  for (const auto& info : consim::crdt::set_kinds()) {
    CAPTURE(info.name);
    for (int n = 0; n < consim::test::sweep(2000); ++n) {
      Rng rng = Rng(8).fork(std::string(info.name) + "/" + std::to_string(n));
      auto states = random_sets(info.kind, rng);
      auto other_order = states;
      consim::test::exchange_all(states, rng);
      consim::test::exchange_all(other_order, rng);
      for (const auto& s : states) CHECK(s == states[0]);
      CHECK(other_order[0] == states[0]);
      CHECK(states[0].kind() == info.kind);
    }
  }
}

TEST_CASE("crdt laws: every counter kind's merge is a join, converges, and loses no increment") {
  for (const auto& info : consim::crdt::counter_kinds()) {
    CAPTURE(info.name);
    for (int n = 0; n < consim::test::sweep(3000); ++n) {
      Rng rng = Rng(9).fork(std::string(info.name) + "/" + std::to_string(n));
      std::int64_t total = 0;
      auto states = consim::test::random_run(
          AnyCounter(info.kind), kReplicas, 1 + static_cast<int>(rng.below(40)), rng,
          [&](AnyCounter& c, consim::crdt::Replica r, std::int64_t, Rng& g) {
            const auto op = consim::test::random_counter_op(r, info.decrements, g);
            total += op.delta;
            c.apply(op);
          });
      check_laws(states[0], states[1], states[2]);
      consim::test::exchange_all(states, rng);
      for (const auto& s : states) CHECK(s == states[0]);
      CHECK(states[0].value() == total);
    }
  }
}

TEST_CASE("crdt kinds: every name in the tables finds its kind; an unknown name finds none") {
  for (const auto& info : consim::crdt::set_kinds()) {
    CHECK(consim::crdt::find_set_kind(info.name) == info.kind);
    CHECK(&consim::crdt::set_kind_info(info.kind) == &info);
    CHECK(AnySet(info.kind).kind() == info.kind);
    CHECK(AnySet(info.kind).items().empty());
    CHECK_FALSE(info.description.empty());
  }
  for (const auto& info : consim::crdt::counter_kinds()) {
    CHECK(consim::crdt::find_counter_kind(info.name) == info.kind);
    CHECK(AnyCounter(info.kind).kind() == info.kind);
    CHECK(AnyCounter(info.kind).value() == 0);
  }
  CHECK_FALSE(consim::crdt::find_set_kind("or_set").has_value());
  CHECK_FALSE(consim::crdt::find_counter_kind("counter").has_value());
}

}  // namespace crdt_laws_test
