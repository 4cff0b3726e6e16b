// The counter checker core on hand-made histories whose answer is known:
// final reads that lose or invent increments are invalid, stale reads
// during the run are counted but judged valid, unknown increments widen
// the bounds, failed ones do not count.
#include "analysis/checkers/counter_check.h"

#include <doctest/doctest.h>

#include <string>

namespace counter_check_test {

namespace {

namespace oh = consim::ophistory;

struct Counter {
  oh::CounterHistory h;
  std::uint64_t line = 1;

  Counter& incr(std::int64_t delta, std::int64_t a, std::int64_t b, oh::Status s = oh::Status::Ok) {
    h.ops.push_back({oh::CounterF::Incr, "likes", delta, a, s == oh::Status::Info ? oh::kNever : b,
                     s, false, line++});
    return *this;
  }
  Counter& read(std::int64_t value, std::int64_t a, std::int64_t b, bool final = false) {
    h.ops.push_back({oh::CounterF::Read, "likes", value, a, b, oh::Status::Ok, final, line++});
    return *this;
  }
};

}  // namespace

TEST_CASE("counter check: a final read equal to every acknowledged increment is valid") {
  Counter c;
  c.incr(1, 0, 1).incr(2, 2, 3).incr(-1, 4, 5).read(2, 10, 11, true);
  const auto r = consim::check_counter(c.h);
  CHECK(r.result.verdict == consim::Verdict::Valid);
  CHECK(r.result.checker == "counter");
  CHECK(r.final_reads == 1);
  CHECK(r.lost_increments == 0);
}

TEST_CASE("counter check: a final read below the acknowledged increments lost some") {
  Counter c;
  c.incr(1, 0, 1).incr(1, 2, 3).incr(5, 4, 5, oh::Status::Info).read(1, 10, 11, true);
  const auto r = consim::check_counter(c.h);
  CHECK(r.result.verdict == consim::Verdict::Invalid);
  CHECK(r.lost_increments == 1);
  CHECK(r.final_reads_out_of_bounds == 1);
  REQUIRE(r.result.violations.size() == 1);
  CHECK(r.result.violations[0].ops == std::vector<std::uint64_t>{4});
  CHECK(r.result.violations[0].reason ==
        "final read at 10ns returned 1, below 2: increments lost (the acknowledged and possible "
        "increments allow [2, 7])");
}

TEST_CASE("counter check: an unknown increment may or may not count; a failed one never does") {
  Counter c;
  c.incr(1, 0, 1).incr(5, 4, 5, oh::Status::Info).incr(3, 6, 7, oh::Status::Fail);
  c.read(1, 10, 11, true).read(6, 12, 13, true);
  CHECK(consim::check_counter(c.h).result.verdict == consim::Verdict::Valid);
  Counter d;
  d.incr(1, 0, 1).incr(3, 6, 7, oh::Status::Fail).read(4, 10, 11, true);
  const auto r = consim::check_counter(d.h);
  CHECK(r.invented_increments == 3);
  CHECK(r.result.verdict == consim::Verdict::Invalid);
}

TEST_CASE("counter check: a stale read during the run is counted, not a violation") {
  Counter c;
  c.incr(1, 0, 1).incr(1, 2, 3).read(1, 5, 6).read(2, 10, 11, true);
  const auto r = consim::check_counter(c.h);
  CHECK(r.result.verdict == consim::Verdict::Valid);
  CHECK(r.stale_reads == 1);
}

TEST_CASE("counter check: an increment concurrent with a read may or may not be in it") {
  Counter c;
  c.incr(1, 0, 1).incr(1, 5, 20).read(1, 10, 11).read(2, 10, 11);
  c.incr(-1, 30, 40).read(2, 35, 36).read(1, 35, 36);
  const auto r = consim::check_counter(c.h);
  CHECK(r.stale_reads == 0);
  CHECK(r.result.verdict == consim::Verdict::Valid);
}

TEST_CASE("counter check: keys are judged apart") {
  Counter c;
  c.incr(4, 0, 1).read(4, 10, 11, true);
  c.h.ops.push_back({oh::CounterF::Read, "views", 0, 10, 11, oh::Status::Ok, true, 9});
  c.h.ops.push_back({oh::CounterF::Incr, "views", 2, 0, 1, oh::Status::Ok, false, 10});
  const auto r = consim::check_counter(c.h);
  CHECK(r.lost_increments == 2);
  REQUIRE(r.result.violations.size() == 1);
  CHECK(r.result.violations[0].key == "views");
}

}  // namespace counter_check_test
