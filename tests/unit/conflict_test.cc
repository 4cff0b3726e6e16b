// The conflict-resolution module on small hand-made cases (sibling
// creation, supersession by a write carrying its context, lww overwrites)
// and its merge laws (idempotent, commutative, associative) over random
// reachable states, seeded.
#include "models/conflict.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "base/json_input.h"
#include "base/rng.h"
#include "tests/unit/test_scale.h"

using namespace consim;
using namespace consim::conflict;

namespace conflict_test {

const Strategy kSiblingStrategies[] = {Strategy::VersionVectors, Strategy::MvRegister};

WriteInput blind(Value v, NodeId node, std::uint64_t counter, Time clock = 0) {
  return WriteInput{v, Dot{node, counter}, Stamp{clock, node, counter}, {}};
}

TEST_CASE("conflict: two blind writes on two replicas become siblings with a merged context") {
  for (Strategy s : kSiblingStrategies) {
    CAPTURE(strategy_name(s));
    KeyState n1, n2;
    write(s, n1, blind(1, 0, 1));
    write(s, n2, blind(2, 1, 1));
    CHECK(merge(s, n1, n2).visible_changed);
    CHECK(merge(s, n2, n1).visible_changed);
    CHECK(n1.values() == std::vector<Value>{1, 2});
    CHECK(n2.values() == std::vector<Value>{1, 2});
    CHECK(n1.causal_context() == CausalContext{VersionVector{{0, 1}, {1, 1}}, {}});
    CHECK_FALSE(merge(s, n1, n2).visible_changed);  // nothing new
  }
}

TEST_CASE("conflict: a write carrying a read's context supersedes exactly the siblings read") {
  for (Strategy s : kSiblingStrategies) {
    CAPTURE(strategy_name(s));
    KeyState n1, n2, n3;
    write(s, n1, blind(1, 0, 1));
    write(s, n2, blind(2, 1, 1));
    merge(s, n1, n2);  // n1 holds [1, 2]
    CausalContext read_ctx = n1.causal_context();
    write(s, n3, blind(3, 2, 1));  // concurrent, unseen by the reader
    WriteInput w = blind(4, 0, 2);
    w.context = read_ctx;
    write(s, n1, w);
    CHECK(n1.values() == std::vector<Value>{4});
    merge(s, n2, n1);
    merge(s, n2, n3);
    CHECK(n2.values() == std::vector<Value>{4, 3});  // sorted by dot: n1:2, n3:1
    // A stale copy of the superseded siblings arriving late changes nothing.
    KeyState old;
    write(s, old, blind(1, 0, 1));
    CHECK_FALSE(merge(s, n2, old).visible_changed);
    CHECK(n2.values() == std::vector<Value>{4, 3});
  }
}

TEST_CASE("conflict: lww keeps the later clock and reports the write it overwrote unseen") {
  KeyState n1, n2;
  write(Strategy::Lww, n1, blind(1, 0, 1, /*clock=*/100));
  write(Strategy::Lww, n2, blind(2, 1, 1, /*clock=*/90));  // n2's clock is behind
  KeyState n2_before = n2;
  MergeOutcome at_n2 = merge(Strategy::Lww, n2, n1);
  CHECK(at_n2.visible_changed);
  CHECK(at_n2.overwritten == std::vector<Dot>{Dot{1, 1}});
  MergeOutcome at_n1 = merge(Strategy::Lww, n1, n2_before);
  CHECK_FALSE(at_n1.visible_changed);
  CHECK(at_n1.overwritten == std::vector<Dot>{Dot{1, 1}});
  CHECK(n1.values() == std::vector<Value>{1});
  // A write made after seeing the value replaces it without a report.
  MergeOutcome later = write(Strategy::Lww, n2, blind(3, 1, 2, /*clock=*/200));
  CHECK(later.overwritten.empty());
  CHECK(merge(Strategy::Lww, n1, n2).overwritten.empty());
  CHECK(n1.values() == std::vector<Value>{3});
  // A write hidden at once by a later clock is reported too.
  MergeOutcome hidden = write(Strategy::Lww, n1, blind(4, 0, 2, /*clock=*/150));
  CHECK_FALSE(hidden.visible_changed);
  CHECK(hidden.overwritten == std::vector<Dot>{Dot{0, 2}});
}

// Random reachable states: three replicas, writes with contexts read at a
// random replica, random pairwise merges; every state seen is kept.
std::vector<KeyState> random_states(Strategy s, Rng& rng, int steps) {
  std::vector<KeyState> replicas(3);
  std::vector<std::uint64_t> counter(3, 0);
  std::vector<KeyState> seen;
  Value next = 1;
  for (int i = 0; i < steps; ++i) {
    auto r = static_cast<NodeId>(rng.below(3));
    if (rng.chance(0.5)) {
      WriteInput w = blind(next++, r, ++counter[r], static_cast<Time>(rng.below(1000)));
      if (rng.chance(0.7)) w.context = replicas[rng.below(3)].causal_context();
      write(s, replicas[r], w);
    } else {
      merge(s, replicas[r], replicas[rng.below(3)]);
    }
    seen.push_back(replicas[r]);
  }
  return seen;
}

TEST_CASE("conflict: merge is idempotent, commutative and associative over random states") {
  for (Strategy s : {Strategy::Lww, Strategy::VersionVectors, Strategy::MvRegister}) {
    CAPTURE(strategy_name(s));
    for (std::uint64_t seed = 1; seed <= static_cast<std::uint64_t>(test::sweep(200)); ++seed) {
      CAPTURE(seed);
      Rng rng(seed);
      auto states = random_states(s, rng, 30);
      auto pick = [&]() -> const KeyState& { return states[rng.below(states.size())]; };
      for (int t = 0; t < 20; ++t) {
        const KeyState &a = pick(), &b = pick(), &c = pick();
        REQUIRE(join(s, a, a) == a);
        REQUIRE(join(s, a, b).siblings == join(s, b, a).siblings);
        REQUIRE(join(s, a, b).causal_context() == join(s, b, a).causal_context());
        REQUIRE(join(s, join(s, a, b), c).siblings == join(s, a, join(s, b, c)).siblings);
      }
    }
  }
}

TEST_CASE("conflict: replicas that exchange states converge and no sibling is dropped unseen") {
  for (Strategy s : kSiblingStrategies) {
    CAPTURE(strategy_name(s));
    Rng rng(7);
    std::vector<KeyState> replicas(3);
    std::uint64_t counter = 0;
    // Blind writes only: nothing may supersede anything.
    for (Value v = 1; v <= 12; ++v) {
      auto r = static_cast<NodeId>(rng.below(3));
      write(s, replicas[r], blind(v, r, ++counter));
      merge(s, replicas[rng.below(3)], replicas[r]);
    }
    for (auto& into : replicas)
      for (const auto& from : replicas) merge(s, into, from);
    for (auto& into : replicas)
      for (const auto& from : replicas) merge(s, into, from);
    CHECK(replicas[0].siblings == replicas[1].siblings);
    CHECK(replicas[1].siblings == replicas[2].siblings);
    CHECK(replicas[0].siblings.size() == 12);
  }
}

TEST_CASE("conflict: the strategy parameter is strict and names the valid strategies") {
  nlohmann::json ok = {{"conflict", "mv-register"}};
  CHECK(strategy_param(JsonReader(ok, "s.json", "$.model.params")) == Strategy::MvRegister);
  nlohmann::json none = nlohmann::json::object();
  CHECK(strategy_param(JsonReader(none, "s.json", "$.model.params")) == Strategy::Lww);
  nlohmann::json bad = {{"conflict", "crdt"}};
  CHECK_THROWS_WITH_AS(strategy_param(JsonReader(bad, "s.json", "$.model.params")),
                       doctest::Contains("unknown conflict strategy \"crdt\"; strategies: lww, "
                                         "version-vectors or mv-register"),
                       InputError);
}

}  // namespace conflict_test
