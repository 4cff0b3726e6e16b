// Latency per message type (network.message_latency): loader errors, the
// model's declared message types, and a story where a slow write-ack shows
// in write latency and not in read latency.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "models/registry.h"
#include "tests/unit/story_support.h"

using nlohmann::json;

namespace message_latency_test {
namespace {

using namespace consim;
using namespace consim::test;

// Three nodes, quorum n = 3, r = w = 2, 1 ms links, two clients.
json quorum_story() {
  json doc = base_scenario("quorum", 3, {"n1", "n2"});
  doc["model"]["params"] = {{"n", 3}, {"r", 2}, {"w", 2}};
  doc["duration"] = "2s";
  return doc;
}

std::string load_error(const json& doc) {
  try {
    parse_scenario(doc, "ml.json", model_registry());
  } catch (const InputError& e) {
    return e.what();
  }
  return "(loaded)";
}

// Latencies (ns) of the ok operations of type `f`, by op id.
std::vector<std::int64_t> latencies(const std::vector<json>& lines, const std::string& f) {
  std::map<std::int64_t, std::int64_t> invoked;
  std::vector<std::int64_t> out;
  for (const auto& l : lines) {
    if (l["type"] == "invoke" && l["f"] == f) invoked[l["op"]] = l["time"];
    if (l["type"] == "ok" && invoked.count(l["op"]))
      out.push_back(l["time"].get<std::int64_t>() - invoked[l["op"]]);
  }
  return out;
}

}  // namespace

TEST_CASE("message latency: the mode must be explicit, one of replace or add") {
  json doc = quorum_story();
  doc["network"]["message_latency"] = {{"write", "2ms"}};
  CHECK(load_error(doc) ==
        "ml.json: $.network.message_latency.write: expected {\"replace\": <distribution>} "
        "(instead of the link's latency) or {\"add\": <distribution>} (on top of it), got a "
        "string \"2ms\"");
  doc["network"]["message_latency"] = {{"write", {{"replace", "2ms"}, {"add", "1ms"}}}};
  CHECK(load_error(doc) ==
        "ml.json: $.network.message_latency.write: give \"replace\" or \"add\", not both: is "
        "the link's latency kept or not?");
  doc["network"]["message_latency"] = {{"write", {{"replace", "2ms"}, {"scale", 2}}}};
  CHECK(load_error(doc) ==
        "ml.json: $.network.message_latency.write.scale: unknown key \"scale\"; allowed keys here: "
        "replace or add");
  doc["network"]["message_latency"] = {{"write", {{"add", {{"type", "pareto"}}}}}};
  CHECK(load_error(doc).starts_with("ml.json: $.network.message_latency.write.add"));
}

TEST_CASE("message latency: a type the model never sends is an error naming its types") {
  json doc = quorum_story();
  doc["network"]["message_latency"] = {{"replicate", {{"add", "5ms"}}}};
  CHECK(load_error(doc) ==
        "ml.json: $.network.message_latency.replicate: the model \"quorum\" never sends "
        "\"replicate\" messages; its message types: write, write-ack, read, read-reply, "
        "read-repair, read-repair-ack, hint, hint-ack, anti-entropy-tree or anti-entropy-keys");
  // The same check when the scenario runs under another model.
  doc["network"]["message_latency"] = {{"write-ack", {{"add", "5ms"}}}};
  Scenario s = parse_scenario(doc, "ml.json", model_registry());
  CHECK_THROWS_WITH_AS(apply_model_override(s, model_registry(), "eventual-async"),
                       "ml.json: $.network.message_latency.write-ack: the model "
                       "\"eventual-async\" never sends \"write-ack\" messages; its message "
                       "types: replicate, replicate-ack, anti-entropy-tree or anti-entropy-keys",
                       InputError);
}

TEST_CASE("message latency: every model sends only the message types it declares") {
  for (const ModelInfo& model : model_registry()) {
    CAPTURE(model.name);
    json doc = base_scenario(model.name, 3, {"n1", "n2", "n3"});
    doc["duration"] = "1s";
    doc["faults"] = json::parse(
        R"([{"type": "partition", "shape": "isolate", "node": "n1", "start": "300ms", "heal": "600ms"},
            {"type": "crash", "node": "n2", "at": "700ms", "restart": "800ms"}])");
    const std::set<std::string> declared(model.message_types.begin(), model.message_types.end());
    std::set<std::string> sent;
    for (const auto& l : run_story(doc, "ml-types-" + model.name))
      if (l["type"] == "send") sent.insert(l["kind"].get<std::string>());
    CHECK(!sent.empty());
    for (const auto& type : sent) {
      CAPTURE(type);
      CHECK(declared.count(type) == 1);
    }
  }
}

TEST_CASE("message latency: a slow write-ack shows in write latency, not in read latency") {
  json doc = quorum_story();
  const auto plain = run_story(doc, "ml-plain");
  doc["network"]["message_latency"] = {{"write-ack", {{"add", "20ms"}}}};
  const auto slow = run_story(doc, "ml-slow-ack");
  const auto w0 = latencies(plain, "write"), w1 = latencies(slow, "write");
  const auto r0 = latencies(plain, "read"), r1 = latencies(slow, "read");
  REQUIRE(w0.size() > 20);
  REQUIRE(w1.size() > 20);
  REQUIRE(r1.size() > 20);
  // 1 ms links: a write waits for its own replica (no time) and one other
  // (1 ms there, 1 ms + 20 ms back); a read for two replies (2 ms).
  for (auto l : w0) CHECK(l == ms(2));
  for (auto l : w1) CHECK(l == ms(22));
  for (auto l : r0) CHECK(l == ms(2));
  for (auto l : r1) CHECK(l == ms(2));
}

TEST_CASE("message latency: replace with a Pareto mixture is deterministic and replaces the link") {
  json doc = quorum_story();
  doc["network"]["default_link"]["latency"] = "50ms";
  doc["network"]["message_latency"] = {
      {"read", {{"replace", "1ms"}}},
      {"read-reply", {{"replace", json::parse(R"({"type": "mixture", "components": [
          {"weight": 0.8, "dist": "1ms"},
          {"weight": 0.2, "dist": {"type": "pareto", "scale": "2ms", "shape": 2}}]})")}}}};
  Scenario s = parse_scenario(doc, "ml.json", model_registry());
  const std::string a = run_to_text(s, "ml-pareto-a"), b = run_to_text(s, "ml-pareto-b");
  CHECK(a == b);
  // Reads no longer see the 50 ms links: 1 ms there, at least 1 ms back.
  const auto reads = latencies(parse_lines(a), "read");
  REQUIRE(reads.size() > 10);
  std::int64_t slowest = 0;
  for (auto l : reads) {
    CHECK(l >= ms(2));
    slowest = std::max(slowest, l);
  }
  CHECK(slowest < ms(50));
  CHECK(slowest > ms(2));  // some reply took the Pareto tail
}

}  // namespace message_latency_test
