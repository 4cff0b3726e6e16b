// Set and counter histories read from JSON Lines (docs/crdts.md, "History
// format"): items are compared as canonical JSON, final reads and removes'
// results reach the checkers, the register checkers never see these ops,
// and the cart and counter checkers run from the registry on a loaded
// history with both verdicts.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "jsonl_fixture.h"

using namespace consim;
using consim::testing::write_jsonl;

namespace crdt_trace_test {

namespace {

// Cart 7 starts {hat, 3}; n2 removes "hat" (it held it); the final reads
// disagree: n1 still holds "hat" (resurrected there), n2 does not.
const char* kCart = R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"add","key":"cart/7","value":"hat","node":"n1"}
{"type":"ok","time":2,"op":1,"process":0,"f":"add","key":"cart/7","value":"hat","node":"n1"}
{"type":"invoke","time":3,"op":2,"process":1,"f":"add","key":"cart/7","value":3,"node":"n2"}
{"type":"ok","time":4,"op":2,"process":1,"f":"add","key":"cart/7","value":3,"node":"n2"}
{"type":"invoke","time":5,"op":3,"process":1,"f":"remove","key":"cart/7","value":"h\u0061t","node":"n2"}
{"type":"ok","time":6,"op":3,"process":1,"f":"remove","key":"cart/7","value":"hat","result":true,"node":"n2"}
{"type":"invoke","time":7,"op":4,"process":0,"f":"read","key":"cart/7","value":null,"node":"n1"}
{"type":"ok","time":8,"op":4,"process":0,"f":"read","key":"cart/7","value":[3, "hat"],"node":"n1"}
{"type":"invoke","time":20,"op":5,"process":0,"f":"read","key":"cart/7","value":null,"final":true,"node":"n1"}
{"type":"ok","time":21,"op":5,"process":0,"f":"read","key":"cart/7","value":[3,"hat"],"final":true,"node":"n1"}
{"type":"invoke","time":22,"op":6,"process":1,"f":"read","key":"cart/7","value":null,"final":true,"node":"n2"}
{"type":"ok","time":23,"op":6,"process":1,"f":"read","key":"cart/7","value":[3],"final":true,"node":"n2"}
)";

}  // namespace

TEST_CASE("crdt history: set ops and final reads load with canonical items, apart from registers") {
  std::string text = kCart;
  text += R"({"type":"invoke","time":30,"op":7,"process":2,"f":"write","key":1,"value":5})"
          "\n";
  text += R"({"type":"ok","time":31,"op":7,"process":2,"f":"write","key":1,"value":5})"
          "\n";
  History h = load_history(write_jsonl("crdt-cart.jsonl", text));
  REQUIRE(h.ops.size() == 1);  // the register write only
  CHECK(h.ops[0].f == HistOp::Write);
  REQUIRE(h.sets.ops.size() == 3);
  CHECK(h.sets.ops[0].item == "\"hat\"");
  CHECK(h.sets.ops[1].item == "3");
  CHECK(h.sets.ops[2].item == "\"hat\"");  // "h\u0061t" is the same item
  CHECK(h.sets.ops[2].observed == std::optional<bool>(true));
  CHECK(h.sets.ops[2].line == 5);
  REQUIRE(h.sets.final_reads.size() == 2);  // the read at time 7 is not final
  CHECK(h.sets.final_reads[0].where == "n1");
  CHECK(h.sets.final_reads[0].items == std::vector<std::string>{"3", "\"hat\""});
  CHECK(h.sets.final_reads[1].items == std::vector<std::string>{"3"});
}

TEST_CASE("crdt history: the cart checker from the registry finds the resurrected remove") {
  History h = load_history(write_jsonl("crdt-cart-check.jsonl", kCart));
  nlohmann::json j;
  CheckOutcome out = run_checks(h, CheckSelection{{"cart", "linearizable"}}, j);
  CHECK(out.overall == Verdict::Invalid);
  CHECK(j["cart"]["verdict"] == "invalid");
  CHECK(j["cart"]["resurrected_removes"] == 1);
  CHECK(j["cart"]["lost_adds"] == 0);
  CHECK(j["cart"]["diverged_keys"] == 1);
  CHECK(j["cart"]["violations"][0]["ops"][0] == 5);
  CHECK(j["linearizable"]["verdict"] == "valid");  // it sees no set op
  CHECK(out.text.find("1 resurrected removes") != std::string::npos);
}

