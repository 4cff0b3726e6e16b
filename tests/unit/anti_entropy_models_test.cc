// Anti-entropy inside the models that offer it (parameter "anti_entropy"):
// it repairs what replication missed, for every conflict strategy, and its
// messages are the only ones it adds. Stories on a hand-driven cluster.
#include <doctest/doctest.h>

#include <algorithm>

#include "models/conflict.h"
#include "tests/unit/model_checks.h"

namespace anti_entropy_models_test {

// Inside the namespace: a unity file also holds conflict_test.cc, whose
// names (Stamp) consim::testing's would make ambiguous.
using namespace consim;
using namespace consim::testing;

FakeCluster::Filter anti_entropy_messages() {
  return [](const SentMessage& m) { return m.type().starts_with("anti-entropy-"); };
}

// Fires timers for `dt`, delivering only anti-entropy messages (and every
// message they cause that is one), dropping everything else.
void only_anti_entropy(FakeCluster& c, Time dt, Time step = 10 * kMillisecond) {
  for (Time t = 0; t < dt; t += step) {
    c.advance(step);
    for (int guard = 0; guard < 1000 && !c.in_flight.empty(); ++guard) {
      c.drop([](const SentMessage& m) { return !m.type().starts_with("anti-entropy-"); });
      c.deliver(anti_entropy_messages());
    }
  }
}

TEST_CASE("eventual-async: anti-entropy is off by default and absent from the header params") {
  FakeCluster c("eventual-async", 3);
  c.write(0, 4, 11);
  c.advance(5 * kSecond);
  c.deliver_all();
  for (const auto& m : c.sent) CHECK_FALSE(m.type().starts_with("anti-entropy-"));
}

TEST_CASE(
    "eventual-async: anti-entropy delivers a write whose replication was lost with the outbox") {
  // durable_outbox false: n1 crashes before any replicate arrives and forgets
  // them; only anti-entropy can bring x=11 to n2 and n3.
  FakeCluster c("eventual-async", 3, {{"durable_outbox", false}, {"anti_entropy", "100ms"}});
  c.write(0, 4, 11);
  c.drop(any_message());
  c.crash(0);
  c.recover(0);
  only_anti_entropy(c, 400 * kMillisecond);
  CHECK(c.visible(1, 4) == 11);
  CHECK(c.visible(2, 4) == 11);
  CHECK(c.notes_named("anti-entropy-repair").size() >= 2);
}

TEST_CASE("eventual-async: anti-entropy converges siblings under every strategy") {
  for (const std::string& strategy : conflict::strategy_names()) {
    CAPTURE(strategy);
    FakeCluster c("eventual-async", 3,
                  {{"conflict", strategy}, {"anti_entropy", "50ms"}, {"durable_outbox", false}});
    c.write(0, 7, 1);
    c.write(1, 7, 2);  // concurrent: neither has seen the other
    c.drop(any_message());
    for (NodeId n = 0; n < 3; ++n) {  // forget the outboxes
      c.crash(n);
      c.recover(n);
    }
    only_anti_entropy(c, 500 * kMillisecond);
    std::vector<std::optional<Value>> reads;
    std::vector<std::vector<Value>> siblings;
    for (NodeId n = 0; n < 3; ++n) {
      const auto* r = c.reply_to(c.read(n, 7));
      REQUIRE(r != nullptr);
      reads.push_back(r->reply.value);
      siblings.push_back(r->reply.siblings);
    }
    CHECK(reads[0] == reads[1]);
    CHECK(reads[1] == reads[2]);
    CHECK(siblings[0] == siblings[1]);
    CHECK(siblings[1] == siblings[2]);
    if (strategy != "lww") CHECK(siblings[0] == std::vector<Value>{1, 2});  // none dropped
  }
}

TEST_CASE("quorum: anti-entropy repairs a preferred replica a write missed, and no other node") {
  // Five nodes, three replicas per key. The write reaches two of its three
  // replicas (w = 2); the third only by anti-entropy, which compares the
  // keys both nodes replicate: the other two nodes never hold the key.
  FakeCluster c("quorum", 5, {{"n", 3}, {"w", 2}, {"r", 2}, {"anti_entropy", "50ms"}});
  auto op = c.write(0, 9, 42);
  std::vector<NodeId> replicas;
  for (const auto& m : c.in_flight)
    if (m.type() == "write") replicas.push_back(m.to);
  REQUIRE(replicas.size() == 3);
  const NodeId missed = replicas.back();
  c.drop(to_node(missed));
  c.deliver_all();
  REQUIRE(c.reply_to(op) != nullptr);
  CHECK(c.visible(missed, 9) == std::nullopt);
  only_anti_entropy(c, 500 * kMillisecond);
  CHECK(c.visible(missed, 9) == 42);
  for (NodeId n = 0; n < 5; ++n)
    if (std::find(replicas.begin(), replicas.end(), n) == replicas.end())
      CHECK_FALSE(c.ever_applied(n, 9, 42));
  for (const auto& m : c.sent)
    if (m.type() == "anti-entropy-keys")
      CHECK((std::find(replicas.begin(), replicas.end(), m.from) != replicas.end() &&
             std::find(replicas.begin(), replicas.end(), m.to) != replicas.end()));
}

TEST_CASE("eventual-async: a bad anti_entropy parameter names its path") {
  CHECK_THROWS_WITH_AS(FakeCluster("eventual-async", 3, {{"anti_entropy", "never"}}),
                       doctest::Contains("$.model.params.anti_entropy"), InputError);
}

}  // namespace anti_entropy_models_test
