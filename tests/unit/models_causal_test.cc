// Stories of the causal model on a hand-driven cluster: buffering of writes
// whose causes are missing, session waits, convergence of concurrent writes.
#include <doctest/doctest.h>

#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;

namespace models_causal_test {

namespace {

const Reply& reply_of(const FakeCluster& c, std::uint64_t op) {
  const RecordedReply* r = c.reply_to(op);
  REQUIRE(r != nullptr);
  return r->reply;
}

}  // namespace

TEST_CASE(
    "causal: a remote write whose dependency is missing is buffered until the dependency arrives") {
  FakeCluster c("causal", 3);
  c.write(0, 1, 10);  // write n1.1: x=10 at n1
  c.deliver(both(of_type("replicate"), to_node(1)));
  auto read = c.read(1, 1);  // a client at n2 reads x=10 ...
  REQUIRE(reply_of(c, read).value == 10);
  c.write(1, 2, 20, reply_of(c, read).session);  // ... then writes y=20: n2.1 depends on n1.1
  c.deliver(both(of_type("replicate"), both(from_node(1), to_node(2))));
  CHECK(c.visible(2, 2) == std::nullopt);  // n3 holds y=20 back: it lacks x=10
  auto buffered = c.notes_named("buffered");
  REQUIRE(buffered.size() == 1);
  CHECK(buffered[0].detail == "write n2.1 key 2 waits for n1.1");
  CHECK(c.count(both(of_type("replicate-ack"), from_node(2))) == 0);  // not acknowledged yet
  c.advance(4 * kMillisecond);
  c.deliver(both(of_type("replicate"), both(from_node(0), to_node(2))));
  CHECK(c.visible(2, 1) == 10);
  CHECK(c.visible(2, 2) == 20);
  auto released = c.notes_named("released");
  REQUIRE(released.size() == 1);
  CHECK(released[0].detail == "write n2.1 key 2 after 4ms buffered");
  CHECK(released[0].lasted == 4 * kMillisecond);
  CHECK(c.count(both(of_type("replicate-ack"), from_node(2))) == 2);
  // x became visible before y at n3.
  std::vector<Key> order;
  for (const auto& a : c.applies)
    if (a.node == 2) order.push_back(a.key);
  CHECK(order == std::vector<Key>{1, 2});
}

TEST_CASE("causal: a read at a replica behind the session's context waits") {
  FakeCluster c("causal", 3);
  auto write = c.write(0, 1, 10);
  PayloadPtr session = reply_of(c, write).session;
  REQUIRE(session != nullptr);
  auto read = c.read(1, 1, session);  // the client falls back to n2
  CHECK(c.reply_to(read) == nullptr);
  CHECK(c.notes_named("session-wait").size() == 1);
  c.advance(2 * kMillisecond);
  c.deliver(both(of_type("replicate"), to_node(1)));
  REQUIRE(c.reply_to(read) != nullptr);
  CHECK(reply_of(c, read).value == 10);  // reads its own write
  CHECK(c.reply_to(read)->time == 2 * kMillisecond);
  auto without_session = c.read(2, 1);
  CHECK(reply_of(c, without_session).value == std::nullopt);  // no context: no wait
}

TEST_CASE(
    "causal: a request whose session context never arrives fails after session_wait_timeout") {
  FakeCluster c("causal", 3, {{"session_wait_timeout", "30ms"}});
  auto write = c.write(0, 1, 10);
  c.drop(any_message());
  auto read = c.read(2, 5, reply_of(c, write).session);
  c.advance(29 * kMillisecond);
  c.drop(any_message());  // the retries are lost too
  CHECK(c.reply_to(read) == nullptr);
  c.advance(1 * kMillisecond);
  CHECK(reply_of(c, read).outcome == Reply::Outcome::Fail);
  CHECK(reply_of(c, read).reason == "session context not applied here within 30ms: missing n1.1");
}

TEST_CASE("causal: a write after a read depends on what was read, even through another node") {
  FakeCluster c("causal", 3);
  auto w1 = c.write(0, 1, 10);
  c.deliver_all();
  auto r = c.read(1, 1, reply_of(c, w1).session);
  auto w2 = c.write(2, 1, 30, reply_of(c, r).session);  // causally after x=10
  c.deliver_all();
  for (NodeId n = 0; n < 3; ++n) CHECK(c.visible(n, 1) == 30);
  CHECK(reply_of(c, w2).outcome == Reply::Outcome::Ok);
}

TEST_CASE("causal, lww: concurrent writes to one key converge to the larger (stamp, node)") {
  FakeCluster c("causal", 3, {{"conflict", "lww"}});
  c.write(2, 1, 30);  // n3.1, stamp 1 (the clocks read 0)
  c.write(0, 1, 10);  // n1.1, stamp 1: concurrent
  c.deliver_all();
  for (NodeId n = 0; n < 3; ++n) CHECK(c.visible(n, 1) == 30);
  // A later write at n1 has seen n3's write, so its stamp is larger: it wins.
  c.write(0, 1, 11);
  c.deliver_all();
  for (NodeId n = 0; n < 3; ++n) CHECK(c.visible(n, 1) == 11);
}

TEST_CASE(
    "causal: concurrent writes to one key stay siblings everywhere until a write made where both "
    "had arrived supersedes them") {
  FakeCluster c("causal", 3);  // conflict: version-vectors, the default
  c.write(2, 1, 30);           // n3.1
  c.write(0, 1, 10);           // n1.1: concurrent
  c.deliver_all();
  for (NodeId n = 0; n < 3; ++n) CHECK(c.visible_versions(n, 1) == std::vector<Value>{10, 30});
  auto read = c.read(1, 1);
  CHECK(reply_of(c, read).value == 10);
  CHECK(reply_of(c, read).siblings == std::vector<Value>{10, 30});
  c.write(1, 1, 20, reply_of(c, read).session);  // n2.1 has seen both
  c.deliver_all();
  for (NodeId n = 0; n < 3; ++n) CHECK(c.visible_versions(n, 1) == std::vector<Value>{20});
}

TEST_CASE(
    "causal: a client's own write is never hidden by a concurrent one, whatever the clocks say") {
  // Under lww only the larger (stamp, node) would be visible: with n1's
  // clock ahead, n1's older write hides n3's newer one from the client that
  // made it (swarm seed 17 of swarm-small). Here both are kept.
  FakeCluster c("causal", 3);
  c.advance(5 * kMillisecond);
  c.write(0, 1, 85);                                                      // n1.1
  auto own = c.write(2, 1, 86);                                           // n3.1: concurrent
  c.deliver(both(of_type("replicate"), to_node(2)));                      // n3 gets 85
  c.deliver(both(of_type("replicate"), both(from_node(2), to_node(1))));  // n2 gets only 86
  auto read = c.read(2, 1, reply_of(c, own).session);
  CHECK(reply_of(c, read).siblings == std::vector<Value>{85, 86});
  // A write supersedes what its node had applied: at n2, only 86.
  auto w = c.write(1, 1, 87, reply_of(c, own).session);
  c.deliver_all();
  CHECK(reply_of(c, w).outcome == Reply::Outcome::Ok);
  for (NodeId n = 0; n < 3; ++n) CHECK(c.visible_versions(n, 1) == std::vector<Value>{85, 87});
}

namespace {

// n1 makes five writes to key 2 and then x=10 at time 0; 1 ms later n2,
// which has seen none of them, writes x=20. Returns what x converges to.
Value converged_after_busy_and_quiet_writer(nlohmann::json params) {
  params["conflict"] = "lww";
  FakeCluster c("causal", 3, params);
  for (Value v = 1; v <= 5; ++v) c.write(0, 2, v);
  c.write(0, 1, 10);  // stamp 6 with either kind of timestamps
  c.advance(kMillisecond);
  c.write(1, 1, 20);  // lamport: stamp 1; hybrid: the clock, 1,000,000 ns
  c.deliver_all();
  for (NodeId n = 1; n < 3; ++n) CHECK(c.visible(n, 1) == c.visible(0, 1));
  return *c.visible(0, 1);
}

}  // namespace

TEST_CASE("causal, lww: with hybrid stamps a write made after another completed wins over it") {
  CHECK(converged_after_busy_and_quiet_writer(nlohmann::json::object()) == 20);
  CHECK(converged_after_busy_and_quiet_writer({{"timestamps", "hybrid"}}) == 20);
}

TEST_CASE(
    "causal, lww: with lamport stamps a busy node's older write beats a quiet node's newer one") {
  CHECK(converged_after_busy_and_quiet_writer({{"timestamps", "lamport"}}) == 10);
}

TEST_CASE("causal: a crash loses buffered writes, and the sender's retries restore them") {
  FakeCluster c("causal", 3);
  auto w1 = c.write(0, 1, 10);
  c.drop(to_node(2));  // n3 misses x=10 for now
  c.deliver_all();
  c.write(1, 2, 20, reply_of(c, w1).session);
  c.deliver_all();  // n3 buffers y=20
  CHECK(c.notes_named("buffered").size() == 1);
  c.crash(2);
  c.recover(2);
  c.advance(10 * kSecond);  // the origins resend until n3 acknowledges
  c.deliver_all();
  CHECK(c.visible(2, 1) == 10);
  CHECK(c.visible(2, 2) == 20);
  for (NodeId n = 0; n < 3; ++n) CHECK(c.timers_of(n) == 0);
}

TEST_CASE("causal: parameters are strict and the defaults are the documented ones") {
  CHECK(parse_error("causal", {{"durable_outbox", false}})
            .starts_with("demo.json: $.model.params.durable_outbox: unknown key"));
  CHECK(defaults_of("causal") == nlohmann::json{{"session_wait_timeout", "500ms"},
                                                {"retry_initial", "50ms"},
                                                {"retry_max", "2s"},
                                                {"timestamps", "hybrid"},
                                                {"conflict", "version-vectors"}});
  CHECK(parse_error("causal", {{"conflict", "mv-register"}}) ==
        "demo.json: $.model.params.conflict: unknown conflict \"mv-register\"; valid: "
        "version-vectors or lww");
  nlohmann::json given = {{"retry_initial", "1.5ms"}};
  auto parsed =
      find_model("causal")->parse(JsonReader(given, "demo.json", "$.model.params"), scenario_of(3));
  CHECK(parsed->to_json()["retry_initial"] == "1.5ms");
}

TEST_CASE("causal: message types and sizes are as documented in docs/models.md") {
  // A replicate carries the writer's context and (version-vectors) what
  // its origin had applied: 8 bytes per node each (3 nodes here).
  CHECK(message_sizes("causal") == std::map<std::string, std::size_t>{{"replicate", 52 + 16 * 3},
                                                                      {"replicate-ack", 28},
                                                                      {"session", 8 * 3}});
}

}  // namespace models_causal_test
