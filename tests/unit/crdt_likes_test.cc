// The likes-counter story end to end, without the simulator: two replicas
// (one per side of a partition) take increments before, during and after a
// partition, their operations go into a CounterHistory, and the counter
// checker judges the final reads. A PN-counter loses no increment; a
// counter kept as a last-writer-wins register (read, add, write back the
// sum, the later stamp wins the merge) loses the losing side's increments.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "analysis/checkers/counter_check.h"
#include "base/rng.h"
#include "models/crdt/crdt_ops.h"
#include "models/crdt/pn_counter.h"
#include "tests/unit/test_scale.h"

namespace crdt_likes_test {

namespace {

namespace crdt = consim::crdt;
namespace oh = consim::ophistory;

// The naive counter: one integer and the stamp of its last write.
struct LwwCounter {
  std::int64_t value = 0;
  std::optional<crdt::Stamp> stamp;
  void apply(const crdt::CounterOp& op, std::int64_t now) {
    value += op.delta;
    stamp = crdt::next_stamp(op.replica, now, stamp);
  }
  void merge(const LwwCounter& other) {
    if (other.stamp && (!stamp || *stamp < *other.stamp)) *this = other;
  }
};

struct PnCounter {
  crdt::PNCounter state;
  std::int64_t value() const { return state.value(); }
  void apply(const crdt::CounterOp& op, std::int64_t) { state.apply(op); }
  void merge(const PnCounter& other) { state.merge(other.state); }
};

std::int64_t value_of(const LwwCounter& c) { return c.value; }
std::int64_t value_of(const PnCounter& c) { return c.value(); }

// Steps 0-19 connected, 20-59 partitioned, then the heal and one final read
// per replica.
template <class Counter>
consim::CounterCheck run_likes(std::uint64_t seed) {
  consim::Rng rng = consim::Rng(seed).fork("likes");
  std::vector<Counter> replicas(2);
  oh::CounterHistory h;
  for (int step = 0; step < 60; ++step) {
    const auto r = static_cast<std::size_t>(rng.below(2));
    const auto t = static_cast<std::int64_t>(step) * 10;
    const crdt::CounterOp op{static_cast<crdt::Replica>(r), rng.chance(0.8) ? 1 : -1};
    replicas[r].apply(op, t);
    if (step < 20) replicas[1 - r].merge(replicas[r]);
    h.ops.push_back(
        {oh::CounterF::Incr, "likes", op.delta, t, t + 1, oh::Status::Ok, false, h.ops.size() + 1});
  }
  replicas[0].merge(replicas[1]);
  replicas[1].merge(replicas[0]);
  for (const auto& replica : replicas) {
    h.ops.push_back({oh::CounterF::Read, "likes", value_of(replica), 1000, 1001, oh::Status::Ok,
                     true, h.ops.size() + 1});
  }
  return consim::check_counter(h);
}

}  // namespace

TEST_CASE("likes story: a pn-counter loses no increment across a partition") {
  for (int seed = 0; seed < consim::test::sweep(500); ++seed) {
    const auto r = run_likes<PnCounter>(static_cast<std::uint64_t>(seed));
    CAPTURE(seed);
    CHECK(r.result.verdict == consim::Verdict::Valid);
    CHECK(r.final_reads == 2);
  }
}

TEST_CASE("likes story: a last-writer-wins register counter loses increments on most seeds") {
  int invalid = 0;
  for (int seed = 0; seed < consim::test::sweep(500); ++seed) {
    const auto r = run_likes<LwwCounter>(static_cast<std::uint64_t>(seed));
    if (r.result.verdict == consim::Verdict::Invalid) ++invalid;
    CHECK(r.final_reads_out_of_bounds % 2 == 0);  // both replicas read the same value
  }
  CHECK(invalid > consim::test::sweep(500) / 2);
}

}  // namespace crdt_likes_test
