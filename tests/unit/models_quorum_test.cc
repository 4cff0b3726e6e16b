// Stories of the quorum model on a hand-driven cluster: strict parameters,
// echoed defaults, message sizes, the ring, write and read quorums, timeouts
// that end in an unknown outcome, read repair (async and blocking), quorum-
// read versions against clock skew, random replica choice, and the sloppy
// quorum with hinted handoff.
#include <doctest/doctest.h>

#include <algorithm>
#include <set>

#include "models/quorum_parts.h"
#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;
using nlohmann::json;

namespace models_quorum_test {

namespace {

Reply::Outcome outcome(const FakeCluster& c, std::uint64_t op) {
  REQUIRE(c.reply_to(op) != nullptr);
  return c.reply_to(op)->reply.outcome;
}

// The preference list of `key` on nodes n1..n<nodes>.
std::vector<NodeId> walk(std::size_t nodes, Key key) {
  quorum::Ring ring(scenario_of(nodes).node_names, 8);
  return ring.walk(key);
}

}  // namespace

TEST_CASE("quorum: n, r and w are checked against the node count, with the JSON path") {
  CHECK(parse_error("quorum", {{"n", 4}}) ==
        "demo.json: $.model.params.n: must be from 1 to 3 (the scenario has 3 nodes), got 4");
  CHECK(parse_error("quorum", {{"n", 2}, {"r", 3}}) ==
        "demo.json: $.model.params.r: must be from 1 to 2 (at most n = 2), got 3");
  CHECK(parse_error("quorum", {{"w", 0}}) ==
        "demo.json: $.model.params.w: must be from 1 to 3 (at most n = 3), got 0");
  CHECK(parse_error("quorum", {{"w", "2"}})
            .starts_with("demo.json: $.model.params.w: expected a whole number"));
  CHECK(parse_error("quorum", {{"read_repair", "sync"}}) ==
        "demo.json: $.model.params.read_repair: unknown read_repair \"sync\"; valid: off, async "
        "or blocking");
  CHECK(parse_error("quorum", {{"sloppy", true}, {"replica_choice", "random"}})
            .starts_with("demo.json: $.model.params.sloppy: a sloppy quorum replaces preferred "
                         "replicas"));
  CHECK(parse_error("quorum", {{"suspect_timeout", "100ms"}}) ==
        "demo.json: $.model.params.suspect_timeout: suspect_timeout (100ms) must be shorter than "
        "request_timeout (100ms)");
  CHECK(parse_error("quorum", {{"conflict", "crdt"}})
            .starts_with("demo.json: $.model.params.conflict: unknown"));
}

TEST_CASE("quorum: defaults are n = every node, a majority for r and w, no read repair") {
  CHECK(defaults_of("quorum") == json{{"n", 3},
                                      {"r", 2},
                                      {"w", 2},
                                      {"read_targets", "all"},
                                      {"versions", "clock"},
                                      {"read_repair", "off"},
                                      {"replica_choice", "preferred"},
                                      {"sloppy", false},
                                      {"request_timeout", "100ms"},
                                      {"suspect_timeout", "20ms"},
                                      {"virtual_nodes", 8},
                                      {"retry_initial", "50ms"},
                                      {"retry_max", "1s"},
                                      {"conflict", "lww"},
                                      {"anti_entropy", "off"}});
}

TEST_CASE("quorum: message sizes") {
  // A write: envelope 16, op 8, key 8, hint 4, an lww version (value 8,
  // dot 12, stamp 16).
  CHECK(message_sizes("quorum") ==
        std::map<std::string, std::size_t>{{"read", 32}, {"write", 72}, {"write-ack", 24}});
  // A read reply: envelope 16, op 8 and the version.
  FakeCluster c("quorum", 3);
  c.write(0, 1, 5);
  c.deliver_all();
  c.read(0, 1);
  c.deliver(of_type("read"));
  CHECK(c.in_flight.front().payload->size_bytes() == 60);
  CHECK(c.in_flight.front().payload->trace_vv() == nullptr);  // lww: no vector
}

TEST_CASE("quorum: the ring gives each key every node once, the same way every time") {
  std::map<NodeId, int> first;
  for (Key k = 0; k < 200; ++k) {
    auto w = walk(5, k);
    REQUIRE(w.size() == 5);
    CHECK(std::set<NodeId>(w.begin(), w.end()).size() == 5);
    CHECK(w == walk(5, k));
    ++first[w.front()];
  }
  CHECK(first.size() == 5);  // every node leads some keys
  for (const auto& [node, count] : first) CHECK(count >= 10);
}

TEST_CASE("quorum: a write is acknowledged after w acks, before the last replica has it") {
  FakeCluster c("quorum", 3, {{"w", 2}, {"r", 2}});
  auto op = c.write(0, 1, 10);
  CHECK(c.count(of_type("write")) == 3);
  c.deliver(both(of_type("write"), [](const SentMessage& m) { return m.to != 2; }));
  c.deliver(of_type("write-ack"));
  CHECK(outcome(c, op) == Reply::Outcome::Ok);
  CHECK(c.visible(0, 1) == 10);
  CHECK(c.visible(1, 1) == 10);
  CHECK(c.visible(2, 1) == std::nullopt);  // its write is still in flight
  c.deliver_all();
  CHECK(c.visible(2, 1) == 10);
  CHECK(c.timers_of(0) == 0);  // the request timeout is cancelled
}

TEST_CASE(
    "quorum: with r + w <= n a read can miss an acknowledged write; with r + w > n it cannot") {
  // R=W=1: the write reaches only its coordinator n1; a read at n2 answered
  // by n2's own copy returns nothing.
  FakeCluster partial("quorum", 3, {{"r", 1}, {"w", 1}});
  auto w = partial.write(0, 1, 10);
  partial.deliver(both(of_type("write"), to_node(0)));
  partial.deliver(of_type("write-ack"));
  REQUIRE(outcome(partial, w) == Reply::Outcome::Ok);
  partial.drop(of_type("write"));
  auto r = partial.read(1, 1);
  partial.deliver(both(of_type("read"), to_node(1)));
  partial.deliver(of_type("read-reply"));
  CHECK(partial.reply_to(r)->reply.value == std::nullopt);  // stale
  // R=W=2: the write is on two replicas; any two replies include one.
  FakeCluster strict("quorum", 3);
  auto w2 = strict.write(0, 1, 10);
  strict.deliver(both(of_type("write"), [](const SentMessage& m) { return m.to != 2; }));
  strict.deliver(of_type("write-ack"));
  REQUIRE(outcome(strict, w2) == Reply::Outcome::Ok);
  strict.drop(of_type("write"));
  auto r2 = strict.read(2, 1);  // n3 has nothing; its own reply comes first
  strict.deliver(both(of_type("read"), to_node(2)));
  strict.deliver(of_type("read-reply"));
  CHECK(strict.reply_to(r2) == nullptr);  // one reply of two
  strict.deliver_all();
  CHECK(strict.reply_to(r2)->reply.value == 10);
}

TEST_CASE(
    "quorum: a write short of w acks at request_timeout has an unknown outcome; a read fails") {
  FakeCluster c("quorum", 3);
  auto w = c.write(0, 1, 10);
  c.deliver(both(of_type("write"), to_node(0)));  // only its own replica
  c.drop(of_type("write"));
  c.deliver_all();
  c.advance(100 * kMillisecond);
  CHECK(outcome(c, w) == Reply::Outcome::Unknown);
  CHECK(c.reply_to(w)->reply.reason ==
        "write quorum not reached: 1 of 2 acks within 100ms; the write may have been applied");
  auto r = c.read(1, 1);
  c.drop(of_type("read"));
  c.advance(100 * kMillisecond);
  CHECK(outcome(c, r) == Reply::Outcome::Fail);
  CHECK(c.reply_to(r)->reply.reason == "read quorum not reached: 0 of 2 replies within 100ms");
}

TEST_CASE("quorum: async read repair answers first, then repairs every stale responder") {
  FakeCluster c("quorum", 3, {{"read_repair", "async"}});
  c.write(0, 1, 10);
  c.deliver(both(of_type("write"), [](const SentMessage& m) { return m.to != 2; }));
  c.drop(of_type("write"));
  c.deliver_all();
  auto r = c.read(2, 1);
  c.deliver(of_type("read"));
  c.deliver(both(of_type("read-reply"), from_node(2)));
  c.deliver(both(of_type("read-reply"), from_node(0)));
  CHECK(c.reply_to(r)->reply.value == 10);  // answered on the second reply
  CHECK(c.count(of_type("read-repair")) == 1);
  CHECK(c.notes_named("read-repair").size() == 1);
  c.deliver_all();
  CHECK(c.visible(2, 1) == 10);
  CHECK(c.count(of_type("read-repair")) == 0);  // n2 was up to date: no repair
}

TEST_CASE("quorum: blocking read repair answers only once w replicas hold the value read") {
  FakeCluster c("quorum", 3, {{"read_repair", "blocking"}});
  c.write(0, 1, 10);
  c.deliver(both(of_type("write"), to_node(0)));  // only n1 has it
  c.drop(of_type("write"));
  c.deliver_all();
  auto r = c.read(2, 1);
  c.deliver(of_type("read"));
  c.deliver(both(of_type("read-reply"), from_node(2)));
  c.deliver(both(of_type("read-reply"), from_node(0)));
  CHECK(c.reply_to(r) == nullptr);              // n1 alone holds 10: repair first
  CHECK(c.count(of_type("read-repair")) == 2);  // to n2 and n3
  c.deliver(both(of_type("read-repair"), to_node(1)));
  c.deliver(of_type("read-repair-ack"));
  REQUIRE(c.reply_to(r) != nullptr);
  CHECK(c.reply_to(r)->reply.value == 10);
  CHECK(c.visible(1, 1) == 10);
}

// Registers and sets share the coordinator (models/quorum_coordinator.h);
// their reasons differ only in the words for what is written and held.
TEST_CASE(
    "quorum: writes short of w acks and blocking read repairs short of w holders end "
    "unknown, for registers and for sets") {
  ModelScenario sets = scenario_of(3);
  sets.workload = WorkloadType::Set;
  for (bool set : {false, true}) {
    CAPTURE(set);
    const json params = {{"read_repair", "blocking"}};
    FakeCluster c = set ? FakeCluster("quorum", sets, params) : FakeCluster("quorum", 3, params);
    auto w = set ? c.update(0, OpType::Add, 1, 5) : c.write(0, 1, 5);
    c.deliver(both(of_type("write"), to_node(0)));  // only n1 holds it
    c.drop(of_type("write"));
    c.deliver_all();
    c.advance(100 * kMillisecond);
    CHECK(outcome(c, w) == Reply::Outcome::Unknown);
    CHECK(c.reply_to(w)->reply.reason ==
          std::string("write quorum not reached: 1 of 2 acks within 100ms; the ") +
              (set ? "update" : "write") + " may have been applied");
    auto r = c.read(2, 1);
    c.deliver(both(of_type("read"), [](const SentMessage& m) { return m.to != 1; }));
    c.drop(of_type("read"));
    c.deliver(both(of_type("read-reply"), from_node(2)));
    c.deliver(both(of_type("read-reply"), from_node(0)));
    CHECK(c.count(of_type("read-repair")) == 2);  // to n2 and n3; n1 alone holds it
    c.drop(of_type("read-repair"));
    c.advance(100 * kMillisecond);
    CHECK(outcome(c, r) == Reply::Outcome::Unknown);
    CHECK(c.reply_to(r)->reply.reason ==
          std::string("read repair not confirmed: 1 of 2 replicas hold the ") +
              (set ? "state" : "value") + " read within 100ms");
  }
}

TEST_CASE(
    "quorum: clock versions let a node whose clock is behind lose its newer write; "
    "quorum-read versions do not") {
  for (const char* versions : {"clock", "quorum-read"}) {
    CAPTURE(versions);
    FakeCluster c("quorum", 3, {{"versions", versions}});
    c.context(1).clock_offset = -1 * kSecond;
    c.advance(5 * kSecond);
    c.write(0, 1, 10);
    c.deliver_all();
    c.write(1, 1, 11);  // later in real time, earlier on n2's clock
    c.deliver_all();
    auto r = c.read(2, 1);
    c.deliver_all();
    CHECK(c.reply_to(r)->reply.value == (versions == std::string("clock") ? 10 : 11));
  }
}

TEST_CASE("quorum: replica_choice random sends a write to w replicas and a read to r") {
  FakeCluster c("quorum", 5, {{"n", 5}, {"w", 2}, {"r", 3}, {"replica_choice", "random"}});
  std::map<NodeId, int> chosen;
  for (int i = 0; i < 200; ++i) {
    auto w = c.write(0, 1, 100 + i);
    CHECK(c.count(of_type("write")) == 2);
    for (const auto& m : c.in_flight) chosen[m.to]++;
    c.deliver_all();
    CHECK(outcome(c, w) == Reply::Outcome::Ok);
    c.read(0, 1);
    CHECK(c.count(of_type("read")) == 3);
    c.deliver_all();
  }
  CHECK(chosen.size() == 5);  // uniform over the five: each near 80 of 400
  for (const auto& [node, n] : chosen) CHECK((n > 50 && n < 110));
}

TEST_CASE(
    "quorum: a sloppy quorum writes past an unreachable owner with a hint, handed off later") {
  FakeCluster c("quorum", 5,
                {{"n", 3}, {"w", 3}, {"r", 1}, {"sloppy", true}, {"suspect_timeout", "20ms"}});
  Key key = 7;
  auto order = walk(5, key);
  NodeId owner = order[2], coordinator = order[0], substitute = order[3];
  auto cut = [owner](const SentMessage& m) { return m.to == owner || m.from == owner; };
  auto w = c.write(coordinator, key, 10);
  c.drop(cut);
  c.deliver_all();
  CHECK(c.reply_to(w) == nullptr);  // two acks of three
  c.advance(20 * kMillisecond);     // the owner is suspected: the write goes past it
  REQUIRE(c.count(of_type("write")) == 1);
  CHECK(c.in_flight.front().to == substitute);
  c.deliver(of_type("write"));
  c.drop(cut);  // the hint's first try
  c.deliver(of_type("write-ack"));
  CHECK(outcome(c, w) == Reply::Outcome::Ok);
  CHECK(c.visible(substitute, key) == std::nullopt);  // a hint is not a replica's value
  // The hint goes to the owner until it acknowledges it.
  for (int i = 0; i < 3; ++i) {
    c.advance(60 * kMillisecond);
    c.drop(cut);
  }
  CHECK(c.visible(owner, key) == std::nullopt);
  c.advance(1 * kSecond);
  c.deliver_all();
  CHECK(c.visible(owner, key) == 10);
  REQUIRE(c.notes_named("hinted-handoff").size() == 1);
  CHECK(c.notes_named("hinted-handoff")[0].node == substitute);
  // Known suspected now: the next write goes past the owner at once.
  auto w2 = c.write(coordinator, key, 11);
  CHECK(c.count(of_type("write")) == 4);
  c.deliver_all();
  CHECK(outcome(c, w2) == Reply::Outcome::Ok);
}

TEST_CASE(
    "quorum: with version-vectors or mv-register concurrent writes stay siblings; a write with "
    "the read's context merges them") {
  for (const char* strategy : {"version-vectors", "mv-register"}) {
    CAPTURE(std::string(strategy));
    FakeCluster c("quorum", 3, {{"conflict", strategy}});
    auto a = c.write(0, 1, 10);  // two clients, neither has read the key
    auto b = c.write(1, 1, 20);
    c.deliver_all();
    REQUIRE(outcome(c, a) == Reply::Outcome::Ok);
    REQUIRE(outcome(c, b) == Reply::Outcome::Ok);
    auto r = c.read(2, 1);
    c.deliver_all();
    const Reply& read = c.reply_to(r)->reply;
    CHECK(read.siblings == std::vector<Value>{10, 20});
    CHECK(read.context == VersionVector{{0, 1}, {1, 1}});
    auto merge = c.write(2, 1, 30, read.session);  // carries the read's context
    // The write's send line shows its vector: both siblings' dots and its own.
    const VersionVector* vv = c.in_flight.front().payload->trace_vv();
    REQUIRE(vv != nullptr);
    CHECK(*vv == VersionVector{{0, 1}, {1, 1}, {2, 1}});
    c.deliver_all();
    REQUIRE(outcome(c, merge) == Reply::Outcome::Ok);
    auto again = c.read(0, 1);
    c.deliver_all();
    CHECK(c.reply_to(again)->reply.value == 30);
    CHECK(c.reply_to(again)->reply.siblings.empty());
    for (NodeId n = 0; n < 3; ++n) CHECK(c.visible(n, 1) == 30);
  }
}

}  // namespace models_quorum_test
