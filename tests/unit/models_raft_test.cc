// The raft model's parameters (strict, with their exact errors), echoed
// defaults and message sizes (docs/models.md lists them).
#include <doctest/doctest.h>

#include "models/raft_messages.h"
#include "tests/unit/raft_support.h"

using namespace consim;
using namespace consim::testing;

namespace models_raft_test {

TEST_CASE("raft: parameters are parsed strictly, with the file and JSON path in every error") {
  CHECK(parse_error("raft", {{"reads", "fast"}}) ==
        "demo.json: $.model.params.reads: must be \"log\", \"read-index\" or \"lease\", got "
        "\"fast\"");
  CHECK(parse_error("raft", {{"reads", 3}}) ==
        "demo.json: $.model.params.reads: expected a string, got a number");
  CHECK(parse_error("raft", {{"election_timeout_min", "300ms"}}) ==
        "demo.json: $.model.params.election_timeout_min: election_timeout_max (300ms) must be "
        "more than election_timeout_min (300ms)");
  CHECK(parse_error("raft", {{"election_timeout_max", "0s"}}) ==
        "demo.json: $.model.params.election_timeout_max: must be a positive duration, e.g. "
        "\"10ms\"");
  CHECK(parse_error("raft", {{"heartbeat_interval", "200ms"}}) ==
        "demo.json: $.model.params.heartbeat_interval: heartbeat_interval (200ms) must be less "
        "than election_timeout_min (150ms)");
  CHECK(parse_error("raft", {{"lease_margin", "150ms"}}) ==
        "demo.json: $.model.params.lease_margin: lease_margin (150ms) must be at least 0s and "
        "less than election_timeout_min (150ms)");
  CHECK(parse_error("raft", {{"max_entries_per_append", 0}}) ==
        "demo.json: $.model.params.max_entries_per_append: 0 is out of range: must be between 1 "
        "and 1000000");
  CHECK(parse_error("raft", {{"snapshot_every", "x"}}) ==
        "demo.json: $.model.params.snapshot_every: expected a whole number, got a string \"x\"");
  CHECK(parse_error("raft", {{"readz", 3}}) ==
        "demo.json: $.model.params.readz: unknown key \"readz\"; allowed keys here: "
        "election_timeout_min, election_timeout_max, heartbeat_interval, lease_margin, "
        "max_entries_per_append, snapshot_every or reads");
  CHECK(parse_error("raft", {{"reads", "lease"}, {"lease_margin", "0s"}}) == "(no error)");
  CHECK(defaults_of("raft") == nlohmann::json{{"election_timeout_min", "150ms"},
                                              {"election_timeout_max", "300ms"},
                                              {"heartbeat_interval", "50ms"},
                                              {"lease_margin", "30ms"},
                                              {"max_entries_per_append", 64},
                                              {"snapshot_every", 1000},
                                              {"reads", "log"}});
}

TEST_CASE("raft: message types and sizes are as documented in docs/models.md") {
  FakeCluster c("raft", 3, {{"snapshot_every", 2}});
  NodeId leader = elect(c);
  auto w = c.write(leader, 1, 5);
  run_for(c, kMillisecond);
  REQUIRE(c.reply_to(w)->reply.outcome == Reply::Outcome::Ok);
  for (Value v = 6; v < 9; ++v) c.write(leader, 1, v);
  c.crash((leader + 1) % 3);  // it misses entries that are then compacted away
  run_for(c, 10 * kMillisecond);
  c.recover((leader + 1) % 3);
  run_for(c, 200 * kMillisecond);
  std::map<std::string, std::size_t> sizes;
  for (const auto& m : c.sent)
    if (m.type() != "append-entries" && m.type() != "install-snapshot")
      sizes[std::string(m.type())] = m.payload->size_bytes();
  CHECK(sizes == std::map<std::string, std::size_t>{
                     {"request-vote", 40}, {"vote", 25}, {"heartbeat", 56}, {"append-reply", 49}});
  // An entry adds its term and the op (8 + 37 bytes); a snapshot its keys and
  // the recent outcomes per client (16 per key, 4 + 17 per outcome).
  std::size_t appends = 0, snapshots = 0;
  for (const auto& m : c.sent) {
    if (auto* a = dynamic_cast<const raft::AppendEntries*>(m.payload.get())) {
      std::size_t entries = 0;  // a leader's no-op is its term alone
      for (const auto& e : a->entries) entries += e.command ? 45 : 8;
      CHECK(a->size_bytes() == 56 + entries);
      appends += !a->entries.empty();
    } else if (auto* s = dynamic_cast<const raft::InstallSnapshot*>(m.payload.get())) {
      REQUIRE(s->snapshot);
      // one key; client 0's writes applied so far
      CHECK((s->size_bytes() - 48 - 16 - 4) % 17 == 0);
      ++snapshots;
    }
  }
  CHECK(appends > 0);
  CHECK(snapshots > 0);
}

}  // namespace models_raft_test
