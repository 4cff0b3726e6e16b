// Stories of the primary-backup model: when a write is acknowledged under
// each replication mode, stale reads at backups, failover to the most
// up-to-date backup, warm standby, split brain with and without epoch
// fencing, and clients redirected to the primary. Hand-driven stories use
// the FakeCluster; the split-brain stories run the simulator and its
// analysis (lost acknowledged writes, linearizability).
#include <doctest/doctest.h>

#include "analysis/report/analyze.h"
#include "story_support.h"
#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;
using nlohmann::json;

namespace story_primary_backup_test {

namespace {

bool is_ok(const RecordedReply* r) { return r && r->reply.outcome == Reply::Outcome::Ok; }

// Runs `ms` milliseconds, delivering every message at once except those the
// cut drops.
void run(
    FakeCluster& c, int ms,
    const FakeCluster::Filter& cut = [](const SentMessage&) { return false; }) {
  for (int i = 0; i < ms; ++i) {
    c.advance(1 * kMillisecond);
    while (true) {
      c.drop(cut);
      if (c.in_flight.empty()) break;
      c.deliver_first();
    }
  }
}

FakeCluster::Filter isolates(NodeId n) {
  return [n](const SentMessage& m) { return (m.from == n) != (m.to == n); };
}

// The node that last announced itself primary, and in which epoch.
std::pair<NodeId, std::uint64_t> last_primary(const FakeCluster& c) {
  std::pair<NodeId, std::uint64_t> p{0, 0};
  for (const auto& r : c.roles)
    if (r.role == "primary") p = {r.node, r.term};
  return p;
}

}  // namespace

TEST_CASE("primary-backup: a sync write is acknowledged only after every backup has it") {
  FakeCluster c("primary-backup", 3);
  c.deliver_all();
  auto op = c.write(0, 7, 100);
  CHECK(c.count(of_type("append")) == 2);
  c.deliver(both(of_type("append"), to_node(1)));
  c.deliver(of_type("append-ack"));
  CHECK(c.reply_to(op) == nullptr);  // n3 does not have it yet
  CHECK(c.visible(0, 7) == std::nullopt);
  c.deliver(of_type("append"));
  c.deliver(of_type("append-ack"));
  REQUIRE(is_ok(c.reply_to(op)));
  CHECK(c.visible(0, 7) == 100);
}

TEST_CASE("primary-backup: a semi-sync write is acknowledged after one backup has it") {
  FakeCluster c("primary-backup", 3, {{"replication", "semi-sync"}});
  c.deliver_all();
  auto op = c.write(0, 7, 100);
  c.deliver(both(of_type("append"), to_node(2)));
  CHECK(c.reply_to(op) == nullptr);
  c.deliver(of_type("append-ack"));
  CHECK(is_ok(c.reply_to(op)));
}

TEST_CASE(
    "primary-backup: an async write is acknowledged at once and lost when the primary crashes") {
  FakeCluster c("primary-backup", 3, {{"replication", "async"}});
  c.deliver_all();
  auto op = c.write(0, 7, 100);
  REQUIRE(is_ok(c.reply_to(op)));  // before any backup has it
  CHECK(c.drop(of_type("append")) == 2);
  c.crash(0);
  run(c, 1000);
  auto [primary, epoch] = last_primary(c);
  CHECK(primary != 0);
  CHECK(epoch == 2);
  c.recover(0);
  run(c, 500);
  for (NodeId n = 0; n < 3; ++n) CHECK(c.visible(n, 7) == std::nullopt);
  REQUIRE(c.notes_named("rolled-back").size() == 1);  // n1 undoes its own acknowledged write
  CHECK(c.notes_named("rolled-back")[0].node == 0);
}

TEST_CASE(
    "primary-backup: with read_from any a backup serves stale reads until it learns the commit") {
  FakeCluster c("primary-backup", 3, {{"read_from", "any"}});
  c.deliver_all();
  auto w = c.write(0, 7, 100);
  c.deliver_all();
  REQUIRE(is_ok(c.reply_to(w)));
  auto stale = c.read(1, 7);  // n2 has the entry, not yet its commit
  REQUIRE(is_ok(c.reply_to(stale)));
  CHECK(c.reply_to(stale)->reply.value == std::nullopt);
  c.advance(50 * kMillisecond);  // the next heartbeat carries the commit index
  c.deliver_all();
  auto fresh = c.read(1, 7);
  CHECK(c.reply_to(fresh)->reply.value == 100);

  FakeCluster strict("primary-backup", 3);  // read_from primary: sent to the primary
  auto redirected = strict.read(1, 7);
  REQUIRE(strict.reply_to(redirected) != nullptr);
  CHECK(strict.reply_to(redirected)->reply.outcome == Reply::Outcome::Redirect);
  CHECK(strict.reply_to(redirected)->reply.leader_hint == NodeId{0});
}

TEST_CASE("primary-backup: failover promotes the most up-to-date backup") {
  for (std::uint64_t seed = 1; seed <= 6; ++seed) {  // whichever backup suspects first
    CAPTURE(seed);
    FakeCluster c("primary-backup", 3, json::object(), seed);
    c.deliver_all();
    auto op = c.write(0, 7, 100);
    c.drop(both(of_type("append"), to_node(2)));  // only n2 gets it
    c.deliver_all();
    CHECK(c.reply_to(op) == nullptr);  // sync: n3 is missing
    c.crash(0);
    run(c, 1000);
    auto [primary, epoch] = last_primary(c);
    CHECK(primary == 1);
    CHECK(epoch == 2);
    auto promote = c.notes_named("promote");
    REQUIRE(!promote.empty());
    CHECK(promote.back().detail.starts_with("n2 for epoch 2: most up to date of"));
    CHECK(c.notes_named("suspect").size() >= 1);
    CHECK(c.visible(2, 7) == 100);  // the new primary committed it and n3 has it
  }
}

TEST_CASE("primary-backup: a warm standby catches up before it serves") {
  FakeCluster c("primary-backup", 3,
                {{"standby", "warm"}, {"warm_refresh", "10s"}, {"replay_cost", "20ms"}});
  c.deliver_all();
  for (Key k = 1; k <= 5; ++k) {
    auto w = c.write(0, k, 100 + static_cast<Value>(k));
    c.deliver_all();
    REQUIRE(is_ok(c.reply_to(w)));
  }
  run(c, 60);
  CHECK(c.visible(1, 1) == std::nullopt);  // warm: logged, not applied
  c.crash(0);
  std::uint64_t refused = 0;
  for (int ms = 0; ms < 1000 && c.notes_named("caught-up").empty(); ++ms) {
    run(c, 1);
    if (!c.notes_named("catching-up").empty() && refused == 0) {
      NodeId p = last_primary(c).first;
      auto op = c.read(p, 1);
      REQUIRE(c.reply_to(op) != nullptr);
      CHECK(c.reply_to(op)->reply.reason == "catching up: replaying 5 log entries before serving");
      ++refused;
    }
  }
  CHECK(refused == 1);
  auto caught_up = c.notes_named("caught-up");
  REQUIRE(caught_up.size() == 1);
  CHECK(caught_up[0].lasted == 100 * kMillisecond);  // 5 entries x 20ms
  NodeId p = last_primary(c).first;
  run(c, 50);
  for (Key k = 1; k <= 5; ++k) CHECK(c.visible(p, k) == 100 + static_cast<Value>(k));
}

TEST_CASE(
    "primary-backup: a warm standby promoted as-is serves at once without what it had not "
    "applied") {
  FakeCluster c("primary-backup", 3,
                {{"standby", "warm"}, {"warm_refresh", "10s"}, {"warm_promotion", "as-is"}});
  c.deliver_all();
  auto w = c.write(0, 1, 101);
  c.deliver_all();
  REQUIRE(is_ok(c.reply_to(w)));
  c.crash(0);
  run(c, 1000);
  NodeId p = last_primary(c).first;
  REQUIRE(p != 0);
  REQUIRE(c.notes_named("truncated").size() == 1);
  auto op = c.read(p, 1);
  run(c, 10);
  REQUIRE(is_ok(c.reply_to(op)));
  CHECK(c.reply_to(op)->reply.value == std::nullopt);  // the acknowledged write is gone
}

TEST_CASE("primary-backup: with epoch fencing the deposed primary's writes are refused") {
  FakeCluster c("primary-backup", 3);
  c.deliver_all();
  run(c, 1000, isolates(0));  // n2 and n3 elect a new primary; n1 still believes it leads
  auto [primary, epoch] = last_primary(c);
  REQUIRE(primary != 0);
  REQUIRE(epoch == 2);
  c.drop(any_message());
  auto op = c.write(0, 7, 100);  // the cut heals; n1 replicates to the others
  c.deliver(of_type("append"));
  CHECK(c.notes_named("refused").size() == 2);
  c.deliver(of_type("fenced"));
  REQUIRE(c.notes_named("fenced").size() == 1);
  CHECK(c.notes_named("fenced")[0].detail.ends_with("primary of epoch 1 steps down"));
  run(c, 500);
  CHECK(c.reply_to(op) == nullptr);  // never acknowledged: the client times out
  for (NodeId n = 0; n < 3; ++n) CHECK_FALSE(c.ever_applied(n, 7, 100));
  auto again = c.write(0, 7, 200);
  REQUIRE(c.reply_to(again) != nullptr);
  CHECK(c.reply_to(again)->reply.outcome == Reply::Outcome::Redirect);
  CHECK(c.reply_to(again)->reply.leader_hint == primary);
}

TEST_CASE("primary-backup: clients sent to a backup are redirected to the primary") {
  json doc = test::base_scenario("primary-backup", 3, {"n2", "n3"});
  doc["duration"] = "500ms";
  auto lines = test::run_story(doc, "pb-redirect");
  auto redirects = test::of_type(lines, "redirect");
  REQUIRE(redirects.size() == 2);  // once per client: it then remembers the primary
  for (const auto& r : redirects) {
    CHECK(r["hint"] == "n1");
    CHECK(r["to"] == "n1");
  }
  auto oks = test::of_type(lines, "ok");
  REQUIRE(oks.size() > 10);
  for (const auto& ok : oks) CHECK(ok["node"] == "n1");
  auto roles = test::of_type(lines, "role");
  REQUIRE(roles.size() == 3);
  CHECK(roles[0] ==
        json{{"type", "role"}, {"time", 0}, {"node", "n1"}, {"role", "primary"}, {"term", 1}});
}

namespace {

// Three nodes; two clients on n1, one on n2 and n3, ten keys. At 1s the
// primary n1 stalls for 500ms (a pause) and is cut off until 3s (drop):
// the clients time out on it, fall back to their own nodes and so reach
// the new primary, except n1's own clients, which return to n1 once it
// wakes up, still believing it is the primary. The clients stop at the
// heal, so the keys end with what the two sides wrote (a write after the
// heal would overwrite a lost one and hide it from the lost-writes count).
json split_brain_report(const std::string& fencing, std::uint64_t seed) {
  json s = test::base_scenario("primary-backup", 3, {"n1", "n1", "n2", "n3"});
  s["seed"] = seed;
  s["duration"] = "4s";
  s["network"]["cut_policy"] = "drop";
  s["model"]["params"] = {{"fencing", fencing}};
  s["workload"]["read_fraction"] = 0.3;
  s["workload"]["keys"] = 10;
  s["workload"]["think_time"] = {{"type", "exponential"}, {"mean", "10ms"}};
  s["workload"]["stop"] = "3s";
  s["faults"] =
      json::array({{{"type", "partition"},
                    {"name", "cut n1"},
                    {"shape", "isolate"},
                    {"node", "n1"},
                    {"start", "1s"},
                    {"heal", "3s"}},
                   {{"type", "pause"}, {"node", "n1"}, {"at", "1s"}, {"resume", "1500ms"}}});
  s["trace"] = {{"level", "state"}};
  const Scenario scenario = parse_scenario(s, "pb-split-brain.json", model_registry());
  const auto path = test::temp_trace_path("pb-split-brain-" + fencing);
  run_scenario(scenario, registered_model(scenario.model_name).make, path.string());
  AnalyzeOptions options;
  options.checkers = std::vector<std::string>{"linearizable"};
  json report = analyze_trace(path.string(), options);
  std::filesystem::remove(path);
  return report;
}

}  // namespace

TEST_CASE(
    "primary-backup: split brain without fencing loses the losing side's acknowledged writes at "
    "heal") {
  std::uint64_t lost = 0;
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    json report = split_brain_report("none", seed);
    REQUIRE(report["lost_writes"]["available"] == true);
    CHECK(report["lost_writes"]["faults_active_at_end"] == false);
    lost += report["lost_writes"]["count"].get<std::uint64_t>();
    CHECK(report["checkers"]["linearizable"]["verdict"] == "invalid");
    CHECK(report["notes"].contains("rolled-back"));  // n1 undoes what it acknowledged alone
  }
  CHECK(lost > 0);
}

TEST_CASE(
    "primary-backup: the same split brain with epoch fencing loses nothing and stays "
    "linearizable") {
  for (std::uint64_t seed = 1; seed <= 3; ++seed) {
    CAPTURE(seed);
    json report = split_brain_report("epoch", seed);
    REQUIRE(report["lost_writes"]["available"] == true);
    CHECK(report["lost_writes"]["count"] == 0);
    CHECK(report["checkers"]["linearizable"]["verdict"] == "valid");
    CHECK(report["notes"].contains("promote"));  // the majority side failed over
  }
}

}  // namespace story_primary_backup_test
