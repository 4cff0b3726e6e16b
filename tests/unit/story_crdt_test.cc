// Sets and counters through the simulator (docs/crdts.md): the cart and
// likes-counter scenarios give the verdicts their descriptions promise
// under each merge, final reads cover every key at every node, and the
// loader rejects set and counter workloads a model or a workload cannot run.
#include <doctest/doctest.h>

#include "analysis/checkers/cart_check.h"
#include "analysis/checkers/counter_check.h"
#include "base/json_input.h"
#include "models/crdt/any_set.h"
#include "tests/unit/story_history.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_crdt_test {

namespace {

CartCheck cart_under(json doc, const std::string& kind) {
  doc["model"]["params"]["set"] = kind;
  return check_cart(run_history(doc, "crdt-cart-" + kind).sets);
}

CounterCheck counter_under(json doc, const std::string& kind) {
  doc["model"]["params"]["counter"] = kind;
  return check_counter(run_history(doc, "crdt-likes-" + kind).counters);
}

std::string load_error(const json& doc) {
  try {
    parse_scenario(doc, "s.json", model_registry());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("cart-partition: the OR-set loses no add and brings back no removed item") {
  CartCheck c = cart_under(scenario_file("cart-partition.json"), "or-set");
  CHECK(c.result.verdict == Verdict::Valid);
  CHECK(c.lost_adds == 0);
  CHECK(c.resurrected_removes == 0);
  CHECK(c.phantom_items == 0);
  CHECK(c.diverged_keys == 0);
  CHECK(c.acknowledged_adds > 100);
  CHECK(c.acknowledged_removes > 30);
}

TEST_CASE("cart-partition: naive union brings removed items back after the heal") {
  CartCheck c = cart_under(scenario_file("cart-partition.json"), "naive-union");
  CHECK(c.result.verdict == Verdict::Invalid);
  CHECK(c.resurrected_removes > 0);
  CHECK(c.lost_adds == 0);
  REQUIRE(!c.result.violations.empty());
  CHECK(c.result.violations.front().checker == "cart");
}

TEST_CASE("cart-partition: last writer wins on the whole cart loses one side's adds") {
  CartCheck c = cart_under(scenario_file("cart-partition.json"), "lww-whole");
  CHECK(c.result.verdict == Verdict::Invalid);
  CHECK(c.lost_adds > 0);
  CHECK(c.diverged_keys == 0);  // wrong, but converged: every node holds the winner
}

TEST_CASE("cart-partition: tombstones lose the re-adds of removed items") {
  CartCheck c = cart_under(scenario_file("cart-partition.json"), "naive-tombstones");
  CHECK(c.result.verdict == Verdict::Invalid);
  CHECK(c.lost_adds > 0);
  CHECK(c.resurrected_removes == 0);
}

TEST_CASE("cart-partition on multi-leader: one leader per side, the OR-set still loses nothing") {
  json doc = scenario_file("cart-partition.json");
  doc["network"]["regions"] = {{{"name", "left"}, {"nodes", {"n1", "n2"}}},
                               {{"name", "right"}, {"nodes", {"n3", "n4"}}}};
  doc["network"]["inter_region"] = doc["network"]["default_link"];
  doc["model"] = {{"name", "multi-leader"}, {"params", {{"retry_max", "500ms"}}}};
  CartCheck orset = cart_under(doc, "or-set");
  CHECK(orset.result.verdict == Verdict::Valid);
  CHECK(orset.acknowledged_adds > 100);
  CHECK(cart_under(doc, "naive-union").resurrected_removes > 0);
}

TEST_CASE("likes-counter: the PN-counter loses no increment, a register counter loses some") {
  json doc = scenario_file("likes-counter.json");
  CounterCheck pn = counter_under(doc, "pn-counter");
  CHECK(pn.result.verdict == Verdict::Valid);
  CHECK(pn.final_reads == 8);  // 2 counters x 4 nodes
  CHECK(pn.lost_increments == 0);
  CHECK(pn.stale_reads > 0);  // reads during the partitions lag, and are only counted
  CounterCheck lww = counter_under(doc, "lww-register");
  CHECK(lww.result.verdict == Verdict::Invalid);
  CHECK(lww.lost_increments > 0);
  CHECK(lww.invented_increments == 0);
}

TEST_CASE("final reads: every node reads every key once, after the run, marked final") {
  json doc = scenario_file("cart-partition.json");
  auto lines = run_story(doc, "crdt-final");
  std::map<std::pair<std::string, std::int64_t>, int> reads;  // (node, key) -> ok final reads
  for (const auto& l : lines) {
    if (l["type"] != "ok" || !l.contains("final")) continue;
    CHECK(l["final"] == true);
    CHECK(l["f"] == "read");
    CHECK(l["value"].is_array());
    CHECK(l["time"].get<std::int64_t>() >= 11'000'000'000);
    ++reads[{l["node"].get<std::string>(), l["key"].get<std::int64_t>()}];
  }
  CHECK(reads.size() == 4 * 2);
  for (const auto& [where, n] : reads) CHECK(n == 1);
}

TEST_CASE("set trace lines: adds and removes carry the item, a remove's ok says if it was held") {
  auto lines = run_story(scenario_file("cart-partition.json"), "crdt-lines");
  bool held_true = false, held_false = false;
  for (const auto& l : lines) {
    if (l["type"] != "ok" || l["f"] != "remove") continue;
    CHECK(l["value"].is_number_integer());
    REQUIRE(l.contains("result"));
    (l["result"] == true ? held_true : held_false) = true;
  }
  CHECK(held_true);
  CHECK(held_false);
}

TEST_CASE("loader: a register-only model given a set workload names $.workload.type") {
  json doc = scenario_file("cart-partition.json");
  doc["model"] = "raft";
  std::string e = load_error(doc);
  CHECK(e.find("s.json: $.workload.type: model \"raft\" does not run the set workload (it "
               "runs: register); models that do: ") == 0);
  for (const ModelInfo& m : model_registry())  // every model that holds sets is named
    if (serves(m.name, "set")) CHECK(e.find(m.name) != std::string::npos);
}

TEST_CASE("loader: sets and counters need final reads after every client's stop and timeout") {
  json doc = scenario_file("likes-counter.json");
  doc["workload"].erase("final_reads");
  CHECK(load_error(doc).find("s.json: $.workload: a counter workload needs \"final_reads\"") == 0);
  doc = scenario_file("likes-counter.json");
  doc["workload"]["final_reads"] = "9200ms";
  CHECK(load_error(doc) ==
        "s.json: $.workload.final_reads: final reads at 9.2s come before the workload's stop (9s) "
        "plus its timeout (500ms): give a \"stop\" so that every operation has ended before the "
        "final reads");
}

TEST_CASE("loader: the merge is named by the model's set or counter parameter") {
  json doc = scenario_file("cart-partition.json");
  doc["model"]["params"]["set"] = "or-sett";
  std::string e = load_error(doc);
  CHECK(e.find("s.json: $.model.params.set: unknown set \"or-sett\"; valid: ") == 0);
  for (const auto& k : crdt::set_kinds()) CHECK(e.find(std::string(k.name)) != std::string::npos);
  doc["model"]["params"].erase("set");
  doc["model"]["params"]["counter"] = "pn-counter";
  CHECK(load_error(doc).find("s.json: $.model.params.counter: the workload's keys are sets") == 0);
  doc = scenario_file("likes-counter.json");
  doc["workload"]["cas_fraction"] = 0.1;
  CHECK(load_error(doc) ==
        "s.json: $.workload.cas_fraction: \"cas_fraction\" is for registers, and this "
        "workload's type is \"counter\"");
}

TEST_CASE("loader: a g-counter with a workload that decrements is an error at its parameter") {
  json doc = scenario_file("likes-counter.json");
  doc["model"]["params"]["counter"] = "g-counter";
  CHECK(load_error(doc) ==
        "s.json: $.model.params.counter: a g-counter cannot be decremented, and the workload "
        "decrements (decrement_fraction above 0): use \"pn-counter\"");
  doc["workload"]["decrement_fraction"] = 0;
  CHECK(load_error(doc).empty());
}

TEST_CASE("sets and counters replay byte for byte") {
  json doc = scenario_file("likes-counter.json");
  Scenario s = parse_scenario(doc, "likes.json", model_registry());
  CHECK(run_to_text(s, "crdt-det-a") == run_to_text(s, "crdt-det-b"));
}

}  // namespace story_crdt_test
