// The streaming trace reader: every line type parses into the right
// TraceEvent fields, names are interned, and bad lines are rejected with the
// file, "line N" and the field at fault.
#include "analysis/trace/trace_reader.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "base/json_input.h"
#include "tests/unit/jsonl_fixture.h"

using namespace consim;
using consim::testing::write_jsonl;

namespace trace_reader_test {

namespace {

std::vector<TraceEvent> read_all(TraceReader& reader) {
  std::vector<TraceEvent> out;
  TraceEvent e;
  while (reader.next(e)) out.push_back(e);
  return out;
}

// The InputError thrown when reading `text`, or a failed check.
InputError error_of(const std::string& name, const std::string& text) {
  std::string path = write_jsonl(name, text);
  try {
    TraceReader reader(path);
    read_all(reader);
  } catch (const InputError& e) {
    CHECK(e.file() == path);
    return e;
  }
  FAIL("no error for " << name);
  return InputError("", "", "");
}

}  // namespace

TEST_CASE("trace reader: every line type parses into its fields") {
  std::string path = write_jsonl("all-types.jsonl", R"(
{"type":"header","format":"consim-trace","version":1,"seed":42,"model":"eventual-async","nodes":["n1","n2","n3"],"params":{"a":[1,{"b":null}]}}
{"type":"invoke","time":1000,"op":1,"process":0,"f":"write","key":3,"value":1,"node":"n2"}
{"type":"ok","time":3400,"op":1,"process":0,"f":"write","key":3,"value":1,"node":"n2"}
{"type":"invoke","time":3500,"op":2,"process":1,"f":"read","key":"x","value":null,"node":"n1"}
{"type":"fail","time":3600,"op":2,"process":1,"f":"read","key":"x","value":null,"reason":"refused"}
{"type":"info","time":3600,"op":3,"process":2,"f":"read","key":3,"reason":"timeout"}
{"type":"apply","time":3600,"node":"n2","key":3,"value":1}
{"type":"note","time":3700,"node":"n3","what":"in-doubt","detail":"txn 7 key 3"}
{"type":"send","time":3800,"msg":9,"from":"n1","to":"n4","kind":"replicate","bytes":120}
{"type":"deliver","time":3900,"msg":9,"from":"n1","to":"n4","kind":"replicate"}
{"type":"drop","time":3900,"msg":9,"from":"n1","to":"n4","kind":"replicate","reason":"loss"}
{"type":"duplicate","time":3900,"msg":9,"from":"n1","to":"n4","kind":"replicate"}
{"type":"hold","time":3900,"msg":9,"from":"n1","to":"n4","kind":"replicate"}
{"type":"fault","time":4000,"fault":"split","kind":"partition","edge":"begin","action":"partition","label":"split: n1,n2 | n3,n5","shape":"halves","sides":[["n1","n2"],["n3","n\u0035"]],"cuts":[["n1","n3"]]}
{"type":"fault","time":5000,"fault":"split","kind":"partition","edge":"end","action":"heal","label":"split: heal"}
{"type":"fault","time":5000,"fault":"c1","kind":"crash","edge":"begin","action":"crash","label":"c1: crash n1","node":"n1","down":true}
{"type":"fault","time":5000,"fault":"c1","kind":"crash","edge":"end","action":"restart","label":"c1: restart n1","node":"n1","down":true}
{"type":"fault","time":5000,"fault":"p","kind":"pause","edge":"begin","action":"pause","label":"p: pause n2","node":"n2"}
{"type":"fault","time":5000,"fault":"p","kind":"pause","edge":"end","action":"resume","label":"p: resume n2","node":"n2"}
{"type":"fault","time":5000,"fault":"skew","kind":"a-kind-this-reader-never-heard-of","edge":"begin","action":"skew","label":"skew: n3","node":"n3","offset":-5}
{"type":"gossip-round","time":5001,"anything":[1,2]}

{"type":"end","time":6000,"events":123}
)");
  TraceReader reader(path);
  auto ev = read_all(reader);
  REQUIRE(ev.size() == 22);  // 23 lines, one blank
  const TraceNames& names = reader.names();
  // Header: kept whole; its nodes are interned first, in order.
  CHECK(ev[0].type == EventType::Header);
  CHECK(reader.header()["seed"] == 42);
  CHECK(reader.header()["params"]["a"][1].contains("b"));
  CHECK(names.nodes[0] == "n1");
  CHECK(names.nodes[2] == "n3");
  // Operations.
  CHECK(ev[1].type == EventType::Invoke);
  CHECK(ev[1].line == 2);
  CHECK(ev[1].time == 1000);
  CHECK(ev[1].has_op);
  CHECK(ev[1].op == 1);
  CHECK(ev[1].process == 0);
  CHECK(ev[1].f == HistOp::Write);
  CHECK(names.keys[ev[1].key] == "3");
  CHECK(ev[1].value == 1);
  CHECK(names.nodes[ev[1].node] == "n2");
  CHECK(ev[2].type == EventType::Ok);
  CHECK(ev[3].f == HistOp::Read);
  CHECK(names.keys[ev[3].key] == "x");
  CHECK_FALSE(ev[3].value.has_value());
  CHECK(ev[4].type == EventType::Fail);
  CHECK(ev[4].node == kNone);
  CHECK(ev[5].type == EventType::Info);
  CHECK(ev[5].key == ev[1].key);  // integer key 3 interned once
  // Replica state and notes.
  CHECK(ev[6].type == EventType::Apply);
  CHECK(names.nodes[ev[6].node] == "n2");
  CHECK(ev[6].value == 1);
  CHECK(ev[7].type == EventType::Note);
  CHECK(names.nodes[ev[7].node] == "n3");
  CHECK(names.notes[ev[7].what] == "in-doubt");
  CHECK_FALSE(ev[7].lasted.has_value());
  // Network.
  CHECK(ev[8].type == EventType::Send);
  CHECK(ev[8].msg == 9);
  CHECK(names.nodes[ev[8].from] == "n1");
  CHECK(names.nodes[ev[8].to] == "n4");
  CHECK(names.kinds[ev[8].kind] == "replicate");
  CHECK(ev[8].bytes == 120);
  CHECK(ev[9].type == EventType::Deliver);
  CHECK(ev[10].type == EventType::Drop);
  CHECK(ev[11].type == EventType::Duplicate);
  CHECK(ev[12].type == EventType::Hold);
  // Faults; the escaped "n\u0035" is n5.
  // One line shape for every kind: the reader knows no list of kinds.
  for (int i = 13; i <= 19; ++i) CHECK(ev[i].type == EventType::Fault);
  CHECK(names.faults[ev[13].fault] == "split");
  CHECK(names.fault_kinds[ev[13].fault_kind] == "partition");
  CHECK_FALSE(ev[13].fault_end);
  CHECK(names.labels[ev[13].label] == "split: n1,n2 | n3,n5");
  REQUIRE(ev[13].sides.size() == 2);
  CHECK(names.nodes[ev[13].sides[0][1]] == "n2");
  CHECK(names.nodes[ev[13].sides[1][1]] == "n5");
  CHECK(ev[14].fault_end);
  CHECK(names.actions[ev[14].action] == "heal");
  CHECK(ev[14].fault == ev[13].fault);
  CHECK(names.nodes[ev[15].node] == "n1");
  CHECK(ev[15].down);
  CHECK(ev[16].fault_end);
  CHECK_FALSE(ev[17].down);
  CHECK(ev[18].fault_end);
  CHECK(names.fault_kinds[ev[19].fault_kind] == "a-kind-this-reader-never-heard-of");
  CHECK(names.nodes[ev[19].node] == "n3");
  // Unknown types are skipped by the analyses, not rejected; blank lines count.
  CHECK(ev[20].type == EventType::Other);
  CHECK(ev[20].line == 21);
  CHECK(ev[20].time == 5001);
  CHECK(ev[21].type == EventType::End);
  CHECK(ev[21].line == 23);
}

TEST_CASE("trace reader: the end line comes last and a history needs no header") {
  std::string path = write_jsonl("history-no-header.jsonl", R"(
{"type":"invoke","process":4,"f":"read","key":"acct-1","value":null,"time":10}
{"process":4,"f":"read","key":"acct-1","value":-3,"time":12,"type":"ok"}
)");
  TraceReader reader(path);
  auto ev = read_all(reader);
  REQUIRE(ev.size() == 2);
  CHECK(reader.header().is_null());
  CHECK_FALSE(ev[0].has_op);
  CHECK(ev[1].type == EventType::Ok);
  CHECK(ev[1].value == -3);
  CHECK(reader.names().keys == std::vector<std::string>{"acct-1"});
}

TEST_CASE("trace reader: escaped and non-ASCII names are decoded whole") {
  std::string path = write_jsonl(
      "escapes.jsonl", R"({"type":"note","time":1,"node":"a\tb\"c\u00e9d\ud83d\ude00é/e\/"})"
                       "\n");
  TraceReader reader(path);
  auto ev = read_all(reader);
  REQUIRE(ev.size() == 1);
  CHECK(reader.names().nodes[ev[0].node] == "a\tb\"c\u00e9d\U0001F600\u00e9/e/");
}

