// Stories of the strong-2pc model on a hand-driven three-node cluster:
// votes, refusals, timeouts, in-doubt reads, retried decisions, recovery.
#include <doctest/doctest.h>

#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;

namespace models_strong_2pc_test {

namespace {

bool is_ok(const RecordedReply* r) { return r && r->reply.outcome == Reply::Outcome::Ok; }
bool is_fail(const RecordedReply* r) { return r && r->reply.outcome == Reply::Outcome::Fail; }

}  // namespace

TEST_CASE("strong-2pc: a write commits only after every replica votes yes") {
  FakeCluster c("strong-2pc", 3);
  auto op = c.write(0, 7, 100);
  CHECK(c.count(of_type("prepare")) == 2);
  c.deliver(of_type("prepare"));
  c.deliver(both(of_type("vote"), from_node(1)));
  CHECK(c.reply_to(op) == nullptr);  // n3 has not voted yet
  CHECK(c.applies.empty());
  c.deliver(both(of_type("vote"), from_node(2)));
  REQUIRE(is_ok(c.reply_to(op)));
  CHECK(c.visible(0, 7) == 100);
  CHECK(c.count(of_type("commit")) == 2);
  c.deliver_all();
  CHECK(c.visible(1, 7) == 100);
  CHECK(c.visible(2, 7) == 100);
  for (NodeId n = 0; n < 3; ++n) CHECK(c.timers_of(n) == 0);
}

TEST_CASE("strong-2pc: a replica that holds a prepared write refuses another prepare for the key") {
  FakeCluster c("strong-2pc", 3);
  auto first = c.write(0, 7, 100);
  c.deliver(both(of_type("prepare"), to_node(2)));  // n3 now holds txn n1.1 in doubt
  auto second = c.write(1, 7, 200);                 // n2 coordinates, votes yes itself
  c.deliver(both(of_type("prepare"), both(from_node(1), to_node(2))));
  c.deliver(both(of_type("vote"), both(from_node(2), to_node(1))));
  REQUIRE(is_fail(c.reply_to(second)));
  CHECK(c.reply_to(second)->reply.reason == "prepare refused by n3 (key held by txn n1.1)");
  c.deliver_all();  // n2 released its own prepare on abort, so the first write commits
  CHECK(is_ok(c.reply_to(first)));
  for (NodeId n = 0; n < 3; ++n) {
    CHECK(c.visible(n, 7) == 100);
    CHECK_FALSE(c.ever_applied(n, 7, 200));
  }
}

TEST_CASE(
    "strong-2pc: a coordinator that times out waiting for a vote aborts and the client is told the "
    "write failed") {
  FakeCluster c("strong-2pc", 3, {{"prepare_timeout", "40ms"}});
  auto op = c.write(0, 7, 100);
  c.drop(both(of_type("prepare"), to_node(2)));
  c.deliver(of_type("prepare"));
  c.deliver(of_type("vote"));
  c.advance(39 * kMillisecond);
  CHECK(c.reply_to(op) == nullptr);
  c.advance(1 * kMillisecond);
  REQUIRE(is_fail(c.reply_to(op)));
  CHECK(c.reply_to(op)->reply.reason == "no vote from n3 within 40ms");
  CHECK(c.count(of_type("abort")) == 2);
  c.deliver_all();
  CHECK(c.applies.empty());
  // n2 had prepared and is released by the abort.
  auto resolved = c.notes_named("resolved");
  REQUIRE(resolved.size() == 2);  // n1 (itself) and n2
  CHECK(resolved[1].node == 1);
  CHECK(resolved[1].detail.find("aborted") != std::string::npos);
}

TEST_CASE("strong-2pc: a read waits while the key is in doubt") {
  FakeCluster c("strong-2pc", 3);
  c.write(0, 7, 100);
  c.deliver(of_type("prepare"));
  auto read = c.read(1, 7);
  CHECK(c.reply_to(read) == nullptr);  // n2 voted yes and awaits the decision
  auto other_key = c.read(1, 8);
  CHECK(is_ok(c.reply_to(other_key)));  // keys not in doubt are served at once
  c.advance(3 * kMillisecond);
  c.deliver_all();
  REQUIRE(is_ok(c.reply_to(read)));
  CHECK(c.reply_to(read)->reply.value == 100);
  CHECK(c.reply_to(read)->time == 3 * kMillisecond);
}

TEST_CASE("strong-2pc: a read of a key in doubt fails after read_wait_timeout") {
  FakeCluster c("strong-2pc", 3, {{"read_wait_timeout", "20ms"}});
  c.write(0, 7, 100);
  c.deliver(of_type("prepare"));
  auto read = c.read(1, 7);
  c.advance(20 * kMillisecond);
  REQUIRE(is_fail(c.reply_to(read)));
  CHECK(c.reply_to(read)->reply.reason == "in doubt: key 7 awaits the decision on txn n1.1");
}

TEST_CASE("strong-2pc: the trace shows how long a replica was in doubt") {
  FakeCluster c("strong-2pc", 3);
  c.write(0, 7, 100);
  c.deliver(of_type("prepare"));
  c.deliver(of_type("vote"));
  c.advance(5 * kMillisecond);
  c.deliver(both(of_type("commit"), to_node(1)));
  auto in_doubt = c.notes_named("in-doubt");
  REQUIRE(in_doubt.size() == 3);
  CHECK(in_doubt[1].detail == "txn n1.1 key 7");
  auto resolved = c.notes_named("resolved");
  REQUIRE(resolved.size() == 2);  // n1 at once, n2 after 5ms
  CHECK(resolved[0].detail == "txn n1.1 key 7 committed after 0s in doubt");
  CHECK(resolved[1].detail == "txn n1.1 key 7 committed after 5ms in doubt");
  CHECK(resolved[0].lasted == 0);
  CHECK(resolved[1].lasted == 5 * kMillisecond);
}

TEST_CASE("strong-2pc: a lost commit is resent with backoff until acknowledged") {
  FakeCluster c("strong-2pc", 2, {{"retry_initial", "10ms"}, {"retry_max", "15ms"}});
  c.write(0, 7, 100);
  c.deliver(of_type("prepare"));
  c.deliver(of_type("vote"));
  CHECK(c.drop(of_type("commit")) == 1);
  c.advance(10 * kMillisecond);
  CHECK(c.drop(of_type("commit")) == 1);
  c.advance(15 * kMillisecond);
  CHECK(c.count(of_type("commit")) == 1);
  CHECK(c.in_flight.front().time == 25 * kMillisecond);
  c.deliver_all();
  CHECK(c.visible(1, 7) == 100);
  CHECK(c.timers_of(0) == 0);
}

TEST_CASE(
    "strong-2pc: a coordinator that crashes after deciding resends the decision on recovery") {
  FakeCluster c("strong-2pc", 3);
  auto op = c.write(0, 7, 100);
  c.deliver(of_type("prepare"));
  c.deliver(of_type("vote"));
  REQUIRE(is_ok(c.reply_to(op)));
  c.crash(0);
  c.drop(of_type("commit"));  // lost with the crash
  c.advance(10 * kSecond);
  CHECK(c.visible(1, 7) == std::nullopt);  // n2 and n3 remain in doubt
  c.recover(0);
  CHECK(c.count(of_type("commit")) == 2);
  c.deliver_all();
  CHECK(c.visible(1, 7) == 100);
  CHECK(c.visible(2, 7) == 100);
}

TEST_CASE("strong-2pc: a coordinator that crashes before deciding aborts on recovery") {
  FakeCluster c("strong-2pc", 3);
  auto op = c.write(0, 7, 100);
  c.deliver(of_type("prepare"));
  c.crash(0);
  c.drop(of_type("vote"));
  c.recover(0);
  CHECK(c.reply_to(op) == nullptr);  // the client's request died with the coordinator
  CHECK(c.count(of_type("abort")) == 2);
  c.deliver_all();
  CHECK(c.applies.empty());
  CHECK(c.notes_named("resolved").size() == 3);
  auto read = c.read(1, 7);  // no longer in doubt
  CHECK(is_ok(c.reply_to(read)));
}

TEST_CASE("strong-2pc: a prepare duplicated after the commit does not put the key back in doubt") {
  FakeCluster c("strong-2pc", 2);
  c.write(0, 7, 100);
  SentMessage prepare = c.in_flight.front();
  c.deliver_all();
  c.in_flight.push_back(prepare);  // the network delivers a late copy
  c.deliver_all();
  CHECK(c.notes_named("in-doubt").size() == 2);
  auto read = c.read(1, 7);
  REQUIRE(is_ok(c.reply_to(read)));
  CHECK(c.reply_to(read)->reply.value == 100);
}

TEST_CASE("strong-2pc: writes fail while any replica is cut off") {
  FakeCluster c("strong-2pc", 3);
  auto op = c.write(0, 7, 100);
  c.drop(to_node(2));
  c.deliver_all();
  c.advance(100 * kMillisecond);
  CHECK(is_fail(c.reply_to(op)));
  c.drop(to_node(2));
  c.deliver_all();
  CHECK(c.visible(0, 7) == std::nullopt);
  CHECK(c.visible(1, 7) == std::nullopt);
}

TEST_CASE("strong-2pc: parameters are strict and the defaults are the documented ones") {
  CHECK(
      parse_error("strong-2pc", {{"prepare_timout", "10ms"}}) ==
      "demo.json: $.model.params.prepare_timout: unknown key \"prepare_timout\"; allowed keys "
      "here: prepare_timeout, read_wait_timeout, retry_initial, retry_max, cooperative_termination "
      "or termination_timeout");
  CHECK(parse_error("strong-2pc", {{"prepare_timeout", "0ms"}}) ==
        "demo.json: $.model.params.prepare_timeout: must be a positive duration, e.g. \"10ms\"");
  CHECK(parse_error("strong-2pc", {{"read_wait_timeout", 5}})
            .starts_with(
                "demo.json: $.model.params.read_wait_timeout: expected a duration with a unit"));
  CHECK(defaults_of("strong-2pc") == nlohmann::json{{"prepare_timeout", "100ms"},
                                                    {"read_wait_timeout", "500ms"},
                                                    {"retry_initial", "50ms"},
                                                    {"retry_max", "2s"}});
}

TEST_CASE("strong-2pc: message types and sizes are as documented in docs/models.md") {
  CHECK(message_sizes("strong-2pc") ==
        std::map<std::string, std::size_t>{
            {"prepare", 44}, {"vote", 41}, {"commit", 37}, {"decision-ack", 28}});
}

}  // namespace models_strong_2pc_test
