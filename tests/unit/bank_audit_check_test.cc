// The bank checker's audits (analysis/checkers/bank_audit_check.cc) on tiny
// hand-made histories with known verdicts: an audit that adds up, money
// destroyed by an audit (a lost credit), money in flight in a transfer of
// unknown outcome (not a violation), an incomplete audit, and the "audit"
// field's round trip through the trace loader.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "analysis/checkers/bank_check.h"
#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "tests/unit/story_support.h"

using namespace consim;

namespace bank_audit_check_test {

namespace {

// Accounts "0".."n-1" as keys 0..n-1, each starting at `initial`.
struct Bank {
  History h;
  std::uint64_t line = 0;
  Time t = 0;

  Bank(std::uint64_t n, std::int64_t initial) {
    for (std::uint64_t k = 0; k < n; ++k) h.key_names.push_back(std::to_string(k));
    h.bank.emplace();
    h.bank->setup = BankSetup{n, initial, false};
  }
  void transfer(std::uint32_t from, std::uint32_t to, std::int64_t amount, Outcome o) {
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
  }
  // A balance read: final, or audit number `audit` (0: neither).
  void read(std::uint32_t account, std::int64_t balance, std::uint32_t audit,
            bool final_read = false) {
    BankOp op;
    op.op = ++line;
    op.invoke_line = line;
    op.from = account;
    op.balance = balance;
    op.audit = audit;
    op.final_read = final_read;
    op.invoke_time = t += 10;
    op.complete_time = t + 5;
    op.outcome = Outcome::Ok;
    h.bank->ops.push_back(op);
  }
};

}  // namespace

TEST_CASE("bank audits: balances that add up at every audit are valid") {
  Bank b(2, 100);
  b.transfer(0, 1, 30, Outcome::Ok);
  b.transfer(1, 0, 500, Outcome::Fail);
  b.read(0, 70, 1);
  b.read(1, 130, 1);
  b.transfer(1, 0, 10, Outcome::Ok);  // after audit 1: not part of it
  b.read(0, 80, 2);
  b.read(1, 120, 2);
  b.read(0, 80, 0, true);
  b.read(1, 120, 0, true);
  BankCheck c = check_bank(b.h);
  CHECK(c.result.verdict == Verdict::Valid);
  REQUIRE(c.audits.size() == 2);
  CHECK(c.audits[0].number == 1);
  CHECK(c.audits[0].total == 200);
  CHECK(c.audits[0].created == 0);
  CHECK(c.audits[0].transfers_before == 2);
  CHECK(c.audits[1].transfers_before == 3);
  CHECK(!c.audits[1].in_flight);
}

TEST_CASE("bank audits: a credit lost before an audit is money destroyed at that audit") {
  Bank b(2, 100);
  b.transfer(0, 1, 30, Outcome::Ok);
  b.read(0, 70, 1);   // line 2, time 20
  b.read(1, 100, 1);  // the credit never arrived
  b.transfer(0, 1, 5, Outcome::Ok);
  b.read(0, 65, 0, true);
  b.read(1, 135, 0, true);  // and the end adds up again (a repair, say)
  BankCheck c = check_bank(b.h);
  CHECK(c.result.verdict == Verdict::Invalid);
  REQUIRE(c.audits.size() == 1);
  CHECK(c.audits[0].created == -30);
  CHECK(c.audits[0].unexplained_accounts == 1);
  CHECK(!c.audits[0].in_flight);
  REQUIRE(c.result.violations.size() == 2);
  const Violation& account = c.result.violations[1];  // after its audit's total
  CHECK(account.key == "1");
  CHECK(account.reason ==
        "audit 1 at 20ns: account 1 read 100, but its acknowledged transfers before the audit "
        "leave 130 (1 transfers, failed ones counted as never applied) and its 0 transfers of "
        "unknown outcome cannot explain -30");
  CHECK(account.ops == std::vector<std::uint64_t>{1, 3});
  const Violation& total = c.result.violations[0];
  CHECK(total.key == "*");
  CHECK(total.reason ==
        "audit 1 at 20ns: money destroyed: the audit's balances sum to 170, the initial total is "
        "200 (-30); the ops listed are the transfers just before and after the audit");
  CHECK(total.ops == std::vector<std::uint64_t>{1, 4});  // the transfer before, the one after
}

TEST_CASE("bank audits: a transfer of unknown outcome applied on one side is in flight, valid") {
  Bank b(2, 100);
  b.transfer(0, 1, 20, Outcome::Info);  // e.g. a saga still crediting
  b.read(0, 80, 1);
  b.read(1, 100, 1);
  b.read(0, 80, 0, true);
  b.read(1, 120, 0, true);  // it completed before the end
  BankCheck c = check_bank(b.h);
  CHECK(c.result.verdict == Verdict::Valid);
  REQUIRE(c.audits.size() == 1);
  CHECK(c.audits[0].created == -20);
  CHECK(c.audits[0].in_flight);
  CHECK(c.audits[0].unknown_before == 1);
  CHECK(c.result.violation_count == 0);
}

TEST_CASE("bank audits: an audit missing an account has no total and judges the rest") {
  Bank b(3, 100);
  b.transfer(0, 1, 10, Outcome::Ok);
  b.read(0, 90, 1);
  b.read(1, 110, 1);  // account 2's shard was down: never read
  b.read(0, 90, 0, true);
  b.read(1, 110, 0, true);
  b.read(2, 100, 0, true);
  BankCheck c = check_bank(b.h);
  CHECK(c.result.verdict == Verdict::Valid);
  REQUIRE(c.audits.size() == 1);
  CHECK(!c.audits[0].total);
  CHECK(c.audits[0].accounts_unread == 1);
}

TEST_CASE("bank audits: a trace's \"audit\" field reaches the checker; 0 is an input error") {
  const auto path = std::filesystem::temp_directory_path() / "consim-bank-audit-check.jsonl";
  auto write = [&](const std::string& audit) {
    std::ofstream f(path);
    f << R"({"type":"header","bank":{"accounts":2,"initial_balance":10,"negative_balances":"forbidden"}})"
      << "\n"
      << R"({"type":"invoke","time":1,"op":1,"process":0,"f":"transfer","key":0,"value":[1,4]})"
      << "\n"
      << R"({"type":"ok","time":2,"op":1,"process":0,"f":"transfer","key":0,"value":[1,4]})"
      << "\n"
      << R"({"type":"invoke","time":3,"op":2,"process":0,"f":"read","key":0,"value":null,"audit":)"
      << audit << "}\n"
      << R"({"type":"ok","time":4,"op":2,"process":0,"f":"read","key":0,"value":9,"audit":)"
      << audit << "}\n"
      << R"({"type":"invoke","time":5,"op":3,"process":0,"f":"read","key":1,"value":null,"audit":)"
      << audit << "}\n"
      << R"({"type":"ok","time":6,"op":3,"process":0,"f":"read","key":1,"value":11,"audit":)"
      << audit << "}\n";
  };
  write("1");
  BankCheck c = check_bank(load_history(path.string()));
  REQUIRE(c.audits.size() == 1);
  CHECK(c.audits[0].number == 1);
  CHECK(c.audits[0].total == 20);
  CHECK(c.audits[0].unexplained_accounts == 2);  // 9 and 11, where 6 and 14 were due
  CHECK(c.result.verdict == Verdict::Invalid);
  write("0");
  std::string error;
  try {
    load_history(path.string());
  } catch (const InputError& e) {
    error = e.what();
  }
  CHECK(error.find("field \"audit\" must be an audit number from 1") != std::string::npos);
  std::filesystem::remove(path);
}

}  // namespace bank_audit_check_test
