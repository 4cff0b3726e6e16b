// The course's set and counter stories, one merge mode each: what an
// observed-remove set promises, and the anomaly each naive mode shows.
// Replicas r0 and r1 stand for the two sides of a partition; a merge is
// the heal's anti-entropy.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/rng.h"
#include "models/crdt/any_set.h"
#include "models/crdt/pn_counter.h"
#include "tests/unit/crdt_support.h"
#include "tests/unit/test_scale.h"

using consim::Rng;
using consim::crdt::AnySet;
using consim::crdt::Item;
using consim::crdt::SetKind;
using consim::crdt::SetOp;
using consim::crdt::SetOpKind;

namespace crdt_stories_test {

namespace {

SetOp add(consim::crdt::Replica r, Item item, std::int64_t t = 0) {
  return SetOp{SetOpKind::Add, r, std::move(item), t};
}
SetOp remove(consim::crdt::Replica r, Item item, std::int64_t t = 0) {
  return SetOp{SetOpKind::Remove, r, std::move(item), t};
}

// Both sides merge each other's state (the heal).
void heal(AnySet& a, AnySet& b) {
  AnySet a_before = a;
  a.merge(b);
  b.merge(a_before);
  REQUIRE(a == b);
}

// Before the partition both replicas hold {hat, shoe}.
std::pair<AnySet, AnySet> cart_with_hat_and_shoe(SetKind kind) {
  AnySet r0(kind);
  r0.apply(add(0, "hat", 1));
  r0.apply(add(0, "shoe", 2));
  AnySet r1(kind);
  r1.merge(r0);
  return {r0, r1};
}

using Items = std::set<Item>;

}  // namespace

TEST_CASE("or-set: an add concurrent with a remove survives the merge (add-wins)") {
  auto [r0, r1] = cart_with_hat_and_shoe(SetKind::OrSet);
  r1.apply(remove(1, "hat"));  // r1 removes the hat it saw
  r0.apply(add(0, "hat"));     // r0 adds a hat again, concurrently
  heal(r0, r1);
  CHECK(r0.items() == Items{"hat", "shoe"});
}

TEST_CASE("or-set: a remove of an observed add removes it at every replica") {
  auto [r0, r1] = cart_with_hat_and_shoe(SetKind::OrSet);
  r1.apply(remove(1, "hat"));
  r0.apply(add(0, "sock"));
  heal(r0, r1);
  CHECK(r0.items() == Items{"shoe", "sock"});
  CHECK(r0.to_string() == "{shoe:[r0.2],sock:[r0.3]} ctx{r0:3}");
}

TEST_CASE("naive-union: a removed item comes back after the merge") {
  auto [r0, r1] = cart_with_hat_and_shoe(SetKind::NaiveUnion);
  r1.apply(remove(1, "hat"));
  CHECK(r1.items() == Items{"shoe"});
  heal(r0, r1);
  CHECK(r1.items() == Items{"hat", "shoe"});  // resurrected
}

TEST_CASE("naive-tombstones: an item re-added after a remove stays gone") {
  auto [r0, r1] = cart_with_hat_and_shoe(SetKind::NaiveTombstones);
  r1.apply(remove(1, "hat"));
  r1.apply(add(1, "hat"));  // the user puts the hat back
  CHECK(r1.items() == Items{"shoe"});
  heal(r0, r1);
  CHECK(r0.items() == Items{"shoe"});  // the re-add vanished
  CHECK(r0.to_string() == "adds{hat,shoe} removes{hat}");
}

TEST_CASE("lww-whole: an add on the other side of a partition is lost after the heal") {
  auto [r0, r1] = cart_with_hat_and_shoe(SetKind::LwwWhole);
  r0.apply(add(0, "sock", 10));
  r1.apply(add(1, "belt", 12));  // the later write takes the whole cart
  heal(r0, r1);
  CHECK(r0.items() == Items{"belt", "hat", "shoe"});  // sock lost
  CHECK(r0.to_string() == "{belt,hat,shoe}@12@r1");
}

TEST_CASE("lww-whole: a remove on the losing side comes back after the heal") {
  auto [r0, r1] = cart_with_hat_and_shoe(SetKind::LwwWhole);
  r0.apply(remove(0, "hat", 10));
  r1.apply(add(1, "belt", 12));
  heal(r0, r1);
  CHECK(r0.items() == Items{"belt", "hat", "shoe"});  // hat resurrected
}

TEST_CASE("lww-element-set: concurrent add and remove of one item: the later clock wins") {
  auto [r0, r1] = cart_with_hat_and_shoe(SetKind::LwwElement);
  r0.apply(add(0, "hat", 20));     // r0 re-adds at 20
  r1.apply(remove(1, "hat", 15));  // r1 removes at 15: earlier, so it loses
  r1.apply(remove(1, "shoe", 25));
  r0.apply(add(0, "shoe", 22));  // earlier than the remove: loses
  heal(r0, r1);
  CHECK(r0.items() == Items{"hat"});
  CHECK(r0.to_string() == "{hat+20@r0-15@r1,shoe+22@r0-25@r1}");
}

TEST_CASE("lww-element-set: a replica's own later write wins even when its clock is behind") {
  AnySet r0(SetKind::LwwElement);
  r0.apply(add(0, "hat", 50));
  AnySet r1(SetKind::LwwElement);
  r1.merge(r0);
  r1.apply(remove(1, "hat", 10));  // r1's clock is behind, but it saw the add
  r0.merge(r1);
  CHECK(r0.items().empty());
  CHECK(r0.to_string() == "{hat+50@r0-51@r1}");
}

TEST_CASE("pn-counter: increments on both sides of a partition are all counted") {
  consim::crdt::PNCounter r0;
  r0.apply({0, 5});
  consim::crdt::PNCounter r1 = r0;
  r0.apply({0, 2});
  r1.apply({1, 3});
  r1.apply({1, -1});
  r0.merge(r1);
  r1.merge(r0);
  CHECK(r0 == r1);
  CHECK(r0.value() == 9);
  CHECK(r0.to_string() == "P{r0:7,r1:3} N{r1:1}");
}

// The OR-set against its specification: an item is present iff some add of
// it is known and no known remove observed that add. The reference tracks
// add ids and the ids each remove covered (grow-only sets, merged by union).
TEST_CASE("or-set: every state agrees with the add-wins specification over random runs") {
  struct Reference {
    std::map<int, Item> adds;
    std::set<int> covered;
    Items items() const {
      Items out;
      for (const auto& [id, item] : adds) {
        if (covered.count(id) == 0) out.insert(item);
      }
      return out;
    }
  };
  for (int n = 0; n < consim::test::sweep(2000); ++n) {
    Rng rng = Rng(11).fork("or-set-spec/" + std::to_string(n));
    std::vector<AnySet> sets(3, AnySet(SetKind::OrSet));
    std::vector<Reference> refs(3);
    int next_id = 0;
    for (int step = 0, steps = 1 + static_cast<int>(rng.below(40)); step < steps; ++step) {
      const auto r = static_cast<std::size_t>(rng.below(3));
      if (rng.chance(0.3)) {
        const auto from = static_cast<std::size_t>(rng.below(3));
        sets[r].merge(sets[from]);
        refs[r].adds.insert(refs[from].adds.begin(), refs[from].adds.end());
        refs[r].covered.insert(refs[from].covered.begin(), refs[from].covered.end());
      } else {
        const SetOp op = consim::test::random_set_op(static_cast<consim::crdt::Replica>(r), 0, rng);
        sets[r].apply(op);
        if (op.kind == SetOpKind::Add) {
          refs[r].adds[next_id++] = op.item;
        } else {
          for (const auto& [id, item] : refs[r].adds) {
            if (item == op.item) refs[r].covered.insert(id);
          }
        }
      }
      CHECK(sets[r].items() == refs[r].items());
    }
  }
}

}  // namespace crdt_stories_test
