// The cart story end to end, without the simulator: two replicas of a cart
// (one per side of a partition) run a random shopping session before,
// during and after a partition, their operations go into a SetHistory, and
// the cart checker judges the final reads. With an OR-set nothing
// acknowledged is lost and no removed item comes back; the naive merges
// show their anomalies on some seeds.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "analysis/checkers/cart_check.h"
#include "base/rng.h"
#include "models/crdt/any_set.h"
#include "tests/unit/test_scale.h"

namespace crdt_cart_test {

namespace {

namespace crdt = consim::crdt;
namespace oh = consim::ophistory;

// Each add puts a new item (a cart line); a remove takes an item the
// serving replica holds. Steps 0-19: connected (each op reaches the other
// replica at once); 20-59: partitioned; then the heal merges both ways.
consim::CartCheck run_cart(crdt::SetKind kind, std::uint64_t seed) {
  consim::Rng rng = consim::Rng(seed).fork("cart");
  std::vector<crdt::AnySet> replicas(2, crdt::AnySet(kind));
  oh::SetHistory h;
  int next_item = 0;
  for (int step = 0; step < 60; ++step) {
    const auto r = static_cast<std::size_t>(rng.below(2));
    const auto t = static_cast<std::int64_t>(step) * 10 + static_cast<std::int64_t>(rng.below(3));
    const auto held = replicas[r].items();
    crdt::SetOp op{crdt::SetOpKind::Add, static_cast<crdt::Replica>(r), "", t};
    if (held.empty() || rng.chance(0.6)) {
      op.item = "\"item" + std::to_string(next_item++) + "\"";
    } else {
      auto it = held.begin();
      std::advance(it, static_cast<long>(rng.below(held.size())));
      op.kind = crdt::SetOpKind::Remove;
      op.item = *it;
    }
    replicas[r].apply(op);
    if (step < 20) replicas[1 - r].merge(replicas[r]);
    const auto f = op.kind == crdt::SetOpKind::Add ? oh::SetF::Add : oh::SetF::Remove;
    h.ops.push_back({f, "cart", op.item, t, t + 1, oh::Status::Ok, true, h.ops.size() + 1});
  }
  replicas[0].merge(replicas[1]);
  replicas[1].merge(replicas[0]);
  for (std::size_t r = 0; r < 2; ++r) {
    const auto items = replicas[r].items();
    h.final_reads.push_back(
        {"cart", "r" + std::to_string(r), {items.begin(), items.end()}, 100 + r});
  }
  return consim::check_cart(h);
}

}  // namespace

TEST_CASE(
    "cart story: with an or-set nothing acknowledged is lost and no removed item comes back") {
  for (int seed = 0; seed < consim::test::sweep(500); ++seed) {
    const auto r = run_cart(crdt::SetKind::OrSet, static_cast<std::uint64_t>(seed));
    CAPTURE(seed);
    CHECK(r.result.verdict == consim::Verdict::Valid);
    CHECK(r.diverged_keys == 0);
  }
}

TEST_CASE("cart story: naive-union resurrects removes and lww-whole loses adds on some seeds") {
  std::uint64_t resurrected = 0, lost = 0, lww_resurrected = 0;
  for (int seed = 0; seed < consim::test::sweep(500); ++seed) {
    const auto s = static_cast<std::uint64_t>(seed);
    const auto naive = run_cart(crdt::SetKind::NaiveUnion, s);
    CHECK(naive.lost_adds == 0);  // a union never drops an item
    resurrected += naive.resurrected_removes;
    const auto lww = run_cart(crdt::SetKind::LwwWhole, s);
    lost += lww.lost_adds;
    lww_resurrected += lww.resurrected_removes;
    CHECK(lww.diverged_keys == 0);
  }
  CHECK(resurrected > 0);
  CHECK(lost > 0);
  CHECK(lww_resurrected > 0);
}

}  // namespace crdt_cart_test
