// Golden outputs of the generator and independence of named streams.
#include <doctest/doctest.h>

#include "sim/rng.h"

using consim::Rng;

TEST_CASE("rng: the same seed gives the same sequence") {
  Rng a(42), b(42);
  for (int i = 0; i < 1000; ++i) REQUIRE(a.next_u64() == b.next_u64());
}

TEST_CASE("rng: a fork depends on the name and the seed, not on draws already made") {
  Rng parent(7);
  Rng early = parent.fork("network");
  for (int i = 0; i < 100; ++i) parent.next_u64();
  Rng late = parent.fork("network");
  CHECK(early.next_u64() == late.next_u64());
  CHECK(parent.fork("client/1").next_u64() != parent.fork("client/2").next_u64());
}
