// Stories of the eventual-async model on a hand-driven cluster: immediate
// acknowledgement, retried replication, last-writer-wins, crash durability.
#include <doctest/doctest.h>

#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;

namespace models_eventual_async_test {

TEST_CASE("eventual-async: a write is acknowledged before any peer has it") {
  FakeCluster c("eventual-async", 3);
  auto op = c.write(0, 4, 11);
  REQUIRE(c.reply_to(op) != nullptr);
  CHECK(c.reply_to(op)->reply.outcome == Reply::Outcome::Ok);
  CHECK(c.visible(0, 4) == 11);
  CHECK(c.visible(1, 4) == std::nullopt);
  auto stale = c.read(1, 4);
  CHECK(c.reply_to(stale)->reply.value == std::nullopt);  // a stale read at n2
  CHECK(c.count(of_type("replicate")) == 2);
  c.deliver_all();
  auto fresh = c.read(1, 4);
  CHECK(c.reply_to(fresh)->reply.value == 11);
  CHECK(c.visible(2, 4) == 11);
}

TEST_CASE("eventual-async: unacknowledged replication is retried with backoff until acknowledged") {
  FakeCluster c("eventual-async", 2, {{"retry_initial", "10ms"}, {"retry_max", "40ms"}});
  c.write(0, 4, 11);
  std::vector<Time> sends;
  for (int attempt = 0; attempt < 5; ++attempt) {
    while (c.in_flight.empty()) c.advance(1 * kMillisecond);
    sends.push_back(c.in_flight.front().time);
    c.drop(any_message());
  }
  // 0, then +10ms, +20ms, +40ms, +40ms (capped).
  CHECK(sends == std::vector<Time>{0, 10 * kMillisecond, 30 * kMillisecond, 70 * kMillisecond,
                                   110 * kMillisecond});
  while (c.in_flight.empty()) c.advance(1 * kMillisecond);
  CHECK(c.now() == 150 * kMillisecond);
  c.deliver(of_type("replicate"));
  CHECK(c.visible(1, 4) == 11);
  c.deliver(of_type("replicate-ack"));
  CHECK(c.timers_of(0) == 0);  // acknowledged: no more resends
  c.advance(10 * kSecond);
  CHECK(c.in_flight.empty());
}

TEST_CASE("eventual-async: a peer heard from again gets overdue replication at once") {
  FakeCluster c("eventual-async", 2, {{"retry_initial", "10ms"}, {"retry_max", "1s"}});
  c.write(0, 4, 11);
  c.drop(any_message());  // the first send is lost: a partition, say
  c.advance(10 * kMillisecond);
  REQUIRE(c.count(of_type("replicate")) == 1);  // the first resend, at 10ms
  c.drop(any_message());                        // lost too; next resend due at 30ms
  c.advance(5 * kMillisecond);
  // The partition heals: n2 writes, and its replicate reaches n1 at 15ms.
  c.write(1, 5, 22);
  c.deliver(both(of_type("replicate"), to_node(0)));
  // n1 resends x=11 at once instead of waiting for its timer.
  CHECK(c.now() == 15 * kMillisecond);
  CHECK(c.count(both(of_type("replicate"), to_node(1))) == 1);
  c.deliver(both(of_type("replicate"), to_node(1)));
  CHECK(c.visible(1, 4) == 11);
  // Hearing from n2 again with nothing overdue sends nothing more.
  c.deliver(of_type("replicate-ack"));
  c.deliver(of_type("replicate-ack"));
  CHECK(c.in_flight.empty());
  CHECK(c.timers_of(0) == 0);
}

TEST_CASE(
    "eventual-async: a peer that keeps talking gets no extra resends, even if it cannot hear") {
  // A one-way cut: n2's messages reach n1, n1's never reach n2.
  FakeCluster c("eventual-async", 2, {{"retry_initial", "10ms"}, {"retry_max", "40ms"}});
  c.write(0, 4, 11);
  int sends_to_n2 = 0;
  for (int ms = 0; ms < 200; ++ms) {
    sends_to_n2 += static_cast<int>(c.drop(both(of_type("replicate"), to_node(1))));
    c.write(1, 5, 100 + ms);  // n2 keeps talking to n1
    c.deliver(both(of_type("replicate"), to_node(0)));
    sends_to_n2 += static_cast<int>(c.drop(both(of_type("replicate"), to_node(1))));
    c.drop(any_message());
    c.advance(kMillisecond);
  }
  // n2 is never silent, so only the timers resend: 0, 10, 30, 70, 110, 150
  // and 190 ms.
  CHECK(sends_to_n2 == 7);
}

TEST_CASE(
    "eventual-async: a peer cut off for a minute is probed, and each write goes to it once at the "
    "heal") {
  // n2 is unreachable for 60 s while n1 takes a write every 100 ms. Were
  // every write resent on its own backoff, n1 would send about 600 x 30
  // replicates into the cut. It sends each write once as it is made (600)
  // and one probe per backoff: at 50ms, 150ms, 350ms, 750ms, 1.55s, 3.15s
  // and every 2s after that (28 more up to 60s), 634 sends in all.
  FakeCluster c("eventual-async", 2, {{"retry_initial", "50ms"}, {"retry_max", "2s"}});
  std::size_t sent_into_the_cut = 0;
  for (int i = 0; i < 600; ++i) {
    c.write(0, i, i + 1);
    c.advance(100 * kMillisecond);
    sent_into_the_cut += c.drop(to_node(1));
  }
  CHECK(sent_into_the_cut == 634);
  // The cut heals: the next probe (write 1) is answered, and the other 599
  // writes go out again at once, once each.
  c.advance(2 * kSecond);
  REQUIRE(c.count(of_type("replicate")) == 1);
  c.deliver(of_type("replicate"));
  c.deliver(of_type("replicate-ack"));
  CHECK(c.count(both(of_type("replicate"), to_node(1))) == 599);
  c.deliver_all();
  for (Key k = 0; k < 600; ++k) CHECK(c.visible(1, k) == static_cast<Value>(k + 1));
  CHECK(c.timers_of(0) == 0);
}

TEST_CASE("eventual-async: concurrent writes converge to the larger (timestamp, node)") {
  SUBCASE("the later clock wins, even from the lower node id") {
    FakeCluster c("eventual-async", 3);
    c.context(0).clock_offset = 5 * kMillisecond;  // n1's clock runs ahead
    c.write(0, 4, 11);
    c.write(1, 4, 22);
    c.deliver_all();
    for (NodeId n = 0; n < 3; ++n) CHECK(c.visible(n, 4) == 11);
  }
  SUBCASE("equal timestamps: the larger node id wins") {
    FakeCluster c("eventual-async", 3);
    c.write(2, 4, 33);
    c.write(0, 4, 11);
    c.deliver_all();
    for (NodeId n = 0; n < 3; ++n) CHECK(c.visible(n, 4) == 33);
  }
}

TEST_CASE("eventual-async: a node whose clock is behind has its acknowledged write hidden") {
  FakeCluster c("eventual-async", 2);
  c.context(0).clock_offset = 5 * kMillisecond;
  c.write(0, 4, 11);
  c.deliver_all();
  auto op = c.write(1, 4, 22);  // n2's clock reads 5ms less than the stored version
  CHECK(c.reply_to(op)->reply.outcome == Reply::Outcome::Ok);
  c.deliver_all();
  CHECK(c.visible(0, 4) == 11);
  CHECK(c.visible(1, 4) == 11);
  CHECK(c.notes_named("lww-hidden").size() == 1);
}

TEST_CASE(
    "eventual-async: a durable outbox delivers after a crash; a volatile one loses the write") {
  for (bool durable : {true, false}) {
    CAPTURE(durable);
    FakeCluster c("eventual-async", 2, {{"durable_outbox", durable}});
    c.write(0, 4, 11);
    c.drop(any_message());
    c.crash(0);
    c.recover(0);
    c.deliver_all();
    c.advance(10 * kSecond);
    c.deliver_all();
    CHECK(c.visible(0, 4) == 11);  // the store itself is durable
    CHECK(c.visible(1, 4) == (durable ? std::optional<Value>(11) : std::nullopt));
  }
}

TEST_CASE("eventual-async: a duplicated replicate is applied once") {
  FakeCluster c("eventual-async", 2);
  c.write(0, 4, 11);
  SentMessage copy = c.in_flight.front();
  c.deliver_all();
  c.in_flight.push_back(copy);
  c.deliver_all();
  std::size_t at_n2 = 0;
  for (const auto& a : c.applies) at_n2 += a.node == 1;
  CHECK(at_n2 == 1);
}

TEST_CASE("eventual-async: parameters are strict and the defaults are the documented ones") {
  CHECK(parse_error("eventual-async", {{"quorum", 2}})
            .starts_with("demo.json: $.model.params.quorum: unknown key \"quorum\""));
  CHECK(parse_error("eventual-async", {{"retry_initial", "1s"}, {"retry_max", "100ms"}}) ==
        "demo.json: $.model.params.retry_max: retry_max (100ms) must be at least retry_initial "
        "(1s)");
  CHECK(parse_error("eventual-async", {{"durable_outbox", "yes"}}) ==
        "demo.json: $.model.params.durable_outbox: expected true or false, got \"yes\"");
  CHECK(defaults_of("eventual-async") == nlohmann::json{{"retry_initial", "50ms"},
                                                        {"retry_max", "2s"},
                                                        {"durable_outbox", true},
                                                        {"conflict", "lww"}});
}

TEST_CASE("eventual-async: message types and sizes are as documented in docs/models.md") {
  CHECK(message_sizes("eventual-async") ==
        std::map<std::string, std::size_t>{{"replicate", 52}, {"replicate-ack", 28}});
}

}  // namespace models_eventual_async_test
