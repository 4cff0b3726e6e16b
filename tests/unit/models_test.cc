// What holds for every registered model (strict parameters, echoed
// defaults, message envelopes, agreement with a single-copy map), and
// strong-2pc's atomicity under random message loss and coordinator crashes.
// Per-model values (exact messages, defaults, sizes) live in each model's
// own test file, so adding a model breaks nothing here.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <set>

#include "base/rng.h"
#include "models/model_support.h"
#include "tests/unit/model_checks.h"

using namespace consim;
using namespace consim::testing;

namespace models_test {

TEST_CASE("models: every registered model has a name, a description and builds a replica") {
  REQUIRE(!model_registry().empty());
  std::set<std::string> names;
  for (const auto& model : model_registry()) {
    CAPTURE(model.name);
    CHECK(!model.name.empty());
    CHECK(!model.description.empty());
    CHECK(names.insert(model.name).second);  // names are unique
    FakeCluster c(model.name, 2);
    auto op = c.read(0, 1);
    c.deliver_all();  // a leader may confirm its leadership first
    REQUIRE(c.reply_to(op) != nullptr);
    // A register never written reads as no value; a bank account as its balance.
    const auto& w = model.workloads;
    if (std::find(w.begin(), w.end(), "register") != w.end())
      CHECK(c.reply_to(op)->reply.value == std::nullopt);
  }
}

TEST_CASE("models: every model rejects an unknown parameter and non-object params by JSON path") {
  for (const auto& model : model_names()) {
    CAPTURE(model);
    CHECK(
        parse_error(model, {{"no_such_param", 1}})
            .starts_with("demo.json: $.model.params.no_such_param: unknown key \"no_such_param\""));
    CHECK(parse_error(model, nlohmann::json::array())
              .starts_with("demo.json: $.model.params: expected an object"));
  }
}

TEST_CASE("models: every model's echoed defaults parse back to themselves") {
  for (const auto& model : model_names()) {
    CAPTURE(model);
    nlohmann::json defaults = defaults_of(model);
    CHECK(defaults.is_object());
    auto again = find_model(model)->parse(JsonReader(defaults, "demo.json", "$.model.params"),
                                          scenario_of(3));
    CHECK(again->to_json() == defaults);
  }
}

// Each model's own test file pins its sizes (docs/models.md lists them).
TEST_CASE("models: every message carries at least the envelope") {
  for (const auto& model : model_names()) {
    CAPTURE(model);
    auto sizes = message_sizes(model);
    for (const auto& [type, bytes] : sizes) {
      CAPTURE(type);
      if (type != "session") CHECK(bytes >= kEnvelopeBytes);
    }
  }
}

// Without faults and with every message delivered promptly, each model
// answers exactly as one copy of the data would (a client follows redirects
// and waits for a leader, as the simulator's clients do).
TEST_CASE("models: with prompt delivery and no faults every model agrees with a single-copy map") {
  for (const auto& model : model_names()) {
    const auto& w = find_model(model)->workloads;
    if (std::find(w.begin(), w.end(), "register") == w.end()) continue;  // not a register store
    for (std::uint64_t seed : {1, 2, 3, 4, 5}) {
      CAPTURE(model);
      CAPTURE(seed);
      Rng rng(seed);
      std::size_t nodes = 1 + rng.below(5);
      FakeCluster c(model, nodes, nlohmann::json::object(), seed);
      std::map<Key, Value> reference;
      std::vector<PayloadPtr> sessions(3);  // three clients
      Value next_value = 1;
      for (int step = 0; step < 300; ++step) {
        std::size_t client = rng.below(sessions.size());
        NodeId at = static_cast<NodeId>(rng.below(nodes));
        Key key = rng.below(6);
        bool write = rng.chance(0.4);
        auto op = write ? c.write(at, key, next_value, sessions[client])
                        : c.read(at, key, sessions[client]);
        const RecordedReply* r = answer(c, op, at);
        REQUIRE(r != nullptr);
        REQUIRE(r->reply.outcome == Reply::Outcome::Ok);
        if (r->reply.session) sessions[client] = r->reply.session;
        if (write) {
          reference[key] = next_value++;
        } else {
          auto expected = reference.contains(key) ? std::optional(reference[key]) : std::nullopt;
          REQUIRE(r->reply.value == expected);
        }
        c.advance(1 * kMillisecond);
      }
      for (int settle = 0; settle < 100; ++settle) {  // followers learn the last commits
        c.advance(10 * kMillisecond);
        c.deliver_all();
      }
      // Every node that holds data ends with the reference. A node is a
      // replica from its first applied value, as the analysis counts them
      // (analysis/metrics/convergence.h); one that never holds data
      // (leader-lease's applications and coordination group) is not.
      std::size_t replicas = 0;
      for (NodeId n = 0; n < nodes; ++n) {
        bool holds_data = std::any_of(c.applies.begin(), c.applies.end(),
                                      [n](const RecordedApply& a) { return a.node == n; });
        if (!holds_data && !reference.empty()) continue;
        ++replicas;
        for (const auto& [key, value] : reference) CHECK(c.visible(n, key) == value);
      }
      CHECK(replicas >= 1);
      CHECK(c.duplicate_replies == 0);
      // Nothing left to retry; a model that announces roles (a leader-based
      // one) keeps its heartbeat and election timers for ever.
      if (c.roles.empty())
        for (NodeId n = 0; n < nodes; ++n) CHECK(c.timers_of(n) == 0);
    }
  }
}

// Atomicity: whatever is lost and whoever crashes, once the network is
// repaired every replica ends with the same values, an acknowledged write
// reached every replica, and a failed write reached none.
TEST_CASE("strong-2pc: under message loss and coordinator crashes a write is all or nothing") {
  for (std::uint64_t seed : {11, 12, 13, 14, 15, 16}) {
    CAPTURE(seed);
    Rng rng(seed);
    FakeCluster c("strong-2pc", 3, nlohmann::json::object(), seed);
    struct Write {
      Key key;
      Value value;
      std::uint64_t op;
    };
    std::vector<Write> writes;
    for (int step = 0; step < 200; ++step) {
      Key key = rng.below(3);
      NodeId at = static_cast<NodeId>(rng.below(3));
      writes.push_back({key, step + 1, c.write(at, key, step + 1)});
      while (!c.in_flight.empty()) rng.chance(0.2) ? c.drop_first() : c.deliver_first();
      if (rng.chance(0.05)) {
        NodeId victim = static_cast<NodeId>(rng.below(3));
        c.crash(victim);
        c.advance(rng.below(200) * kMillisecond);
        c.recover(victim);
      }
      c.advance(rng.below(150) * kMillisecond);
    }
    for (int round = 0; round < 20; ++round) {  // repair: deliver everything, let retries run
      c.deliver_all();
      c.advance(2 * kSecond);
    }
    for (const auto& [key, value, op] : writes) {
      bool applied = c.ever_applied(0, key, value);
      CHECK(c.ever_applied(1, key, value) == applied);
      CHECK(c.ever_applied(2, key, value) == applied);
      if (const RecordedReply* r = c.reply_to(op))
        CHECK(applied == (r->reply.outcome == Reply::Outcome::Ok));
    }
    for (Key key = 0; key < 3; ++key) {
      CHECK(c.visible(0, key) == c.visible(1, key));
      CHECK(c.visible(0, key) == c.visible(2, key));
      auto read = c.read(1, key);  // nothing is left in doubt
      CHECK(c.reply_to(read) != nullptr);
    }
    CHECK(c.duplicate_replies == 0);
    CHECK(c.notes_named("in-doubt").size() == c.notes_named("resolved").size());
  }
}

}  // namespace models_test
