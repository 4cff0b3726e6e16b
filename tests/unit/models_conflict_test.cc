// The conflict strategies inside eventual-async and multi-leader on a
// hand-driven cluster: concurrent writes become siblings a read returns
// with their context, a write carrying that context resolves them, lww
// notes the write it overwrote, and a bad strategy name is rejected.
#include <doctest/doctest.h>

#include "models/conflict.h"
#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;

namespace models_conflict_test {

const char* const kSiblingStrategies[] = {"version-vectors", "mv-register"};
const char* const kModels[] = {"eventual-async", "multi-leader"};

TEST_CASE(
    "conflicts: concurrent writes are read as siblings and a write with their context "
    "resolves them on every replica") {
  for (const char* model : kModels)
    for (const char* strategy : kSiblingStrategies) {
      CAPTURE(model);
      CAPTURE(strategy);
      FakeCluster c(model, 3, {{"conflict", strategy}});
      c.write(0, 7, 11);
      c.write(1, 7, 12);
      c.deliver_all();
      for (NodeId n = 0; n < 3; ++n) CHECK(c.visible_versions(n, 7) == std::vector<Value>{11, 12});
      auto read = c.read(2, 7);
      const Reply& r = c.reply_to(read)->reply;
      CHECK(r.value == 11);
      CHECK(r.siblings == std::vector<Value>{11, 12});
      REQUIRE(r.context.has_value());
      CHECK(*r.context == VersionVector{{0, 1}, {1, 1}});
      // The client writes again with the session of its read: both resolved.
      auto resolve = c.write(2, 7, 13, r.session);
      CHECK(c.reply_to(resolve)->reply.context == VersionVector{{0, 1}, {1, 1}, {2, 1}});
      c.deliver_all();
      for (NodeId n = 0; n < 3; ++n) CHECK(c.visible_versions(n, 7) == std::vector<Value>{13});
      // A blind write (no session) is concurrent with it: siblings again.
      c.write(0, 7, 14);
      c.deliver_all();
      CHECK(c.visible_versions(1, 7) == std::vector<Value>{14, 13});
    }
}

TEST_CASE("conflicts: a client's consecutive writes supersede each other through its session") {
  for (const char* strategy : kSiblingStrategies) {
    CAPTURE(strategy);
    FakeCluster c("eventual-async", 2, {{"conflict", strategy}});
    auto first = c.write(0, 3, 21);
    c.write(0, 3, 22, c.reply_to(first)->reply.session);
    c.deliver_all();
    CHECK(c.visible_versions(1, 3) == std::vector<Value>{22});
  }
}

TEST_CASE("conflicts: lww notes the acknowledged write a concurrent one overwrote at its origin") {
  FakeCluster c("eventual-async", 2, {{"conflict", "lww"}});
  c.context(1).clock_offset = -100 * kMillisecond;  // n2's clock is behind
  c.write(0, 5, 31);
  c.write(1, 5, 32);  // later in real time, older by its clock
  c.deliver_all();
  CHECK(c.visible(0, 5) == 31);
  CHECK(c.visible(1, 5) == 31);
  auto notes = c.notes_named("lww-overwrote");
  REQUIRE(notes.size() == 1);
  CHECK(notes[0].node == 1);
  CHECK(notes[0].detail ==
        "write of 32 (n2:1) to key 5 replaced by 31 (n1:1), whose writer had not seen it");
}

TEST_CASE("conflicts: the conflict parameter is strict in every model that takes it") {
  for (const char* model : kModels) {
    CAPTURE(model);
    CHECK_THROWS_WITH_AS(FakeCluster(model, 2, {{"conflict", "last-writer"}}),
                         doctest::Contains("$.model.params.conflict: unknown conflict strategy "
                                           "\"last-writer\"; strategies: lww, version-vectors or "
                                           "mv-register"),
                         InputError);
  }
}

}  // namespace models_conflict_test
