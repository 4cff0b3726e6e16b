// Dotted causal contexts (models/conflict.h, "Dots and contexts"): the
// context rules on hand-made sets of dots (covering, concurrent,
// non-contiguous), and the defect they fix, replayed on each model that
// takes "conflict": a client's context after a blind write held its own dot
// as a version vector entry, {n1:2}, which also claimed a concurrent n1:1
// the client never read, so its next write discarded that sibling. Node ids
// are 0-based here (n1 is 0).
#include <doctest/doctest.h>

#include "models/conflict.h"
#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;

namespace dotted_context_test {

using conflict::CausalContext;
using conflict::Dot;
using conflict::KeyState;
using conflict::Stamp;
using conflict::Strategy;
using conflict::WriteInput;
using conflict::add;
using conflict::covers;
using conflict::join_into;
using conflict::merge;
using conflict::strategy_name;
using conflict::wire_bytes;
using conflict::write;

const Strategy kSiblingStrategies[] = {Strategy::VersionVectors, Strategy::MvRegister};
const char* const kSiblingNames[] = {"version-vectors", "mv-register"};

CausalContext context_of(VersionVector vv, DotSet dots = {}) {
  return CausalContext{std::move(vv), std::move(dots)};
}

WriteInput write_of(Value v, Dot dot, CausalContext context = {}) {
  return WriteInput{v, dot, Stamp{0, dot.node, dot.counter}, std::move(context)};
}

TEST_CASE("dotted context: a vector covers every dot up to its count, a dot past it only itself") {
  const CausalContext c = context_of({{0, 2}}, {{0, 5}, {1, 3}});
  CHECK(covers(c, Dot{0, 1}));
  CHECK(covers(c, Dot{0, 2}));
  CHECK_FALSE(covers(c, Dot{0, 3}));  // between the vector and a dot past it
  CHECK_FALSE(covers(c, Dot{0, 4}));
  CHECK(covers(c, Dot{0, 5}));
  CHECK_FALSE(covers(c, Dot{0, 6}));
  CHECK_FALSE(covers(c, Dot{1, 1}));  // n2: only n2:3
  CHECK_FALSE(covers(c, Dot{1, 2}));
  CHECK(covers(c, Dot{1, 3}));
  CHECK_FALSE(covers(c, Dot{2, 1}));  // a node absent counts 0
  CHECK_FALSE(covers(CausalContext{}, Dot{0, 1}));
}

TEST_CASE("dotted context: adding a dot keeps it apart until the gap before it is filled") {
  CausalContext c;
  add(c, Dot{0, 2});  // a blind write's own dot: n1:1 not seen
  CHECK(c == context_of({}, {{0, 2}}));
  CHECK_FALSE(covers(c, Dot{0, 1}));
  add(c, Dot{0, 4});
  CHECK(c == context_of({}, {{0, 2}, {0, 4}}));
  add(c, Dot{0, 1});  // the gap before n1:2 filled: n1:1 and n1:2 join the vector
  CHECK(c == context_of({{0, 2}}, {{0, 4}}));
  add(c, Dot{0, 3});  // and n1:3 brings n1:4 in
  CHECK(c == context_of({{0, 4}}));
  add(c, Dot{0, 3});  // already covered: no change
  CHECK(c == context_of({{0, 4}}));
  add(c, Dot{1, 1});  // contiguous from the start: straight into the vector
  CHECK(c == context_of({{0, 4}, {1, 1}}));
}

TEST_CASE("dotted context: a join is the union of the dots, compacted, in either order") {
  const CausalContext a = context_of({{0, 1}}, {{0, 3}, {1, 2}});
  const CausalContext b = context_of({{0, 2}, {1, 1}}, {{2, 5}});
  CausalContext ab = a, ba = b;
  join_into(ab, b);
  join_into(ba, a);
  // n1: 1..2 and 3 -> {n1:3}; n2: 1 and 2 -> {n2:2}; n3:5 stays apart.
  CHECK(ab == context_of({{0, 3}, {1, 2}}, {{2, 5}}));
  CHECK(ab == ba);
  CausalContext again = ab;
  join_into(again, ab);
  CHECK(again == ab);  // idempotent
}

TEST_CASE(
    "dotted context: a write supersedes exactly the siblings its context covers, not a "
    "concurrent dot of the same node") {
  for (Strategy s : kSiblingStrategies) {
    CAPTURE(strategy_name(s));
    KeyState n1;
    write(s, n1, write_of(1, Dot{0, 1}));  // client a, blind
    write(s, n1, write_of(2, Dot{0, 2}));  // client b, blind: concurrent with 1
    CHECK(n1.values() == std::vector<Value>{1, 2});
    // b's context after its write: its own dot only.
    CausalContext b_ctx;
    add(b_ctx, Dot{0, 2});
    write(s, n1, write_of(3, Dot{0, 3}, b_ctx));  // b overwrites its own write
    CHECK(n1.values() == std::vector<Value>{1, 3});
    // A client that read both ({n1:3}, contiguous) supersedes both.
    write(s, n1, write_of(4, Dot{0, 4}, n1.causal_context()));
    CHECK(n1.values() == std::vector<Value>{4});
    CHECK(n1.causal_context() == context_of({{0, 4}}));
  }
}

TEST_CASE(
    "dotted context: a replica that holds n1:2 without n1:1 still takes n1:1 when it arrives "
    "(non-contiguous states merge)") {
  for (Strategy s : kSiblingStrategies) {
    CAPTURE(strategy_name(s));
    // A quorum coordinator that is no replica writes each time on an empty
    // base: two states, one dot each.
    KeyState first, second, replica;
    write(s, first, write_of(1, Dot{0, 1}));
    write(s, second, write_of(2, Dot{0, 2}));
    merge(s, replica, second);
    CHECK(replica.causal_context() == context_of({}, {{0, 2}}));
    CHECK(merge(s, replica, first).visible_changed);
    CHECK(replica.values() == std::vector<Value>{1, 2});
    CHECK(replica.causal_context() == context_of({{0, 2}}));
    // And the other order ends in the same state.
    KeyState other;
    merge(s, other, first);
    merge(s, other, second);
    CHECK(other == replica);
  }
}

TEST_CASE("dotted context: dots past the vector count on the wire, 12 bytes each") {
  KeyState st;
  write(Strategy::VersionVectors, st, write_of(1, Dot{0, 3}, context_of({{1, 1}}, {{0, 1}})));
  // One sibling: value 8 + dot 12, its context: one vector entry and one dot.
  CHECK(wire_bytes(Strategy::VersionVectors, st) == 8 + 12 + 12 + 12);
}

// The defect replayed on every model that takes "conflict": two clients
// write key 5 blind through node n1 (write, concurrent write), then the
// second overwrites with the session its write returned. The first write
// must stay a sibling everywhere.
void blind_then_overwrite(FakeCluster& c, std::vector<Value> expected_at_end) {
  auto a = c.write(0, 5, 10);
  auto b = c.write(0, 5, 20);
  c.deliver_all();
  REQUIRE(c.reply_to(a) != nullptr);
  REQUIRE(c.reply_to(b) != nullptr);
  const Reply& b_reply = c.reply_to(b)->reply;
  REQUIRE(b_reply.outcome == Reply::Outcome::Ok);
  // b's context: nothing of n1 before its own dot n1:2, which stays apart.
  CHECK(b_reply.context == VersionVector{});
  CHECK(b_reply.context_dots == DotSet{{0, 2}});
  auto over = c.write(0, 5, 30, b_reply.session);
  c.deliver_all();
  REQUIRE(c.reply_to(over) != nullptr);
  CHECK(c.reply_to(over)->reply.context == VersionVector{});
  CHECK(c.reply_to(over)->reply.context_dots == DotSet{{0, 2}, {0, 3}});
  for (NodeId n = 0; n < 3; ++n) {
    CAPTURE(n);
    CHECK(c.visible_versions(n, 5) == expected_at_end);
  }
}

TEST_CASE(
    "dotted context: eventual-async and multi-leader keep a concurrent sibling of the same node "
    "when a client overwrites its own blind write") {
  for (const char* model : {"eventual-async", "multi-leader"})
    for (const char* strategy : kSiblingNames) {
      CAPTURE(model);
      CAPTURE(strategy);
      FakeCluster c(model, 3, {{"conflict", strategy}});
      blind_then_overwrite(c, {10, 30});
    }
}

TEST_CASE(
    "dotted context: quorum keeps a concurrent sibling of the same coordinator when a client "
    "overwrites its own blind write (swarm seed 203's interleaving)") {
  for (const char* strategy : kSiblingNames) {
    CAPTURE(strategy);
    FakeCluster c("quorum", 3, {{"conflict", strategy}});
    blind_then_overwrite(c, {10, 30});
    // A read returns both, with the contiguous context {n1:3}; a write
    // with it resolves them.
    auto r = c.read(1, 5);
    c.deliver_all();
    const Reply& read = c.reply_to(r)->reply;
    CHECK(read.siblings == std::vector<Value>{10, 30});
    CHECK(read.context == VersionVector{{0, 3}});
    CHECK(read.context_dots.empty());
    c.write(1, 5, 40, read.session);
    c.deliver_all();
    for (NodeId n = 0; n < 3; ++n) CHECK(c.visible_versions(n, 5) == std::vector<Value>{40});
  }
}

}  // namespace dotted_context_test
