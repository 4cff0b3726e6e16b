// Stories of strong-2pc's cooperative termination on a hand-driven
// three-node cluster: a participant left in doubt by a crashed coordinator
// resolves when another replica knows the outcome (it has the decision, or
// it never voted yes), and stays blocked when every replica is in doubt.
// Without the parameter nothing of it runs.
#include <doctest/doctest.h>

#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;

namespace models_strong_2pc_termination_test {

namespace {

const nlohmann::json kCooperative = {{"cooperative_termination", true},
                                     {"termination_timeout", "50ms"}};

bool is_ok(const RecordedReply* r) { return r && r->reply.outcome == Reply::Outcome::Ok; }
bool is_fail(const RecordedReply* r) { return r && r->reply.outcome == Reply::Outcome::Fail; }

// n1 coordinates x=100 on key 7, every replica votes yes, n1 commits and
// acknowledges the client; `reach` says which participants its commit
// reaches before n1 crashes (the others' copies are lost with the crash).
void commit_then_crash(FakeCluster& c, const std::vector<NodeId>& reach) {
  auto op = c.write(0, 7, 100);
  c.deliver(of_type("prepare"));
  c.deliver(of_type("vote"));
  REQUIRE(is_ok(c.reply_to(op)));
  for (NodeId n : reach) c.deliver(both(of_type("commit"), to_node(n)));
  c.crash(0);
  c.drop(of_type("commit"));
}

}  // namespace

TEST_CASE(
    "strong-2pc with cooperative termination: a participant that reaches one who saw the commit "
    "resolves it") {
  FakeCluster c("strong-2pc", 3, kCooperative);
  commit_then_crash(c, {1});  // n2 has the commit, n3 is in doubt
  c.deliver_all();            // n2's decision-ack to the crashed n1 is lost
  c.advance(49 * kMillisecond);
  CHECK(c.count(of_type("decision-query")) == 0);
  c.advance(1 * kMillisecond);
  CHECK(c.count(both(of_type("decision-query"), from_node(2))) == 2);  // asks n1 and n2
  c.deliver_all();
  CHECK(c.visible(2, 7) == 100);
  auto terminated = c.notes_named("terminated");
  REQUIRE(terminated.size() == 1);
  CHECK(terminated[0].node == 2);
  CHECK(terminated[0].detail == "txn n1.1 key 7 committed, learned from n2");
  auto read = c.read(2, 7);
  REQUIRE(is_ok(c.reply_to(read)));
  CHECK(c.reply_to(read)->reply.value == 100);
  CHECK(c.timers_of(2) == 0);  // no more questions
}

TEST_CASE(
    "strong-2pc with cooperative termination: a replica that never voted yes aborts the txn, and "
    "the participant in doubt resolves it") {
  FakeCluster c("strong-2pc", 3, kCooperative);
  auto op = c.write(0, 7, 100);
  c.drop(both(of_type("prepare"), to_node(2)));  // n3 never hears of txn n1.1
  c.deliver(of_type("prepare"));                 // n2 prepares it: in doubt
  c.crash(0);                                    // before any decision
  c.drop(of_type("vote"));
  c.advance(50 * kMillisecond);
  c.deliver_all();
  auto aborted = c.notes_named("unilateral-abort");
  REQUIRE(aborted.size() == 1);
  CHECK(aborted[0].node == 2);
  CHECK(aborted[0].detail == "txn n1.1 key 7: never voted yes, aborted for n2");
  REQUIRE(c.notes_named("terminated").size() == 1);
  CHECK(c.notes_named("terminated")[0].detail == "txn n1.1 key 7 aborted, learned from n3");
  auto read = c.read(1, 7);
  CHECK(is_ok(c.reply_to(read)));  // no longer in doubt
  // The coordinator recovers and aborts it too: nobody ever applies 100.
  c.recover(0);
  c.deliver_all();
  CHECK(c.reply_to(op) == nullptr);
  CHECK(c.applies.empty());
}

TEST_CASE(
    "strong-2pc with cooperative termination: when every participant is in doubt, everyone stays "
    "blocked until the coordinator is back") {
  FakeCluster c("strong-2pc", 3, kCooperative);
  commit_then_crash(c, {});  // n2 and n3 both voted yes and both missed the commit
  for (int i = 0; i < 20; ++i) {
    c.advance(100 * kMillisecond);
    c.deliver_all();
  }
  CHECK(c.notes_named("terminated").empty());
  CHECK(c.notes_named("unilateral-abort").empty());
  CHECK(c.visible(1, 7) == std::nullopt);
  CHECK(c.visible(2, 7) == std::nullopt);
  // They keep asking, less often: 50ms, then 100, 200, ... capped at retry_max.
  auto asks = c.notes_named("termination-ask");
  CHECK(asks.size() == 10);  // 5 each in 2 s: at 50, 150, 350, 750, 1550 ms
  CHECK(asks[0].detail == "txn n1.1 key 7: asks n1, n3 after 50ms in doubt");
  auto read = c.read(1, 7);
  c.advance(500 * kMillisecond);
  CHECK(is_fail(c.reply_to(read)));
  c.recover(0);  // the coordinator resends its logged commit
  c.deliver_all();
  CHECK(c.visible(1, 7) == 100);
  CHECK(c.visible(2, 7) == 100);
}

TEST_CASE("strong-2pc without cooperative termination: nobody asks, and the header is unchanged") {
  FakeCluster c("strong-2pc", 3);
  commit_then_crash(c, {1});
  for (int i = 0; i < 20; ++i) {
    c.advance(500 * kMillisecond);
    c.deliver_all();
  }
  CHECK(c.count(of_type("decision-query")) == 0);
  CHECK(c.notes_named("termination-ask").empty());
  CHECK(c.visible(2, 7) == std::nullopt);  // n3 stays in doubt though n2 knows
  CHECK_FALSE(defaults_of("strong-2pc").contains("cooperative_termination"));
}

TEST_CASE("strong-2pc: the termination parameters are strict and echoed when on") {
  CHECK(parse_error("strong-2pc", {{"termination_timeout", "50ms"}}) ==
        "demo.json: $.model.params.termination_timeout: applies only with "
        "\"cooperative_termination\": true");
  CHECK(parse_error("strong-2pc", {{"cooperative_termination", "yes"}})
            .starts_with("demo.json: $.model.params.cooperative_termination: expected"));
  nlohmann::json on = {{"cooperative_termination", true}};
  auto echoed = find_model("strong-2pc")
                    ->parse(JsonReader(on, "demo.json", "$.model.params"), scenario_of(3))
                    ->to_json();
  CHECK(echoed["cooperative_termination"] == true);
  CHECK(echoed["termination_timeout"] == "300ms");
}

TEST_CASE("strong-2pc: the termination messages have the documented sizes") {
  FakeCluster c("strong-2pc", 3, kCooperative);
  commit_then_crash(c, {1});
  c.advance(50 * kMillisecond);
  c.deliver_all();
  std::map<std::string, std::size_t> sizes;
  for (const auto& m : c.sent) sizes[std::string(m.type())] = m.payload->size_bytes();
  CHECK(sizes["decision-query"] == 36);
  CHECK(sizes["decision-answer"] == 37);
}

}  // namespace models_strong_2pc_termination_test
