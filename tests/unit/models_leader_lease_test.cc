// Stories of the leader-lease model on a hand-driven cluster: n1 is the
// coordination group (a Raft group of one), n2 and n3 the applications, n4
// the storage. Time moves a millisecond at a time and every message is
// delivered at once, except those a story holds back (a message delayed in
// the network is the same hazard as a paused sender).
#include <doctest/doctest.h>

#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;

namespace models_leader_lease_test {

namespace {

nlohmann::json params(bool fencing) {
  return {{"coordination", {"n1"}},
          {"apps", {"n2", "n3"}},
          {"storage", "n4"},
          {"lease", "1s"},
          {"fencing_tokens", fencing}};
}

// Advance `dt`, a millisecond at a time, delivering every message in flight
// except those `held` matches (they stay in flight).
void run(FakeCluster& c, Time dt, const FakeCluster::Filter& held = nullptr) {
  auto free = [&](const SentMessage& m) { return !held || !held(m); };
  for (Time t = 0; t < dt; t += kMillisecond) {
    while (c.count(free) > 0) c.deliver(free);
    c.advance(kMillisecond);
  }
  while (c.count(free) > 0) c.deliver(free);
}

// The application that announced itself leader last, and its token.
std::pair<NodeId, std::uint64_t> last_leader(const FakeCluster& c) {
  for (auto it = c.roles.rbegin(); it != c.roles.rend(); ++it)
    if (it->role == "leader") return {it->node, it->term};
  FAIL("no leader role line");
  return {0, 0};
}

bool is_ok(const RecordedReply* r) { return r && r->reply.outcome == Reply::Outcome::Ok; }

}  // namespace

TEST_CASE(
    "leader-lease: one application holds the lease, its token is the grant's log index, and the "
    "other redirects clients to it") {
  FakeCluster c("leader-lease", 4, params(true));
  run(c, 1 * kSecond);
  auto [holder, token] = last_leader(c);
  CHECK((holder == 1 || holder == 2));
  CHECK(token >= 2);  // index 1 is the Raft leader's no-op
  NodeId other = holder == 1 ? 2 : 1;
  auto op = c.read(other, 7);
  REQUIRE(c.reply_to(op) != nullptr);
  CHECK(c.reply_to(op)->reply.outcome == Reply::Outcome::Redirect);
  CHECK(c.reply_to(op)->reply.leader_hint == holder);
  auto w = c.write(holder, 7, 100);
  run(c, 20 * kMillisecond);
  REQUIRE(is_ok(c.reply_to(w)));
  CHECK(c.visible(3, 7) == 100);
  auto r = c.read(holder, 7);
  run(c, 5 * kMillisecond);
  REQUIRE(is_ok(c.reply_to(r)));
  CHECK(c.reply_to(r)->reply.value == 100);
}

namespace {

// The holder starts a write and its store is held back in the network; the
// holder, cut off from the group, loses its lease; the other application
// gets the lease with a larger token and writes; then the held store
// arrives. Returns (old holder's write op, new holder's write op).
std::pair<std::uint64_t, std::uint64_t> delayed_store(FakeCluster& c) {
  run(c, 1 * kSecond);
  auto [old_holder, old_token] = last_leader(c);
  NodeId next = old_holder == 1 ? 2 : 1;
  auto stale = c.write(old_holder, 7, 100);
  auto from_old = [old = old_holder](const SentMessage& m) {
    return m.from == old && (m.type() == "doc-store" || m.type() == "lease-request");
  };
  run(c, 2 * kSecond, from_old);  // the lease runs out; `next` takes over
  auto [new_holder, new_token] = last_leader(c);
  REQUIRE(new_holder == next);
  CHECK(new_token > old_token);
  auto fresh = c.write(next, 7, 200);
  run(c, 20 * kMillisecond, from_old);
  REQUIRE(is_ok(c.reply_to(fresh)));
  CHECK(c.visible(3, 7) == 200);
  c.deliver(both(of_type("doc-store"), from_node(old_holder)));
  run(c, 5 * kMillisecond, from_old);
  return {stale, fresh};
}

}  // namespace

TEST_CASE("leader-lease with fencing tokens: the storage refuses a store with an older token") {
  FakeCluster c("leader-lease", 4, params(true));
  auto [stale, fresh] = delayed_store(c);
  CHECK(c.visible(3, 7) == 200);
  // The old holder gave up on its store after half a lease without an answer
  // (its client times out: outcome unknown), and the store then arrived.
  CHECK(c.reply_to(stale) == nullptr);
  CHECK(c.notes_named("storage-timeout").size() == 1);
  REQUIRE(c.notes_named("fenced").size() == 1);
  CHECK(c.notes_named("fenced")[0].node == 3);
}

TEST_CASE("leader-lease without fencing tokens: the old holder's store overwrites the new one's") {
  FakeCluster c("leader-lease", 4, params(false));
  auto [stale, fresh] = delayed_store(c);
  CHECK(c.visible(3, 7) == 100);  // the acknowledged 200 is gone
  CHECK(c.reply_to(stale) == nullptr);
  CHECK(c.notes_named("stale-token").size() == 1);
  CHECK(c.notes_named("fenced").empty());
}

TEST_CASE("leader-lease: parameters are strict, node lists are checked at load") {
  CHECK(parse_error("leader-lease", {{"apps", {"n2", "n9"}}}) ==
        "demo.json: $.model.params.apps[1]: unknown node \"n9\"; nodes: n1, n2 or n3");
  CHECK(parse_error("leader-lease", {{"coordination", {"n1", "n1"}}}) ==
        "demo.json: $.model.params.coordination[1]: node \"n1\" is listed twice");
  CHECK(parse_error("leader-lease", {{"apps", nlohmann::json::array()}}) ==
        "demo.json: $.model.params.apps: must name at least one node");
  CHECK(parse_error("leader-lease", {{"storage", "n7"}}) ==
        "demo.json: $.model.params.storage: unknown node \"n7\"; nodes: n1, n2 or n3");
  CHECK(parse_error("leader-lease", {{"renew_interval", "500ms"}}) ==
        "demo.json: $.model.params.renew_interval: renew_interval (500ms) must be less than half "
        "the lease (1s)");
  CHECK(parse_error("leader-lease", {{"fencing_tokens", 1}})
            .starts_with("demo.json: $.model.params.fencing_tokens: expected"));
  nlohmann::json d = defaults_of("leader-lease");
  CHECK(d["coordination"] == nlohmann::json{"n1", "n2", "n3"});
  CHECK(d["apps"] == nlohmann::json{"n1", "n2", "n3"});
  CHECK(d["storage"] == "n3");
  CHECK(d["lease"] == "1s");
  CHECK(d["renew_interval"] == "250ms");
  CHECK(d["processing_time"] == "5ms");
  CHECK(d["fencing_tokens"] == true);
}

TEST_CASE("leader-lease: message types and sizes are as documented in docs/models.md") {
  FakeCluster c("leader-lease", 4, params(true));
  run(c, 1 * kSecond);
  auto [holder, token] = last_leader(c);
  c.write(holder, 7, 100);
  c.write(holder, 8, 101);
  run(c, 40 * kMillisecond);
  c.read(holder == 1 ? 2 : 1, 7);  // a redirect, no message
  std::map<std::string, std::size_t> sizes;
  for (const auto& m : c.sent) {
    if (m.type() == "doc" || m.type() == "doc-store") continue;  // sized by the document
    sizes[std::string(m.type())] = m.payload->size_bytes();
  }
  CHECK(sizes["lease-request"] == 36);
  CHECK(sizes["lease-grant"] == 36);
  CHECK(sizes["lease-busy"] == 28);
  CHECK(sizes["doc-read"] == 24);
  CHECK(sizes["store-ack"] == 33);
  std::size_t doc = 0, store = 0;
  for (const auto& m : c.sent) {
    if (m.type() == "doc") doc = std::max(doc, m.payload->size_bytes());
    if (m.type() == "doc-store") store = std::max(store, m.payload->size_bytes());
  }
  CHECK(doc == 24 + 16 * 1);    // the last document read held key 7 only
  CHECK(store == 36 + 16 * 2);  // the last store held keys 7 and 8
}

TEST_CASE(
    "leader-lease with fencing tokens: a holder whose clock jumped back writes after its lease and "
    "is refused, and its client is told") {
  FakeCluster c("leader-lease", 4, params(true));
  run(c, 1 * kSecond);
  auto [old_holder, old_token] = last_leader(c);
  c.context(old_holder).clock_offset = -2 * kSecond;  // its lease now seems to last 2 s more
  auto renewals = [old = old_holder](const SentMessage& m) {
    return m.from == old && m.type() == "lease-request";
  };
  run(c, 1500 * kMillisecond, renewals);  // the group hears no renewal and grants the other app
  auto [new_holder, new_token] = last_leader(c);
  REQUIRE(new_holder != old_holder);
  // The storage learns the new token from the new holder's first store;
  // until then an older token is the newest it knows.
  auto first = c.write(new_holder, 8, 50);
  run(c, 20 * kMillisecond, renewals);
  REQUIRE(is_ok(c.reply_to(first)));
  auto w = c.write(old_holder, 7, 100);  // the old holder still believes it leads
  run(c, 20 * kMillisecond, renewals);
  REQUIRE(c.reply_to(w) != nullptr);
  CHECK(c.reply_to(w)->reply.outcome == Reply::Outcome::Fail);
  CHECK(c.reply_to(w)->reply.reason == "fenced: the storage has seen token " +
                                           std::to_string(new_token) + ", this write carried " +
                                           std::to_string(old_token));
  CHECK(c.visible(3, 7) == std::nullopt);
  CHECK(c.roles.back().node == old_holder);  // it stepped down
  CHECK(c.roles.back().role == "follower");
}

}  // namespace models_leader_lease_test
