// The bank checker (analysis/checkers/bank_check.h) on tiny hand-made
// histories with known verdicts: conserved, money created by a lost
// update, a half-done transfer, an uncompensated saga, a negative balance,
// a missing final read (unknown), and the trace round trip through the
// history loader.
#include "analysis/checkers/bank_check.h"

#include <doctest/doctest.h>

#include <fstream>
#include <string>

#include "analysis/checkers/checks.h"
#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "tests/unit/story_support.h"

using namespace consim;

namespace bank_check_test {

namespace {

// Accounts "0".."n-1" as keys 0..n-1, each starting at `initial`.
struct Bank {
  History h;
  std::uint64_t line = 0;
  Time t = 0;

  Bank(std::uint64_t n, std::int64_t initial, bool negative_allowed = false) {
    for (std::uint64_t k = 0; k < n; ++k) h.key_names.push_back(std::to_string(k));
    h.bank.emplace();
    h.bank->setup = BankSetup{n, initial, negative_allowed};
  }
  BankOp& transfer(std::uint32_t from, std::uint32_t to, std::int64_t amount, Outcome o) {
    BankOp op;
    op.transfer = true;
    op.op = ++line;
    op.invoke_line = line;
    op.from = from;
    op.to = to;
    op.amount = amount;
    op.invoke_time = t += 10;
    op.outcome = o;
    op.complete_time = o == Outcome::Info ? kTimeMax : t + 5;
    h.bank->ops.push_back(op);
    return h.bank->ops.back();
  }
  void read(std::uint32_t account, std::int64_t balance, bool final_read) {
    BankOp op;
    op.op = ++line;
    op.invoke_line = line;
    op.from = account;
    op.balance = balance;
    op.final_read = final_read;
    op.invoke_time = t += 10;
    op.complete_time = t + 5;
    op.outcome = Outcome::Ok;
    h.bank->ops.push_back(op);
  }
};

}  // namespace

TEST_CASE("bank checker: acknowledged transfers that add up are valid") {
  Bank b(3, 100);
  b.transfer(0, 1, 30, Outcome::Ok);
  b.transfer(1, 2, 50, Outcome::Ok);
  b.transfer(2, 0, 500, Outcome::Fail);  // refused: never happened
  b.read(0, 70, true);
  b.read(1, 80, true);
  b.read(2, 150, true);
  BankCheck c = check_bank(b.h);
  CHECK(c.result.verdict == Verdict::Valid);
  CHECK(c.final_total == 300);
  CHECK(c.created == 0);
  CHECK(c.transfers_ok == 2);
  CHECK(c.transfers_failed == 1);
}

TEST_CASE("bank checker: a transfer of unknown outcome may have happened or not") {
  for (bool happened : {true, false}) {
    Bank b(2, 100);
    b.transfer(0, 1, 10, Outcome::Info);
    b.read(0, happened ? 90 : 100, true);
    b.read(1, happened ? 110 : 100, true);
    CHECK(check_bank(b.h).result.verdict == Verdict::Valid);
  }
}

TEST_CASE("bank checker: a lost update creates money and names the account and transfers") {
  // Two transfers out of account 0 both read 100 and each wrote 100 - x:
  // the later write wins, account 0 ends at 90 instead of 70.
  Bank b(3, 100);
  b.transfer(0, 1, 20, Outcome::Ok);  // line 1
  b.transfer(0, 2, 10, Outcome::Ok);  // line 2
  b.read(0, 90, true);                // line 3
  b.read(1, 120, true);
  b.read(2, 110, true);
  BankCheck c = check_bank(b.h);
  CHECK(c.result.verdict == Verdict::Invalid);
  CHECK(c.created == 20);
  CHECK(c.inconsistent_accounts == 1);
  REQUIRE(c.result.violations.size() == 2);
  const Violation& account = c.result.violations[0];
  CHECK(account.key == "0");
  CHECK(account.ops == std::vector<std::uint64_t>{1, 2, 3});
  CHECK(account.reason ==
        "account 0: final balance 90, but its acknowledged transfers leave 70 (2 transfers, "
        "failed ones counted as never applied) and its 0 transfers of unknown outcome cannot "
        "explain +20");
  CHECK(c.result.violations[1].reason ==
        "money created: the final balances sum to 320, the initial total is 300 (+20)");
}

TEST_CASE("bank checker: a transfer debited and never credited is half-done, money destroyed") {
  Bank b(2, 100);
  b.transfer(0, 1, 25, Outcome::Info);  // line 1
  b.read(0, 75, true);
  b.read(1, 100, true);
  BankCheck c = check_bank(b.h);
  CHECK(c.result.verdict == Verdict::Invalid);
  CHECK(c.created == -25);
  CHECK(c.half_done == 1);
  CHECK(c.inconsistent_accounts == 0);  // each account alone can be explained
  bool named = false;
  for (const Violation& v : c.result.violations)
    named |= v.ops == std::vector<std::uint64_t>{1} &&
             v.reason.find("half-done: debited but never credited") != std::string::npos;
  CHECK(named);
}

TEST_CASE("bank checker: a failed saga that was not compensated is found") {
  // The client was told "fail" (compensated), but account 0 kept the debit.
  Bank b(2, 100);
  b.transfer(0, 1, 40, Outcome::Fail);
  b.read(0, 60, true);
  b.read(1, 100, true);
  BankCheck c = check_bank(b.h);
  CHECK(c.result.verdict == Verdict::Invalid);
  CHECK(c.created == -40);
  CHECK(c.inconsistent_accounts == 1);
}

TEST_CASE("bank checker: a negative balance is a violation only where forbidden") {
  for (bool allowed : {false, true}) {
    Bank b(2, 10, allowed);
    b.transfer(0, 1, 15, Outcome::Ok);
    b.read(0, -5, false);
    b.read(0, -5, true);
    b.read(1, 25, true);
    BankCheck c = check_bank(b.h);
    CHECK(c.negative_reads == (allowed ? 0u : 2u));
    CHECK(c.result.verdict == (allowed ? Verdict::Valid : Verdict::Invalid));
  }
}

TEST_CASE("bank checker: an account without a final balance leaves the total unknown") {
  Bank b(3, 100);
  b.transfer(0, 1, 5, Outcome::Ok);
  b.read(0, 95, true);
  b.read(1, 105, true);
  BankCheck c = check_bank(b.h);
  CHECK(c.result.verdict == Verdict::Unknown);
  CHECK(c.accounts_without_final == 1);
  CHECK(!c.final_total);
  CHECK(c.result.note == "1 account has no final balance (2): the total cannot be checked");
}

TEST_CASE("bank checker: a history without the header's bank object is unknown, not judged") {
  History h;
  h.bank.emplace();
  BankCheck c = check_bank(h);
  CHECK(c.result.verdict == Verdict::Unknown);
  CHECK(c.result.note.find("no \"bank\" object") != std::string::npos);
}

TEST_CASE("bank checker: a trace's transfer lines and header load into the bank history") {
  auto path = consim::test::temp_trace_path("bank-history");
  {
    std::ofstream out(path);
    out << R"({"type":"header","format":"consim-trace","version":1,"nodes":["s0","s1"],)"
        << R"("bank":{"accounts":2,"initial_balance":50,"negative_balances":"forbidden"}})"
        << "\n"
        << R"({"type":"invoke","time":1,"op":1,"process":0,"f":"transfer","key":0,"value":[1,20],"node":"s0"})"
        << "\n"
        << R"({"type":"ok","time":2,"op":1,"process":0,"f":"transfer","key":0,"value":[1,20],"node":"s0"})"
        << "\n"
        << R"({"type":"invoke","time":3,"op":2,"process":0,"f":"read","key":0,"value":null,"final":true,"node":"s0"})"
        << "\n"
        << R"({"type":"ok","time":4,"op":2,"process":0,"f":"read","key":0,"value":30,"final":true,"node":"s0"})"
        << "\n"
        << R"({"type":"invoke","time":5,"op":3,"process":0,"f":"read","key":1,"value":null,"final":true,"node":"s0"})"
        << "\n"
        << R"({"type":"ok","time":6,"op":3,"process":0,"f":"read","key":1,"value":70,"final":true,"node":"s0"})"
        << "\n";
  }
  History h = load_history(path.string());
  std::filesystem::remove(path);
  CHECK(h.ops.empty());  // the register checkers see nothing of a bank history
  REQUIRE(h.bank);
  REQUIRE(h.bank->ops.size() == 3);
  CHECK(h.bank->ops[0].amount == 20);
  CHECK(h.key_names[h.bank->ops[0].to] == "1");
  BankCheck c = check_bank(h);
  CHECK(c.result.verdict == Verdict::Valid);
  CHECK(c.final_total == 100);
}

TEST_CASE("bank checker: a transfer whose value is not [to, amount] is an input error") {
  auto path = consim::test::temp_trace_path("bank-bad");
  {
    std::ofstream out(path);
    out << R"({"type":"invoke","time":1,"op":1,"process":0,"f":"transfer","key":0,"value":7})"
        << "\n";
  }
  CHECK_THROWS_WITH_AS(
      load_history(path.string()),
      (path.string() + ": line 1: field \"value\" must be [to, amount] (an account and a "
                       "positive amount) for a transfer, got a number 7")
          .c_str(),
      InputError);
  std::filesystem::remove(path);
}

TEST_CASE("bank checker: registered, and run on a bank history only") {
  CHECK(parse_checker_list("bank"));
  History h;  // a register history: no bank entry in the results
  nlohmann::json j;
  CheckSelection s;
  s.checkers = {"bank"};
  CheckOutcome o = run_checks(h, s, j);
  CHECK(o.overall == Verdict::Valid);
  CHECK(!j.contains("bank"));
}

}  // namespace bank_check_test
