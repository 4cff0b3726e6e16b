// Jepsen's text log of a register test (the etcd logs Porcupine ships):
// detection, the mapping onto a History, and verdicts on small logs in that
// format written for these tests. docs/checkers.md, "Checking a history from
// elsewhere".
#include <doctest/doctest.h>

#include <string>

#include "analysis/checkers/linearizability.h"
#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "tests/unit/jsonl_fixture.h"

using namespace consim;
using consim::testing::write_jsonl;

namespace jepsen_log_test {

namespace {

// "3 :invoke :cas [0 4]" -> "INFO  jepsen.util - 3\t:invoke\t:cas\t[0 4]\n".
std::string etcd_log(std::initializer_list<const char*> lines) {
  std::string out;
  for (std::string l : lines) {
    std::size_t a = l.find(' '), b = l.find(' ', a + 1), c = l.find(' ', b + 1);
    out += "INFO  jepsen.util - " + l.substr(0, a) + "\t" + l.substr(a + 1, b - a - 1) + "\t" +
           l.substr(b + 1, c - b - 1) + "\t" + l.substr(c + 1) + "\n";
  }
  return out;
}

Verdict verdict_of(const std::string& name, const std::string& text) {
  return check_linearizability(load_history(write_jsonl(name, text))).result.verdict;
}

}  // namespace

TEST_CASE(
    "jepsen log: read, write, cas, nil, :fail cas, :info and nemesis lines map onto a history") {
  std::string text =
      etcd_log({"0 :invoke :read nil", "0 :ok :read nil", "1 :invoke :write 3", "1 :ok :write 3",
                ":nemesis :info :start nil", "2 :invoke :cas [3 4]", "2 :ok :cas [3 4]",
                "0 :invoke :cas [3 1]", "0 :fail :cas [3 1]", "1 :invoke :write 2",
                "1 :info :write :timed-out", "3 :invoke :read nil", "3 :fail :read :timed-out"});
  text = "INFO  jepsen.core - Running test\n" + text;  // another logger: skipped
  History h = load_history(write_jsonl("etcd-mapping.log", text));
  REQUIRE(h.ops.size() == 6);
  CHECK(h.nemesis_lines == 1);
  CHECK(h.key_names == std::vector<std::string>{"register"});
  CHECK(h.ops[0].f == HistOp::Read);
  CHECK(h.ops[0].outcome == Outcome::Ok);
  CHECK_FALSE(h.ops[0].value.has_value());  // nil: no value
  CHECK(h.ops[1].value == 3);
  CHECK(h.ops[1].invoke_time == 4);  // time is the line number (after the jepsen.core line)
  CHECK(h.ops[2].f == HistOp::Cas);
  CHECK(h.ops[2].expected == 3);
  CHECK(h.ops[2].value == 4);
  CHECK(h.ops[2].outcome == Outcome::Ok);
  CHECK_FALSE(h.ops[2].cas_failed);
  CHECK(h.ops[3].outcome == Outcome::Ok);  // :fail cas: compared unequal
  CHECK(h.ops[3].cas_failed);
  CHECK(h.ops[4].outcome == Outcome::Info);
  CHECK(h.ops[5].outcome == Outcome::Info);  // :fail :timed-out read: unknown
  CHECK(check_linearizability(h).result.verdict == Verdict::Valid);
}

TEST_CASE("jepsen log: a failed cas says the register did not hold the expected value") {
  // The register certainly holds 1 while the cas [1 2] runs, yet it failed.
  CHECK(verdict_of("etcd-cas-fail.log", etcd_log({"0 :invoke :write 1", "0 :ok :write 1",
                                                  "1 :invoke :cas [1 2]", "1 :fail :cas [1 2]"})) ==
        Verdict::Invalid);
  // Concurrent with a write of 3, the cas may have compared against 3.
  CHECK(verdict_of("etcd-cas-fail-ok.log",
                   etcd_log({"0 :invoke :write 1", "0 :ok :write 1", "2 :invoke :write 3",
                             "1 :invoke :cas [1 2]", "1 :fail :cas [1 2]", "2 :ok :write 3"})) ==
        Verdict::Valid);
}

TEST_CASE("jepsen log: a stale read after a cas is not linearizable; repeated values are fine") {
  CHECK(verdict_of("etcd-stale.log",
                   etcd_log({"0 :invoke :write 0", "0 :ok :write 0", "1 :invoke :cas [0 1]",
                             "1 :ok :cas [0 1]", "2 :invoke :read nil", "2 :ok :read 0"})) ==
        Verdict::Invalid);
  CHECK(verdict_of("etcd-repeat.log",
                   etcd_log({"0 :invoke :write 0", "0 :ok :write 0", "1 :invoke :cas [0 1]",
                             "1 :ok :cas [0 1]", "0 :invoke :write 0", "0 :ok :write 0",
                             "2 :invoke :read nil", "2 :ok :read 0"})) == Verdict::Valid);
  // A timed-out write may take effect later, even after other operations.
  CHECK(verdict_of("etcd-timeout.log", etcd_log({"0 :invoke :write 4", "0 :info :write :timed-out",
                                                 "1 :invoke :read nil", "1 :ok :read nil",
                                                 "2 :invoke :read nil", "2 :ok :read 4"})) ==
        Verdict::Valid);
}

TEST_CASE("jepsen log: a line it cannot read is an error naming the line") {
  std::string text = etcd_log({"0 :invoke :read nil", "0 :ok :read nil"}) +
                     "INFO  jepsen.util - 1\t:invoke\t:append\t3\n";
  try {
    load_history(write_jsonl("etcd-bad.log", text));
    FAIL("no error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("etcd-bad.log") != std::string::npos);
    CHECK(e.path() == "line 3");
    CHECK(e.message() == "f must be :read, :write or :cas, got \":append\"");
  }
}

TEST_CASE("jepsen log: columns padded with spaces instead of tabs read the same (etcd_100..102)") {
  const std::string spaced =
      "INFO  jepsen.util - 0   :invoke :write  1\n"
      "INFO  jepsen.util - 0   :ok     :write  1\n"
      "INFO  jepsen.util - 1   :invoke :cas    [1 2]\n"
      "INFO  jepsen.util - 1   :ok     :cas    [1 2]\n"
      "INFO  jepsen.util - 2   :invoke :read   nil\n"
      "INFO  jepsen.util - 2   :ok     :read   2\n";
  const History h = load_history(write_jsonl("etcd-spaced.log", spaced));
  REQUIRE(h.ops.size() == 3);
  CHECK(check_linearizability(h).result.verdict == Verdict::Valid);
  // The same log with a stale last read: the spaced lines are really read.
  std::string stale = spaced;
  stale.replace(stale.rfind("2\n"), 1, "1");
  CHECK(verdict_of("etcd-spaced-stale.log", stale) == Verdict::Invalid);
}

}  // namespace jepsen_log_test
