// Golden outputs of the generator and independence of named streams.
#include "base/rng.h"

#include <doctest/doctest.h>

using consim::Rng;

namespace rng_test {

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

// Golden values: computed by this generator and cross-checked against an
// independent Python transcription of splitmix64 + xoshiro256** + FNV-1a.
// If these change, every recorded trace and seed in the wild changes too.
TEST_CASE("rng: the first outputs of seed 42 are pinned") {
  Rng rng(42);
  CHECK(rng.next_u64() == 0x15780b2e0c2ec716ULL);
  CHECK(rng.next_u64() == 0x6104d9866d113a7eULL);
  CHECK(rng.next_u64() == 0xae17533239e499a1ULL);
  CHECK(rng.next_u64() == 0xecb8ad4703b360a1ULL);
  CHECK(rng.next_u64() == 0xfde6dc7fe2ec5e64ULL);
}

TEST_CASE("rng: the first outputs of seed 42's \"network\" stream are pinned") {
  Rng rng = Rng(42).fork("network");
  CHECK(rng.next_u64() == 0xdd80238ad9edeb60ULL);
  CHECK(rng.next_u64() == 0xaf384e838565d48eULL);
  CHECK(rng.next_u64() == 0x5e03dd9ae0e3e5abULL);
  CHECK(rng.next_u64() == 0xcc21c48079545d2eULL);
  CHECK(rng.next_u64() == 0x86a98a7679bdafc5ULL);
}

}  // namespace rng_test
