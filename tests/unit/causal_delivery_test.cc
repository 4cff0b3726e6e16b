// The causal delivery part (models/causal_delivery.h) on its own, with a
// write type that carries nothing but its dots and deps: what both causal
// replicas (registers and CRDTs) rely on. Writes arrive in any order, with
// duplicates; each is applied once, after its origin's earlier writes and
// its dependencies, and acknowledged only once applied; requests that wait
// for their session are served in arrival order once it is applied.
#include "models/causal_delivery.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include "base/rng.h"
#include "tests/unit/fake_context.h"
#include "tests/unit/test_scale.h"

using namespace consim;
using namespace consim::testing;
using causal::VectorClock;

namespace causal_delivery_test {

namespace {

struct Tick {
  NodeId origin = 0;
  std::uint64_t seq = 0;
  Key key = 0;
  VectorClock deps;
  std::size_t wire_bytes() const { return 8; }
};

using Dot = std::pair<NodeId, std::uint64_t>;

struct Recorder {
  explicit Recorder(FakeCluster& c) : cluster(&c) {}

  FakeCluster* cluster;
  std::vector<Dot> applied;
  std::map<Dot, std::size_t> sent_before_apply;  // cluster->sent.size() when applied
  std::vector<std::uint64_t> served;             // op ids, in order

  void apply(const Tick& t) {
    applied.push_back({t.origin, t.seq});
    sent_before_apply[{t.origin, t.seq}] = cluster->sent.size();
  }
  void serve(const Request& r, const VectorClock&) { served.push_back(r.op_id); }
};

using Delivery = causal::CausalDelivery<Recorder, Tick>;

void receive(Delivery& d, const Tick& t) {
  auto msg = std::make_shared<causal::Replicate<Tick>>();
  msg->write = t;
  d.on_message(t.origin, *msg);
}

Request request_with(std::uint64_t op, VectorClock seen) {
  Request r;
  r.op_id = op;
  r.type = OpType::Read;
  r.session = Delivery::session_token(std::move(seen));
  return r;
}

// A causal history of `count` writes by n1 and n2: each write depends on
// what its origin had seen, and now and then an origin hears of all the
// other's writes so far.
std::vector<Tick> history(Rng& rng, int count) {
  std::vector<Tick> out;
  VectorClock made(3, 0);
  std::vector<VectorClock> seen(2, VectorClock(3, 0));
  for (int i = 0; i < count; ++i) {
    NodeId o = static_cast<NodeId>(rng.below(2));
    if (rng.chance(0.3)) seen[o][1 - o] = made[1 - o];
    Tick t{o, ++made[o], rng.below(4), seen[o]};
    seen[o][o] = t.seq;
    out.push_back(t);
  }
  return out;
}

}  // namespace

TEST_CASE(
    "causal delivery: each write is applied once, after its origin's earlier writes and its "
    "dependencies, and acknowledged only once applied, in any arrival order") {
  for (int seed = 1; seed <= test::sweep(200); ++seed) {
    CAPTURE(seed);
    FakeCluster c("causal", 3);
    Recorder owner(c);
    Delivery d(owner, c.context(2), {kSecond, 50 * kMillisecond, kSecond, "tick"});
    Rng rng(static_cast<std::uint64_t>(seed));
    std::vector<Tick> writes = history(rng, 12);
    std::vector<Tick> arrivals = writes;
    for (const Tick& t : writes)
      if (rng.chance(0.3)) arrivals.push_back(t);  // a duplicate
    for (std::size_t i = arrivals.size(); i > 1; --i)
      std::swap(arrivals[i - 1], arrivals[rng.below(i)]);
    for (const Tick& t : arrivals) receive(d, t);

    REQUIRE(owner.applied.size() == writes.size());
    VectorClock at(3, 0);
    for (const Dot& dot : owner.applied) {
      const Tick& t =
          writes[static_cast<std::size_t>(std::find_if(writes.begin(), writes.end(),
                                                       [&](const Tick& w) {
                                                         return Dot{w.origin, w.seq} == dot;
                                                       }) -
                                          writes.begin())];
      CHECK(at[t.origin] + 1 == t.seq);  // the origin's writes in order, once each
      CHECK(causal::covers(at, t.deps));
      at[t.origin] = t.seq;
    }
    CHECK(d.applied() == at);
    for (std::size_t i = 0; i < c.sent.size(); ++i) {
      auto* ack = payload_as<causal::ReplicateAck>(*c.sent[i].payload);
      REQUIRE(ack != nullptr);
      CHECK(ack->origin == c.sent[i].to);
      CHECK(i >= owner.sent_before_apply.at({ack->origin, ack->seq}));
    }
    CHECK(c.notes_named("buffered").size() == c.notes_named("released").size());
  }
}

TEST_CASE("causal delivery: a buffered write is named with the replica's noun and what it lacks") {
  FakeCluster c("causal", 3);
  Recorder owner(c);
  Delivery d(owner, c.context(2), {kSecond, 50 * kMillisecond, kSecond, "tick"});
  receive(d, Tick{0, 2, 7, {0, 0, 0}});
  auto buffered = c.notes_named("buffered");
  REQUIRE(buffered.size() == 1);
  CHECK(buffered[0].detail == "tick n1.2 key 7 waits for n1.1");
  CHECK(c.sent.empty());  // not acknowledged while buffered
  c.advance(3 * kMillisecond);
  receive(d, Tick{0, 1, 7, {0, 0, 0}});
  CHECK(owner.applied == std::vector<Dot>{{0, 1}, {0, 2}});
  auto released = c.notes_named("released");
  REQUIRE(released.size() == 1);
  CHECK(released[0].detail == "tick n1.2 key 7 after 3ms buffered");
  CHECK(released[0].lasted == 3 * kMillisecond);
  CHECK(c.sent.size() == 2);  // both acknowledged once applied
}

TEST_CASE(
    "causal delivery: requests wait for their session and are served in arrival order once it "
    "is applied") {
  FakeCluster c("causal", 3);
  Recorder owner(c);
  Delivery d(owner, c.context(2), {kSecond, 50 * kMillisecond, kSecond, "tick"});
  d.on_request(request_with(1, {2, 0, 0}));
  d.on_request(request_with(2, {1, 0, 0}));
  d.on_request(request_with(3, {1, 0, 0}));
  d.on_request(request_with(4, {0, 0, 0}));
  CHECK(owner.served == std::vector<std::uint64_t>{4});
  CHECK(c.notes_named("session-wait").size() == 3);
  CHECK(c.notes_named("session-wait")[0].detail == "op 1 needs n1.2");
  receive(d, Tick{0, 1, 0, {0, 0, 0}});
  CHECK(owner.served == std::vector<std::uint64_t>{4, 2, 3});
  receive(d, Tick{0, 2, 0, {0, 0, 0}});
  CHECK(owner.served == std::vector<std::uint64_t>{4, 2, 3, 1});
}

}  // namespace causal_delivery_test
