// Building histories: pairing completions with invokes by "op" and, without
// it, by process (Jepsen); outcomes; and the input errors a user sees.
#include <doctest/doctest.h>

#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "tests/unit/jsonl_fixture.h"

using namespace consim;
using consim::testing::write_jsonl;

namespace history_test {

namespace {

InputError load_error(const std::string& name, const std::string& text) {
  try {
    load_history(write_jsonl(name, text));
  } catch (const InputError& e) {
    return e;
  }
  FAIL("no error for " << name);
  return InputError("", "", "");
}

}  // namespace

TEST_CASE("history: completions pair with invokes by op, even out of order") {
  History h = load_history(write_jsonl("pair-by-op.jsonl", R"(
{"type":"header","format":"consim-trace","version":1,"nodes":["n1","n2"]}
{"type":"invoke","time":1,"op":7,"process":0,"f":"write","key":3,"value":10,"node":"n2"}
{"type":"invoke","time":2,"op":8,"process":0,"f":"read","key":3,"value":null,"node":"n1"}
{"type":"ok","time":5,"op":8,"process":0,"f":"read","key":3,"value":10,"node":"n1"}
{"type":"send","time":5,"msg":1,"from":"n1","to":"n2","kind":"k","bytes":1}
{"type":"fail","time":6,"op":7,"process":0,"f":"write","key":3,"value":10,"reason":"no"}
)"));
  REQUIRE(h.ops.size() == 2);
  const Operation& w = h.ops[0];
  CHECK(w.invoke_line == 2);
  CHECK(w.complete_line == 6);
  CHECK(w.outcome == Outcome::Fail);
  CHECK(w.complete_time == 6);
  CHECK(w.value == 10);
  CHECK(h.node_names[w.node] == "n2");
  const Operation& r = h.ops[1];
  CHECK(r.invoke_line == 3);
  CHECK(r.complete_line == 4);
  CHECK(r.outcome == Outcome::Ok);
  CHECK(r.value == 10);
  CHECK(r.complete_time == 5);
  CHECK(h.key_names[r.key] == "3");
}

TEST_CASE("history: without op ids a completion pairs with its process's invoke") {
  History h = load_history(write_jsonl("pair-by-process.jsonl", R"(
{"type":"invoke","time":1,"process":0,"f":"write","key":"x","value":1}
{"type":"invoke","time":1,"process":1,"f":"read","key":"x","value":null}
{"type":"info","time":4,"process":0,"f":"write","key":"x","value":1}
{"type":"ok","time":5,"process":1,"f":"read","key":"x","value":null}
{"type":"invoke","time":6,"process":0,"f":"read","key":"x","value":null}
{"type":"invoke","time":7,"process":1,"f":"write","key":"x","value":2}
)"));
  REQUIRE(h.ops.size() == 4);
  // A timed-out write: outcome unknown, no end.
  CHECK(h.ops[0].outcome == Outcome::Info);
  CHECK(h.ops[0].complete_line == 3);
  CHECK(h.ops[0].complete_time == kTimeMax);
  CHECK(h.ops[1].outcome == Outcome::Ok);
  CHECK(h.ops[1].complete_line == 4);
  CHECK_FALSE(h.ops[1].value.has_value());
  // Never completed: info, no end, no completion line.
  CHECK(h.ops[2].outcome == Outcome::Info);
  CHECK(h.ops[2].complete_line == 0);
  CHECK(h.ops[3].complete_time == kTimeMax);
  CHECK(h.ops[3].value == 2);
}

TEST_CASE("history: a completion with nothing outstanding names its line") {
  InputError e = load_error("orphan.jsonl", R"(
{"type":"invoke","time":1,"process":0,"f":"read","key":1,"value":null}
{"type":"ok","time":2,"process":0,"f":"read","key":1,"value":null}
{"type":"ok","time":3,"process":0,"f":"read","key":1,"value":null}
)");
  CHECK(e.path() == "line 3");
  CHECK(e.message() == "ok on process 0, which has no outstanding operation");
  e = load_error("orphan-op.jsonl",
                 R"({"type":"info","time":3,"op":4,"process":0,"f":"read","key":1})");
  CHECK(e.message() == "info for op 4, which was never invoked");
}

TEST_CASE("history: a second invoke while one is outstanding names both lines") {
  InputError e = load_error("two-outstanding.jsonl", R"(
{"type":"invoke","time":1,"process":2,"f":"read","key":1,"value":null}
{"type":"invoke","time":2,"process":2,"f":"write","key":1,"value":5}
)");
  CHECK(e.path() == "line 2");
  CHECK(e.message() ==
        "process 2 invokes an operation while its operation at line 1 is still outstanding");
}

TEST_CASE("history: op ids of any size pair, and a repeated one is named, near or far") {
  // Ids below twice the ops so far (+1024) and ids far past them are kept
  // apart (history_loader.h); pairing and errors must not tell them apart.
  History h = load_history(write_jsonl("far-op-ids.jsonl", R"(
{"type":"invoke","time":1,"op":5,"process":0,"f":"write","key":1,"value":1}
{"type":"invoke","time":2,"op":3000000000000,"process":1,"f":"write","key":1,"value":2}
{"type":"invoke","time":3,"op":2000,"process":2,"f":"write","key":1,"value":3}
{"type":"ok","time":4,"op":2000,"process":2,"f":"write","key":1,"value":3}
{"type":"ok","time":5,"op":3000000000000,"process":1,"f":"write","key":1,"value":2}
{"type":"invoke","time":6,"op":1000,"process":2,"f":"read","key":1,"value":null}
{"type":"ok","time":7,"op":5,"process":0,"f":"write","key":1,"value":1}
{"type":"ok","time":8,"op":1000,"process":2,"f":"read","key":1,"value":1}
)"));
  REQUIRE(h.ops.size() == 4);
  CHECK(h.ops[0].complete_line == 7);
  CHECK(h.ops[1].complete_line == 5);
  CHECK(h.ops[2].complete_line == 4);
  CHECK(h.ops[3].complete_line == 8);
  const char* head = R"(
{"type":"invoke","time":1,"op":5,"process":0,"f":"write","key":1,"value":1}
{"type":"invoke","time":2,"op":3000000000000,"process":1,"f":"write","key":1,"value":2}
)";
  InputError far = load_error("far-twice.jsonl", std::string(head) + R"(
{"type":"invoke","time":3,"op":3000000000000,"process":2,"f":"write","key":1,"value":3}
)");
  CHECK(far.message() == "op 3000000000000 is invoked twice (lines 2 and 4)");
  InputError near = load_error("near-twice.jsonl", std::string(head) + R"(
{"type":"invoke","time":3,"op":5,"process":2,"f":"write","key":1,"value":3}
)");
  CHECK(near.message() == "op 5 is invoked twice (lines 1 and 4)");
  InputError never = load_error("never-invoked.jsonl", std::string(head) + R"(
{"type":"ok","time":3,"op":4,"process":2,"f":"write","key":1,"value":3}
)");
  CHECK(never.message() == "ok for op 4, which was never invoked");
}

TEST_CASE("history: a completion that does not match its invoke is rejected") {
  InputError e = load_error("mismatch.jsonl", R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"read","key":1,"value":null}
{"type":"ok","time":2,"op":1,"process":0,"f":"read","key":2,"value":null}
)");
  CHECK(e.path() == "line 2");
  CHECK(e.message() == "completion is for key 2 but its invoke (line 1) was for key 1");
}

TEST_CASE("history: a value written twice to one key loads (Jepsen writes small values again)") {
  History h = load_history(write_jsonl("double-write.jsonl", R"(
{"type":"invoke","time":1,"process":0,"f":"write","key":"k","value":7}
{"type":"ok","time":2,"process":0,"f":"write","key":"k","value":7}
{"type":"invoke","time":5,"process":1,"f":"write","key":"k","value":7}
{"type":"ok","time":6,"process":1,"f":"write","key":"k","value":7}
)"));
  REQUIRE(h.ops.size() == 2);
  CHECK(h.ops[1].value == 7);
}

TEST_CASE("history: cas lines give expected, new value and whether the comparison held") {
  History h = load_history(write_jsonl("cas.jsonl", R"(
{"type":"invoke","time":1,"process":0,"f":"cas","key":1,"value":[3, 4]}
{"type":"ok","time":2,"process":0,"f":"cas","key":1,"value":[3,4]}
{"type":"invoke","time":3,"process":0,"f":"cas","key":1,"value":[4,5]}
{"type":"ok","time":4,"process":0,"f":"cas","key":1,"value":[4,5],"result":false}
{"type":"invoke","time":5,"process":0,"f":"cas","key":1,"value":[4,6]}
{"type":"fail","time":6,"process":0,"f":"cas","key":1}
{"type":"invoke","time":7,"process":1,"f":"cas","key":1,"value":[6,7]}
{"type":"info","time":8,"process":1,"f":"cas","key":1,"value":null}
)"));
  REQUIRE(h.ops.size() == 4);
  CHECK(h.ops[0].f == HistOp::Cas);
  CHECK(h.ops[0].expected == 3);
  CHECK(h.ops[0].value == 4);
  CHECK(h.ops[0].outcome == Outcome::Ok);
  CHECK_FALSE(h.ops[0].cas_failed);
  CHECK(h.ops[1].cas_failed);
  CHECK(h.ops[2].outcome == Outcome::Fail);
  CHECK(h.ops[3].outcome == Outcome::Info);
  CHECK(h.ops[3].value == 7);
}

TEST_CASE("history: a cas without [expected, new], or a completion naming another, is rejected") {
  InputError e = load_error("cas-no-pair.jsonl", R"(
{"type":"invoke","time":1,"process":0,"f":"cas","key":1,"value":3}
)");
  CHECK(e.path() == "line 1");
  CHECK(e.message() ==
        "field \"value\" must be [expected, new] (two integers) for a cas, got a number 3");
  e = load_error("cas-other.jsonl", R"(
{"type":"invoke","time":1,"process":0,"f":"cas","key":1,"value":[3,4]}
{"type":"ok","time":2,"process":0,"f":"cas","key":1,"value":[3,5]}
)");
  CHECK(e.path() == "line 2");
  CHECK(e.message() == "completion carries cas [3, 5] but its invoke (line 1) was cas [3, 4]");
  e = load_error("cas-result.jsonl", R"(
{"type":"invoke","time":1,"process":0,"f":"cas","key":1,"value":[3,4]}
{"type":"ok","time":2,"process":0,"f":"cas","key":1,"result":"no"}
)");
  CHECK(e.message() == "field \"result\" must be true or false, got a string no");
}

TEST_CASE("history: the streaming builder gives the same history as the loader") {
  std::string path = write_jsonl("builder.jsonl", R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"write","key":3,"value":1}
{"type":"ok","time":2,"op":1,"process":0,"f":"write","key":3,"value":1}
)");
  TraceNames names;
  names.keys = {"3"};
  TraceEvent invoke;
  invoke.line = 1, invoke.type = EventType::Invoke, invoke.time = 1, invoke.op = 1;
  invoke.has_op = true, invoke.f = HistOp::Write, invoke.key = 0, invoke.value = 1;
  TraceEvent ok = invoke;
  ok.line = 2, ok.type = EventType::Ok, ok.time = 2;
  History built = history_from_events({invoke, ok}, names, path);
  History loaded = load_history(path);
  REQUIRE(built.ops.size() == 1);
  CHECK(built.ops[0].complete_line == loaded.ops[0].complete_line);
  CHECK(built.ops[0].outcome == Outcome::Ok);
  CHECK(built.key_names == loaded.key_names);
}

}  // namespace history_test
