// Model parameters (strict parsing, echoed defaults), the differential test
// of every model against a single-copy map, and strong-2pc's atomicity
// under random message loss and coordinator crashes.
#include <doctest/doctest.h>

#include <map>

#include "base/rng.h"
#include "tests/unit/fake_context.h"

using namespace consim;
using namespace consim::testing;

namespace {

std::string parse_error(const std::string& model, const nlohmann::json& params) {
  try {
    find_model(model)->parse(JsonReader(params, "demo.json", "$.model.params"),
                             testing::scenario_of(3));
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

nlohmann::json defaults_of(const std::string& model) {
  nlohmann::json empty = nlohmann::json::object();
  return find_model(model)
      ->parse(JsonReader(empty, "demo.json", "$.model.params"), testing::scenario_of(3))
      ->to_json();
}

}  // namespace

TEST_CASE("models: every registered model builds a replica") {
  CHECK(model_names() == std::vector<std::string>{"strong-2pc", "eventual-async", "causal"});
  for (const auto& name : model_names()) {
    CAPTURE(name);
    FakeCluster c(name, 2);
    auto op = c.read(0, 1);
    REQUIRE(c.reply_to(op) != nullptr);
    CHECK(c.reply_to(op)->reply.value == std::nullopt);
  }
}

TEST_CASE("models: an unknown parameter is rejected, named with its JSON path") {
  CHECK(parse_error("strong-2pc", {{"prepare_timout", "10ms"}}) ==
        "demo.json: $.model.params.prepare_timout: unknown key \"prepare_timout\"; allowed keys "
        "here: prepare_timeout, read_wait_timeout, retry_initial or retry_max");
  CHECK(parse_error("eventual-async", {{"quorum", 2}})
            .starts_with("demo.json: $.model.params.quorum: unknown key \"quorum\""));
  CHECK(parse_error("causal", {{"durable_outbox", false}})
            .starts_with("demo.json: $.model.params.durable_outbox: unknown key"));
}

TEST_CASE("models: parameter types and ranges are checked") {
  CHECK(parse_error("strong-2pc", {{"prepare_timeout", "0ms"}}) ==
        "demo.json: $.model.params.prepare_timeout: must be a positive duration, e.g. \"10ms\"");
  CHECK(parse_error("strong-2pc", {{"read_wait_timeout", 5}})
            .starts_with(
                "demo.json: $.model.params.read_wait_timeout: expected a duration with a unit"));
  CHECK(parse_error("eventual-async", {{"retry_initial", "1s"}, {"retry_max", "100ms"}}) ==
        "demo.json: $.model.params.retry_max: retry_max (100ms) must be at least retry_initial "
        "(1s)");
  CHECK(parse_error("eventual-async", {{"durable_outbox", "yes"}}) ==
        "demo.json: $.model.params.durable_outbox: expected true or false, got \"yes\"");
  CHECK(parse_error("causal", nlohmann::json::array())
            .starts_with("demo.json: $.model.params: expected an object"));
}

TEST_CASE("models: the defaults are documented values, echoed for the trace header") {
  CHECK(defaults_of("strong-2pc") == nlohmann::json{{"prepare_timeout", "100ms"},
                                                    {"read_wait_timeout", "500ms"},
                                                    {"retry_initial", "50ms"},
                                                    {"retry_max", "2s"}});
  CHECK(defaults_of("eventual-async") ==
        nlohmann::json{{"retry_initial", "50ms"}, {"retry_max", "2s"}, {"durable_outbox", true}});
  CHECK(defaults_of("causal") == nlohmann::json{{"session_wait_timeout", "500ms"},
                                                {"retry_initial", "50ms"},
                                                {"retry_max", "2s"},
                                                {"timestamps", "hybrid"}});
  nlohmann::json given = {{"retry_initial", "1.5ms"}};
  auto parsed = find_model("causal")->parse(JsonReader(given, "demo.json", "$.model.params"),
                                            testing::scenario_of(3));
  CHECK(parsed->to_json()["retry_initial"] == "1.5ms");
}

TEST_CASE("models: message types and sizes are as documented in docs/models.md") {
  std::map<std::string, std::size_t> sizes;
  for (const auto& model : model_names()) {
    FakeCluster c(model, 3);
    auto w = c.write(0, 1, 5);
    c.deliver_all();
    c.read(1, 1, c.reply_to(w)->reply.session);
    for (const auto& m : c.sent)
      sizes[model + " " + std::string(m.type())] = m.payload->size_bytes();
    if (model == "causal") sizes["causal session"] = c.reply_to(w)->reply.session->size_bytes();
  }
  CHECK(sizes == std::map<std::string, std::size_t>{{"strong-2pc prepare", 44},
                                                    {"strong-2pc vote", 41},
                                                    {"strong-2pc commit", 37},
                                                    {"strong-2pc decision-ack", 28},
                                                    {"eventual-async replicate", 52},
                                                    {"eventual-async replicate-ack", 28},
                                                    {"causal replicate", 52 + 8 * 3},
                                                    {"causal replicate-ack", 28},
                                                    {"causal session", 8 * 3}});
}

// Without faults and with every message delivered promptly, each model
// answers exactly as one copy of the data would.
TEST_CASE("models: with prompt delivery and no faults every model agrees with a single-copy map") {
  for (const auto& model : model_names()) {
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
        c.deliver_all();
        const RecordedReply* r = c.reply_to(op);
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
      for (NodeId n = 0; n < nodes; ++n)
        for (const auto& [key, value] : reference) CHECK(c.visible(n, key) == value);
      CHECK(c.duplicate_replies == 0);
      for (NodeId n = 0; n < nodes; ++n) CHECK(c.timers_of(n) == 0);  // nothing left to retry
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
