// The primary-backup model's own pinned values: parameter errors, echoed
// defaults, message sizes (docs/models.md, "primary-backup").
#include <doctest/doctest.h>

#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;

namespace models_primary_backup_test {

TEST_CASE("primary-backup: parameters are strict and the defaults are the documented ones") {
  CHECK(parse_error("primary-backup", {{"replicaton", "sync"}}) ==
        "demo.json: $.model.params.replicaton: unknown key \"replicaton\"; allowed keys here: "
        "replication, read_from, standby, fencing, warm_promotion, primary, heartbeat_interval, "
        "suspicion_timeout, warm_refresh or replay_cost");
  CHECK(parse_error("primary-backup", {{"replication", "quorum"}}) ==
        "demo.json: $.model.params.replication: unknown replication \"quorum\"; valid: sync, "
        "semi-sync or async");
  CHECK(parse_error("primary-backup", {{"read_from", "backup"}}) ==
        "demo.json: $.model.params.read_from: unknown read_from \"backup\"; valid: primary or any");
  CHECK(parse_error("primary-backup", {{"standby", "cold"}}) ==
        "demo.json: $.model.params.standby: unknown standby \"cold\"; valid: hot or warm");
  CHECK(parse_error("primary-backup", {{"fencing", "token"}}) ==
        "demo.json: $.model.params.fencing: unknown fencing \"token\"; valid: epoch or none");
  CHECK(parse_error("primary-backup", {{"warm_promotion", "wait"}}) ==
        "demo.json: $.model.params.warm_promotion: unknown warm_promotion \"wait\"; valid: "
        "catch-up or as-is");
  CHECK(parse_error("primary-backup", {{"fencing", true}}) ==
        "demo.json: $.model.params.fencing: expected a string, got a boolean");
  CHECK(parse_error("primary-backup", {{"primary", "n9"}}) ==
        "demo.json: $.model.params.primary: unknown node \"n9\"; nodes: n1, n2 or n3");
  CHECK(parse_error("primary-backup", {{"heartbeat_interval", "0ms"}}) ==
        "demo.json: $.model.params.heartbeat_interval: must be a positive duration, e.g. \"10ms\"");
  CHECK(parse_error("primary-backup", {{"suspicion_timeout", "50ms"}}) ==
        "demo.json: $.model.params.suspicion_timeout: suspicion_timeout (50ms) must be longer "
        "than heartbeat_interval (50ms)");
  CHECK(parse_error("primary-backup", {{"heartbeat_interval", "300ms"}}) ==
        "demo.json: $.model.params.heartbeat_interval: suspicion_timeout (200ms) must be longer "
        "than heartbeat_interval (300ms)");
  CHECK(parse_error("primary-backup", {{"replay_cost", 1}})
            .starts_with("demo.json: $.model.params.replay_cost: expected a duration with a unit"));
  CHECK(parse_error("primary-backup", {{"primary", "n2"}, {"standby", "warm"}}) == "(no error)");
  CHECK(defaults_of("primary-backup") == nlohmann::json{{"replication", "sync"},
                                                        {"read_from", "primary"},
                                                        {"standby", "hot"},
                                                        {"fencing", "epoch"},
                                                        {"warm_promotion", "catch-up"},
                                                        {"primary", "n1"},
                                                        {"heartbeat_interval", "50ms"},
                                                        {"suspicion_timeout", "200ms"},
                                                        {"warm_refresh", "1s"},
                                                        {"replay_cost", "1ms"}});
}

TEST_CASE("primary-backup: message types and sizes are as documented in docs/models.md") {
  CHECK(message_sizes("primary-backup") ==
        std::map<std::string, std::size_t>{{"heartbeat", 49}, {"append", 73}, {"append-ack", 41}});
  // The view change's messages, from a backup that suspects a crashed primary.
  FakeCluster c("primary-backup", 3);
  c.deliver_all();
  c.crash(0);
  std::map<std::string, std::size_t> sizes;
  for (int ms = 0; ms < 1000; ++ms) {
    c.advance(1 * kMillisecond);
    c.deliver_all();
  }
  for (const auto& m : c.sent) sizes[std::string(m.type())] = m.payload->size_bytes();
  CHECK(sizes["pre-vote"] == 25);
  CHECK(sizes["pre-vote-ack"] == 42);
  CHECK(sizes["view-change"] == 25);
  CHECK(sizes["view-ack"] == 42);
  CHECK(sizes["sync"] == 49);  // the new primary's whole log: empty here
}

}  // namespace models_primary_backup_test
