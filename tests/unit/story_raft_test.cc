// Stories of the raft model: elections, replication by majority, the
// minority side of a partition, stale leaders, crash durability, redirects,
// leases under clock drift, and liveness after the last fault. Hand-driven
// clusters (raft_support.h) where the order of messages matters; whole runs
// of the simulator with the checkers where the history does.
#include <doctest/doctest.h>

#include "analysis/report/analyze.h"
#include "models/raft_messages.h"
#include "story_support.h"
#include "tests/unit/raft_support.h"
#include "tests/unit/test_scale.h"

using namespace consim;
using namespace consim::testing;
using consim::test::base_scenario;
using consim::test::of_type;
using nlohmann::json;

namespace story_raft_test {

namespace {

Reply::Outcome outcome(const FakeCluster& c, std::uint64_t op) {
  REQUIRE(c.last_reply_to(op) != nullptr);
  return c.last_reply_to(op)->reply.outcome;
}

json run_and_analyze(const json& doc, const std::string& tag) {
  Scenario s = parse_scenario(doc, tag + ".json", model_registry());
  auto path = consim::test::temp_trace_path(tag);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  json report = analyze_trace(path.string());
  report["trace_lines"] = consim::test::parse_lines(consim::test::read_file(path));
  std::filesystem::remove(path);
  return report;
}

json scenario_file(const std::string& name) {
  std::ifstream in(std::string(CONSIM_SOURCE_DIR) + "/scenarios/" + name);
  return json::parse(in);
}

}  // namespace

TEST_CASE("raft: a leader is elected and every acknowledged write reaches every node") {
  FakeCluster c("raft", 3);
  NodeId leader = elect(c);
  CHECK(last_role(c, leader)->term == 1);
  auto w = c.write(leader, 1, 10);
  run_for(c, 2 * kMillisecond);
  CHECK(outcome(c, w) == Reply::Outcome::Ok);
  run_for(c, 100 * kMillisecond);  // the next heartbeat carries the commit index
  for (NodeId n = 0; n < 3; ++n) CHECK(c.visible(n, 1) == 10);
  CHECK(one_leader_per_term(c));
}

TEST_CASE(
    "raft: the minority side cannot commit; the majority elects a leader and stays writable") {
  FakeCluster c("raft", 5);
  NodeId old = elect(c);
  std::uint64_t old_term = last_role(c, old)->term;
  std::set<NodeId> minority{old, static_cast<NodeId>((old + 1) % 5)};
  std::set<NodeId> majority;
  for (NodeId n = 0; n < 5; ++n)
    if (!minority.contains(n)) majority.insert(n);
  auto stuck = c.write(old, 1, 10);  // reaches only the minority
  run_for(c, 1 * kSecond, minority);
  CHECK(c.last_reply_to(stuck) == nullptr);  // not committed, not refused
  for (NodeId n = 0; n < 5; ++n) CHECK(c.visible(n, 1) == std::nullopt);
  NodeId fresh = elect(c, minority, majority);
  CHECK(last_role(c, fresh)->term > old_term);
  auto w = c.write(fresh, 1, 20);
  run_for(c, 5 * kMillisecond, minority);
  CHECK(outcome(c, w) == Reply::Outcome::Ok);
  // Heal: the old leader's entry is replaced; its client learns it failed
  // to commit (a redirect), and nothing acknowledged is lost.
  run_for(c, 1 * kSecond);
  CHECK(outcome(c, stuck) == Reply::Outcome::Redirect);
  for (NodeId n = 0; n < 5; ++n) CHECK(c.visible(n, 1) == 20);
  CHECK(one_leader_per_term(c));
}

TEST_CASE("raft: a stale leader steps down as soon as it hears of a higher term") {
  // Check-quorum would depose it only after election_timeout_max (2 s);
  // the majority elects within it, and one heartbeat of the new term does it.
  FakeCluster c("raft", 3, {{"election_timeout_max", "2s"}});
  NodeId old = elect(c);
  NodeId fresh =
      elect(c, {old}, {static_cast<NodeId>((old + 1) % 3), static_cast<NodeId>((old + 2) % 3)});
  REQUIRE(last_role(c, old)->role == "leader");  // still believes it leads
  std::uint64_t new_term = last_role(c, fresh)->term;
  c.drop(any_message());
  while (c.count(both(from_node(fresh), to_node(old))) == 0) c.advance(1 * kMillisecond);
  c.deliver(both(from_node(fresh), to_node(old)));
  CHECK(last_role(c, old)->role == "follower");
  CHECK(last_role(c, old)->term == new_term);
  auto op = c.write(old, 1, 5);
  CHECK(c.reply_to(op)->reply.outcome == Reply::Outcome::Redirect);
  CHECK(c.reply_to(op)->reply.leader_hint == fresh);
}

TEST_CASE("raft: term, vote and log survive a crash, so a node never votes twice in a term") {
  FakeCluster c("raft", 3);
  auto request_vote = [&](NodeId from, NodeId to, std::uint64_t term) {
    auto rv = std::make_shared<raft::RequestVote>();
    rv->term = term;
    c.in_flight.push_back(SentMessage{from, to, rv, c.now()});
    c.deliver(both(of_type("request-vote"), to_node(to)));
    auto votes = c.sent;
    REQUIRE(votes.back().type() == "vote");
    return dynamic_cast<const raft::Vote&>(*votes.back().payload).granted;
  };
  CHECK(request_vote(0, 1, 1));  // n2 votes for n1 in term 1
  c.crash(1);
  c.recover(1);
  CHECK(last_role(c, 1)->term == 1);   // the term survived; announced on recovery
  CHECK_FALSE(request_vote(2, 1, 1));  // n3 asks for term 1: n2 remembers its vote
  CHECK(request_vote(2, 1, 2));        // a new term: a new vote

  // The log survives too; the commit index does not: a recovered follower
  // rebuilds its values from the log once the leader tells it what is committed.
  FakeCluster d("raft", 3);
  NodeId leader = elect(d);
  NodeId follower = (leader + 1) % 3;
  d.write(leader, 1, 10);
  run_for(d, 100 * kMillisecond);
  REQUIRE(d.visible(follower, 1) == 10);
  d.crash(follower);
  d.recover(follower);
  CHECK(d.visible(follower, 1) == std::nullopt);  // volatile state machine
  run_for(d, 100 * kMillisecond);
  CHECK(d.visible(follower, 1) == 10);
}

TEST_CASE("raft: a follower redirects clients to the leader, and the leader answers") {
  FakeCluster c("raft", 5);
  NodeId leader = elect(c);
  run_for(c, 100 * kMillisecond);  // every follower has heard from the leader
  for (NodeId n = 0; n < 5; ++n) {
    if (n == leader) continue;
    auto op = c.write(n, 1, 100 + n);
    REQUIRE(c.reply_to(op)->reply.outcome == Reply::Outcome::Redirect);
    CHECK(c.reply_to(op)->reply.leader_hint == leader);
    c.resend(leader, c.reply_to(op)->request);
    run_for(c, 5 * kMillisecond);
    CHECK(outcome(c, op) == Reply::Outcome::Ok);
  }
}

TEST_CASE(
    "raft: lease reads go stale once clock drift exceeds the lease margin; read-index reads stay "
    "linearizable") {
  // n2 leads, its clock runs 10% slow (the margin allows 1%), and it is
  // isolated from 5 s to 10 s: its lease outlives the next leader's election.
  json lease = scenario_file("raft-lease-drift.json");
  json read_index = scenario_file("raft-read-index-drift.json");
  for (json* doc : {&lease, &read_index}) {
    (*doc)["trace"]["level"] = "ops";  // the checker needs operations only
    if (consim::test::kReducedScale) {
      // Under ASan (tests/unit/test_scale.h) one client per node, not four,
      // and the run ends 1 s after the heal: a twelfth of the operations,
      // the same faults, the same verdicts.
      (*doc)["clients"]["count"] = 5;
      (*doc)["duration"] = "11s";
      (*doc)["workload"]["stop"] = "11s";
    }
  }
  CHECK(run_and_analyze(lease, "raft-lease")["checkers"]["linearizable"]["verdict"] == "invalid");
  CHECK(run_and_analyze(read_index, "raft-read-index")["checkers"]["linearizable"]["verdict"] ==
        "valid");
  // Drift within the margin (0.5% < 1%): the lease expires in time.
  lease["faults"][0]["drift_ppm"] = -5000;
  CHECK(run_and_analyze(lease, "raft-lease-small")["checkers"]["linearizable"]["verdict"] ==
        "valid");
}

TEST_CASE(
    "raft: after the last fault heals a leader is elected and a write succeeds within 2 s, for "
    "every seed") {
  json doc = scenario_file("raft-partition.json");  // heals at 12 s
  const double heal_ms = 12'000, bound_ms = 2'000;
  doc["trace"]["level"] = "state";  // lost writes need apply lines, not the network
  for (std::uint64_t seed = 1; seed <= static_cast<std::uint64_t>(consim::test::sweep(10)); ++seed) {
    CAPTURE(seed);
    doc["seed"] = seed;
    json report = run_and_analyze(doc, "raft-liveness");
    CHECK(report["lost_writes"]["count"] == 0);
    CHECK(report["checkers"]["linearizable"]["verdict"] == "valid");
    std::map<std::string, std::string> role;
    std::optional<double> first_write;
    std::set<std::uint64_t> writes_after;
    for (const auto& l : report["trace_lines"]) {
      if (!l.contains("time")) continue;  // the header
      double t = l["time"].get<double>() / 1e6;
      if (t > heal_ms + bound_ms) break;
      if (l["type"] == "role") role[l["node"]] = l["role"];
      if (l["type"] == "invoke" && l["f"] == "write" && t >= heal_ms)
        writes_after.insert(l["op"].get<std::uint64_t>());
      if (l["type"] == "ok" && writes_after.contains(l["op"].get<std::uint64_t>()) && !first_write)
        first_write = t;
    }
    bool leads = false;
    for (const auto& [node, r] : role) leads |= r == "leader";
    CHECK(leads);
    CHECK(first_write.has_value());
  }
}

TEST_CASE(
    "raft: a leader commits an earlier term's entry only through one of its own, never by "
    "counting replicas") {
  // n1 is driven by hand: n2 (leader of term 1) gives it one entry of term
  // 1; n1 then wins term 2 with n3's vote, and n3 reports holding entry 1.
  FakeCluster c("raft", 3);
  auto inject = [&](NodeId from, std::shared_ptr<Payload> p) {
    c.in_flight.push_back(SentMessage{from, 0, p, c.now()});
    c.deliver(both(from_node(from), to_node(0)));
  };
  auto append = std::make_shared<raft::AppendEntries>();
  append->term = 1;
  append->entries = {RaftEntry{1, nullptr}};
  inject(1, append);
  REQUIRE(last_role(c, 0)->term == 1);
  c.drop(any_message());
  while (last_role(c, 0)->role != "candidate") {  // n1's election timer
    c.advance(1 * kMillisecond);
    c.drop(any_message());
  }
  auto vote = std::make_shared<raft::Vote>();
  vote->term = 2;
  vote->granted = true;
  inject(2, vote);
  REQUIRE(last_role(c, 0)->role == "leader");  // its no-op of term 2 is entry 2
  auto leader_commit = [&]() {
    c.drop(any_message());
    while (c.count(both(of_type("heartbeat"), to_node(2))) == 0) c.advance(1 * kMillisecond);
    auto& beat = dynamic_cast<const raft::AppendEntries&>(*c.in_flight.back().payload);
    return beat.leader_commit;
  };
  auto ack = [&](std::uint64_t match) {
    auto r = std::make_shared<raft::AppendReply>();
    r->term = 2;
    r->success = true;
    r->match_index = match;
    inject(2, r);
  };
  ack(1);  // entry 1 (term 1) is on n1 and n3: a majority, yet not committed
  CHECK(leader_commit() == 0);
  ack(2);  // entry 2 (term 2) on a majority commits it, and entry 1 with it
  CHECK(leader_commit() == 2);
}

TEST_CASE("raft: an op re-sent after a redirect is applied once, even when both copies commit") {
  FakeCluster c("raft", 3);
  NodeId a = elect(c);
  NodeId b = (a + 1) % 3, other = (a + 2) % 3;
  run_for(c, 100 * kMillisecond);
  auto w = c.write(a, 1, 10);  // reaches b only, and a never learns it did
  c.deliver(both(of_type("append-entries"), to_node(b)));
  c.drop(any_message());
  // a is cut off; b (the only one with w in its log) wins the election.
  std::optional<NodeId> fresh;
  for (int ms = 0; ms < 5000 && !fresh; ++ms) {
    c.advance(1 * kMillisecond);
    while (!fresh && (c.drop(crosses({a})), !c.in_flight.empty())) {
      c.deliver_first();
      fresh = leader_among(c, {b, other});
    }
  }
  REQUIRE(fresh == b);
  // Before b commits w: another client writes 20, and w's client, redirected
  // from a, re-sends w (same op id) to b. b's log: w, no-op, 20, w again.
  auto w2 = c.write(b, 1, 20);
  Request again{w, 0, OpType::Write, 1, 10, 0, nullptr};
  c.resend(b, again);
  run_for(c, 200 * kMillisecond, {a});
  CHECK(outcome(c, w2) == Reply::Outcome::Ok);
  CHECK(outcome(c, w) == Reply::Outcome::Ok);
  CHECK(c.notes_named("duplicate").size() == 2);  // noted on b and on the other follower
  CHECK(c.visible(b, 1) == 20);                   // applied twice, w would have buried 20
  CHECK(c.visible(other, 1) == 20);
}

}  // namespace story_raft_test
