// Histories written by Jepsen (its keyword spellings, nemesis lines, a
// byte-order mark) and the key-type rule: what `consim check` reads from
// elsewhere. docs/checkers.md, "Checking a history from elsewhere".
#include <doctest/doctest.h>

#include "analysis/checkers/linearizability.h"
#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "tests/unit/jsonl_fixture.h"

using namespace consim;
using consim::testing::write_jsonl;

namespace jepsen_history_test {

TEST_CASE("jepsen history: keyword spellings :invoke :ok :fail :info and :read :write are read") {
  History h = load_history(write_jsonl("jepsen-keywords.jsonl", R"(
{"type":":invoke","time":1,"process":0,"f":":write","key":1,"value":1}
{"type":":ok","time":2,"process":0,"f":":write","key":1,"value":1}
{"type":":invoke","time":3,"process":1,"f":":write","key":1,"value":2}
{"type":":fail","time":4,"process":1,"f":":write","key":1,"value":2}
{"type":":invoke","time":5,"process":0,"f":":write","key":1,"value":3}
{"type":":info","time":6,"process":0,"f":":write","key":1,"value":3}
{"type":":invoke","time":7,"process":2,"f":":read","key":1,"value":null}
{"type":":ok","time":8,"process":2,"f":":read","key":1,"value":2}
)"));
  REQUIRE(h.ops.size() == 4);
  CHECK(h.ops[0].outcome == Outcome::Ok);
  CHECK(h.ops[1].outcome == Outcome::Fail);
  CHECK(h.ops[2].outcome == Outcome::Info);
  CHECK(h.ops[3].f == HistOp::Read);
  CHECK(h.ops[3].value == 2);
  // The read returns the failed write's value: a violation, not "valid".
  CHECK(check_linearizability(h).result.verdict == Verdict::Invalid);
}

TEST_CASE("jepsen history: nemesis lines are skipped and counted") {
  History h = load_history(write_jsonl("jepsen-nemesis.jsonl", R"(
{"type":":invoke","time":1,"process":0,"f":":write","key":1,"value":1}
{"type":":info","time":2,"process":":nemesis","f":":start","value":null}
{"type":"info","time":3,"process":"nemesis","f":"stop","value":"fully connected"}
{"type":":ok","time":4,"process":0,"f":":write","key":1,"value":1}
)"));
  CHECK(h.ops.size() == 1);
  CHECK(h.nemesis_lines == 2);
  CHECK(h.ops[0].outcome == Outcome::Ok);
}

TEST_CASE("jepsen history: a UTF-8 byte-order mark before the first line is accepted") {
  History h = load_history(write_jsonl("jepsen-bom.jsonl",
                                       "\xEF\xBB\xBF{\"type\":\"invoke\",\"time\":1,\"process\":0,"
                                       "\"f\":\"read\",\"key\":1,\"value\":null}\n"
                                       "{\"type\":\"ok\",\"time\":2,\"process\":0,"
                                       "\"f\":\"read\",\"key\":1,\"value\":null}\n"));
  REQUIRE(h.ops.size() == 1);
  CHECK(h.ops[0].invoke_line == 1);
}

TEST_CASE("jepsen history: key 1 and key \"1\" are two keys") {
  History h = load_history(write_jsonl("jepsen-key-types.jsonl", R"(
{"type":"invoke","time":1,"process":0,"f":"write","key":1,"value":5}
{"type":"ok","time":2,"process":0,"f":"write","key":1,"value":5}
{"type":"invoke","time":3,"process":0,"f":"read","key":"1","value":null}
{"type":"ok","time":4,"process":0,"f":"read","key":"1","value":null}
{"type":"invoke","time":5,"process":0,"f":"read","key":"x","value":null}
{"type":"ok","time":6,"process":0,"f":"read","key":"x","value":null}
)"));
  REQUIRE(h.ops.size() == 3);
  CHECK(h.ops[0].key != h.ops[1].key);
  CHECK(h.key_names[h.ops[0].key] == "1");
  CHECK(h.key_names[h.ops[1].key] == "\"1\"");
  CHECK(h.key_names[h.ops[2].key] == "x");
  // Key "1" was never written, so reading nothing from it is linearizable.
  CHECK(check_linearizability(h).result.verdict == Verdict::Valid);
}

}  // namespace jepsen_history_test
