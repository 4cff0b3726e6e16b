// Sets and counters on the quorum and causal stores (docs/crdts.md,
// "quorum" and "causal"): the cart and likes-counter scenarios give each
// merge the verdict it gives on eventual-async, a strict quorum refuses the
// minority side's updates instead of diverging, and the loader names the
// parameters these stores cannot combine with CRDTs.
#include <doctest/doctest.h>

#include "analysis/checkers/cart_check.h"
#include "analysis/checkers/counter_check.h"
#include "base/json_input.h"
#include "tests/unit/story_history.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_crdt_stores_test {

namespace {

json scenario_on(const std::string& file, const std::string& model, json params) {
  json doc = scenario_file(file);
  doc["model"] = {{"name", model}, {"params", std::move(params)}};
  return doc;
}

CartCheck cart(const std::string& model, json params, const std::string& kind) {
  params["set"] = kind;
  return check_cart(
      run_history(scenario_on("cart-partition.json", model, params), "stores-cart-" + kind).sets);
}

CounterCheck likes(const std::string& model, json params, const std::string& kind) {
  params["counter"] = kind;
  return check_counter(
      run_history(scenario_on("likes-counter.json", model, params), "stores-likes-" + kind)
          .counters);
}

std::string load_error(const json& doc) {
  try {
    parse_scenario(doc, "s.json", model_registry());
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// r = w = 1: both sides of the partition stay writable, as on eventual-async.
const json kPartialQuorum = {{"r", 1}, {"w", 1}, {"anti_entropy", "1s"}};

}  // namespace

TEST_CASE("cart-partition on causal: the OR-set is valid, naive merges and lww lose or resurrect") {
  CartCheck orset = cart("causal", json::object(), "or-set");
  CHECK(orset.result.verdict == Verdict::Valid);
  CHECK(orset.acknowledged_adds > 100);
  CHECK(orset.diverged_keys == 0);
  CartCheck naive = cart("causal", json::object(), "naive-union");
  CHECK(naive.result.verdict == Verdict::Invalid);
  CHECK(naive.resurrected_removes > 0);
  CartCheck lww = cart("causal", json::object(), "lww-whole");
  CHECK(lww.result.verdict == Verdict::Invalid);
  CHECK(lww.lost_adds > 0);
  CHECK(cart("causal", json::object(), "naive-tombstones").lost_adds > 0);
}

TEST_CASE("cart-partition on a partial quorum (r = w = 1): OR-set valid, naive and lww counted") {
  CartCheck orset = cart("quorum", kPartialQuorum, "or-set");
  CHECK(orset.result.verdict == Verdict::Valid);
  CHECK(orset.acknowledged_adds > 100);
  CHECK(orset.diverged_keys == 0);
  CHECK(cart("quorum", kPartialQuorum, "naive-union").resurrected_removes > 0);
  CHECK(cart("quorum", kPartialQuorum, "lww-whole").lost_adds > 0);
  CHECK(cart("quorum", kPartialQuorum, "naive-tombstones").lost_adds > 0);
}

TEST_CASE("cart-partition on a strict quorum: the minority side is refused, nothing diverges") {
  CartCheck strict = cart("quorum", json::object(), "or-set");
  CartCheck partial = cart("quorum", kPartialQuorum, "or-set");
  CHECK(strict.result.verdict == Verdict::Valid);
  CHECK(strict.acknowledged_adds > 0);
  CHECK(strict.acknowledged_adds < partial.acknowledged_adds);  // refused during the partition
  // With r + w > n a remove's read sees every acknowledged add, so even the
  // naive union brings nothing back.
  CHECK(cart("quorum", json::object(), "naive-union").result.verdict == Verdict::Valid);
}

TEST_CASE("likes-counter on causal and quorum: the PN-counter loses nothing, a register loses") {
  for (const auto& [model, params] : std::vector<std::pair<std::string, json>>{
           {"causal", json::object()}, {"quorum", kPartialQuorum}}) {
    INFO(model);
    CounterCheck pn = likes(model, params, "pn-counter");
    CHECK(pn.result.verdict == Verdict::Valid);
    CHECK(pn.final_reads == 8);  // 2 counters x 4 nodes
    CHECK(pn.lost_increments == 0);
    CounterCheck lww = likes(model, params, "lww-register");
    CHECK(lww.result.verdict == Verdict::Invalid);
    CHECK(lww.lost_increments > 0);
  }
}

TEST_CASE("loader: sloppy quorums and causal timestamps are register-only, named at their key") {
  json doc = scenario_on("cart-partition.json", "quorum", {{"sloppy", true}});
  CHECK(load_error(doc) ==
        "s.json: $.model.params.sloppy: a sloppy quorum (hinted handoff) holds register versions "
        "only; with a set workload use a strict quorum (sloppy: false)");
  doc = scenario_on("likes-counter.json", "causal", {{"timestamps", "lamport"}});
  CHECK(load_error(doc) ==
        "s.json: $.model.params.timestamps: stamps order register writes; the keys of a counter "
        "workload are CRDTs, which merge by their own rule (\"set\", \"counter\")");
  doc = scenario_on("likes-counter.json", "quorum", {{"set", "or-set"}});
  CHECK(load_error(doc).find("s.json: $.model.params.set: the workload's keys are counters") == 0);
}

TEST_CASE("quorum and causal sets replay byte for byte") {
  for (const std::string model : {"quorum", "causal"}) {
    Scenario s = parse_scenario(scenario_on("cart-partition.json", model, json::object()),
                                "cart.json", model_registry());
    CHECK(run_to_text(s, "stores-det-a") == run_to_text(s, "stores-det-b"));
  }
}

}  // namespace story_crdt_stores_test