TEST_CASE("trace reader: a line that is not JSON is named by its line") {
  InputError e =
      error_of("not-json.jsonl", "{\"type\":\"end\",\"time\":1}\n{\"type\":\"end\",\"time\":2,}\n");
  CHECK(e.path() == "line 2");
  CHECK(e.message().find("not JSON") == 0);
  e = error_of("not-json-2.jsonl", "{\"type\":\"end\",\"time\":1} x\n");
  CHECK(e.path() == "line 1");
  e = error_of("not-json-3.jsonl", "[1,2]\n");
  CHECK(e.message().find("not JSON") == 0);
  e = error_of("not-json-4.jsonl", "{\"type\":\"end\",\"time\":01}\n");
  CHECK(e.message().find("not JSON") == 0);
}

TEST_CASE("trace reader: a line without a type is rejected") {
  InputError e = error_of("no-type.jsonl", "{\"type\":\"end\",\"time\":1}\n\n{\"time\":2}\n");
  CHECK(e.path() == "line 3");
  CHECK(e.message() == "missing \"type\"");
}

TEST_CASE("trace reader: a known line missing a required field names the field") {
  InputError e = error_of("missing-process.jsonl",
                          R"({"type":"invoke","time":1,"f":"read","key":1,"value":null})");
  CHECK(e.path() == "line 1");
  CHECK(e.message() == "\"invoke\" line is missing required field \"process\"");
  e = error_of("missing-edge.jsonl", R"({"type":"fault","time":1,"fault":"p","kind":"partition"})");
  CHECK(e.message() == "\"fault\" line is missing required field \"edge\"");
  e = error_of("missing-time.jsonl", R"({"type":"fault","fault":"p"})");
  CHECK(e.message() == "\"fault\" line is missing required field \"time\"");
  e = error_of("bad-edge.jsonl",
               R"({"type":"fault","time":1,"fault":"p","kind":"loss","edge":"middle"})");
  CHECK(e.message() == "field \"edge\" must be \"begin\" or \"end\", got \"middle\"");
  e = error_of("missing-read-value.jsonl",
               R"({"type":"ok","time":1,"process":0,"f":"read","key":1})");
  CHECK(e.message() == "\"ok\" line is missing required field \"value\"");
}