TEST_CASE("crdt history: counters, with a key only read made a counter by the header") {
  const char* text = R"(
{"type":"header","format":"consim-trace","version":1,"source":{"workload":{"type":"counter"}}}
{"type":"invoke","time":1,"op":1,"process":0,"f":"incr","key":0,"value":1,"node":"n1"}
{"type":"ok","time":2,"op":1,"process":0,"f":"incr","key":0,"value":1,"node":"n1"}
{"type":"invoke","time":3,"op":2,"process":1,"f":"incr","key":0,"value":-1,"node":"n2"}
{"type":"info","time":4,"op":2,"process":1,"f":"incr","key":0,"value":-1,"node":"n2","reason":"timeout"}
{"type":"invoke","time":10,"op":3,"process":0,"f":"read","key":0,"value":null,"final":true,"node":"n1"}
{"type":"ok","time":11,"op":3,"process":0,"f":"read","key":0,"value":0,"final":true,"node":"n1"}
{"type":"invoke","time":12,"op":4,"process":0,"f":"read","key":1,"value":null,"final":true,"node":"n1"}
{"type":"ok","time":13,"op":4,"process":0,"f":"read","key":1,"value":0,"final":true,"node":"n1"}
)";
  History h = load_history(write_jsonl("crdt-counter.jsonl", text));
  CHECK(h.ops.empty());
  REQUIRE(h.counters.ops.size() == 4);
  CHECK(h.counters.ops[1].status == ophistory::Status::Info);
  CHECK(h.counters.ops[1].value == -1);
  nlohmann::json j;
  CheckOutcome out = run_checks(h, CheckSelection{{"counter"}}, j);
  CHECK(out.overall == Verdict::Valid);  // 0 is within [0, 1]: the decrement may have happened
  CHECK(j["counter"]["final_reads"] == 2);
}

TEST_CASE("crdt history: a final read below the acknowledged increments is lost increments") {
  const char* text = R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"incr","key":"likes","value":2}
{"type":"ok","time":2,"op":1,"process":0,"f":"incr","key":"likes","value":2}
{"type":"invoke","time":10,"op":2,"process":0,"f":"read","key":"likes","value":null,"final":true}
{"type":"ok","time":11,"op":2,"process":0,"f":"read","key":"likes","value":1,"final":true}
)";
  History h = load_history(write_jsonl("crdt-counter-lost.jsonl", text));
  nlohmann::json j;
  CHECK(run_checks(h, CheckSelection{{"counter"}}, j).overall == Verdict::Invalid);
  CHECK(j["counter"]["lost_increments"] == 1);
}

TEST_CASE("crdt history: bad set and counter lines are named by line and field") {
  auto error_of = [](const std::string& name, const std::string& text) -> std::string {
    try {
      load_history(write_jsonl(name, text));
    } catch (const InputError& e) {
      return e.what();
    }
    return "";
  };
  std::string e =
      error_of("crdt-bad-incr.jsonl",
               R"({"type":"invoke","time":1,"process":0,"f":"incr","key":0,"value":"x"})");
  CHECK(e.find("line 1: field \"value\" must be an integer or null, got a string") !=
        std::string::npos);
  e = error_of("crdt-bad-add.jsonl",
               R"({"type":"invoke","time":1,"process":0,"f":"add","key":0,"value":null})");
  CHECK(e.find("line 1: field \"value\" of an add or remove must be its item, got null") !=
        std::string::npos);
  e = error_of("crdt-mixed.jsonl", std::string(R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"incr","key":0,"value":1}
{"type":"ok","time":2,"op":1,"process":0,"f":"incr","key":0,"value":1}
{"type":"invoke","time":3,"op":2,"process":0,"f":"add","key":0,"value":1}
{"type":"ok","time":4,"op":2,"process":0,"f":"add","key":0,"value":1}
)"));
  CHECK(e.find("key 0 has set operations and counter operations") != std::string::npos);
}

}  // namespace crdt_trace_test