TEST_CASE("trace reader: a field of the wrong type names the field and what it got") {
  InputError e = error_of("string-time.jsonl", R"({"type":"end","time":"5ms"})");
  CHECK(e.message() == "field \"time\" must be a 64-bit integer, got a string 5ms");
  e = error_of("float-key.jsonl",
               R"({"type":"invoke","time":1,"process":0,"f":"read","key":1.5,"value":null})");
  CHECK(e.message() == "field \"key\" must be an integer or a string, got a number 1.5");
  e = error_of("bad-f.jsonl",
               R"({"type":"invoke","time":1,"process":0,"f":"append","key":1,"value":null})");
  CHECK(e.message() ==
        "field \"f\" must be \"read\", \"write\", \"cas\", \"transfer\", \"add\", \"remove\" or "
        "\"incr\", got \"append\"");
  e = error_of("null-cas.jsonl",
               R"({"type":"invoke","time":1,"process":0,"f":"cas","key":1,"value":null})");
  CHECK(e.message() ==
        "field \"value\" must be [expected, new] (two integers) for a cas, got "
        "null");
  e = error_of("null-write.jsonl",
               R"({"type":"invoke","time":1,"process":0,"f":"write","key":1,"value":null})");
  CHECK(e.message().find("\"value\"") != std::string::npos);
  e = error_of("bad-sides.jsonl",
               R"({"type":"fault","time":1,"fault":"p","kind":"partition","edge":"begin",)"
               R"("action":"partition","label":"p: x","sides":["n1"]})");
  CHECK(e.message() == "field \"sides\" must be an array of arrays of node names");
  e = error_of("bad-lasted.jsonl",
               R"({"type":"note","time":1,"node":"n1","what":"resolved","lasted":-5})");
  CHECK(e.message() == "field \"lasted\" must not be negative, got -5");
}

TEST_CASE("trace reader: a note that ends a state carries how long it lasted") {
  std::string path = write_jsonl("lasted.jsonl", R"(
{"type":"note","time":10,"node":"n1","what":"in-doubt","detail":"txn n1.1 key 3"}
{"type":"note","time":2500,"node":"n1","what":"resolved","detail":"txn n1.1 key 3 committed after 2.49us in doubt","lasted":2490}
)");
  TraceReader reader(path);
  auto ev = read_all(reader);
  REQUIRE(ev.size() == 2);
  CHECK(reader.names().notes == std::vector<std::string>{"in-doubt", "resolved"});
  CHECK_FALSE(ev[0].lasted.has_value());
  CHECK(ev[1].lasted == 2490);
}

TEST_CASE("trace reader: time going backwards is an error naming both lines") {
  InputError e = error_of("backwards.jsonl",
                          "{\"type\":\"end\",\"time\":10}\n{\"type\":\"end\",\"time\":9}\n");
  CHECK(e.path() == "line 2");
  CHECK(e.message() == "time 9 is earlier than time 10 on line 1: time must not decrease");
}

TEST_CASE("trace reader: a missing file is an input error") {
  CHECK_THROWS_AS(TraceReader("/nonexistent/consim/trace.jsonl"), InputError);
}

TEST_CASE("trace reader: lines longer than the read buffer are read whole") {
  std::string big(3 << 20, 'a');
  std::string path =
      write_jsonl("long-line.jsonl", "{\"type\":\"note\",\"time\":1,\"node\":\"n1\",\"detail\":\"" +
                                         big + "\"}\n{\"type\":\"end\",\"time\":2}");
  TraceReader reader(path);
  auto ev = read_all(reader);
  REQUIRE(ev.size() == 2);
  CHECK(ev[1].type == EventType::End);
  CHECK(ev[1].line == 2);
}

}  // namespace trace_reader_test
