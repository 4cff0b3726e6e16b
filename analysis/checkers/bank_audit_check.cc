// The bank checker at each audit (bank_check.h has what it judges): the
// history is split at the audit's first read; every transfer invoked
// before it had completed (ok, fail or info) when the audit read, none
// after it had started (sim/bank_audit.h), so the audit's balances are
// judged like final balances on that prefix.
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "analysis/checkers/bank_check_parts.h"
#include "base/time.h"

namespace consim::bank_detail {
namespace {

struct Audit {
  std::uint32_t number = 0;
  Time time = kTimeMax;
  std::map<std::uint32_t, std::pair<std::int64_t, std::uint64_t>> read;  // key -> balance, line
};

class AuditJudge {
 public:
  AuditJudge(const History& h, const ViolationSink& violation)
      : h_(h), setup_(*h.bank->setup), violation_(violation) {}

  BankAuditResult judge(const Audit& a) {
    BankAuditResult r;
    r.number = a.number;
    r.time = a.time;
    const std::string when = "audit " + std::to_string(a.number) + " at " + format_duration(a.time);
    std::map<std::uint32_t, Account> accounts = ledger(a.time, r);
    std::int64_t total = 0;
    std::vector<std::uint32_t> wrong;  // accounts that do not add up
    for (std::uint32_t key = 0; key < h_.key_names.size(); ++key) {
      if (!account_number(h_.key_names[key], setup_)) continue;
      auto seen = a.read.find(key);
      if (seen == a.read.end()) {
        ++r.accounts_unread;
        continue;
      }
      Account& acc = accounts.try_emplace(key).first->second;
      if (acc.lines.empty()) acc.base = setup_.initial_balance;
      acc.final_balance = seen->second.first;
      acc.final_line = seen->second.second;
      total += seen->second.first;
      if (!explain(acc, key, h_.bank->ops).explained) wrong.push_back(key);
    }
    r.unexplained_accounts = wrong.size();
    r.accounts_unread += setup_.accounts - named_accounts();
    if (r.accounts_unread == 0) {
      r.total = total;
      r.created = total - static_cast<std::int64_t>(setup_.accounts) * setup_.initial_balance;
      r.in_flight = r.created != 0 && wrong.empty();
    }
    // The audit's total first, then its accounts, so that a report that
    // keeps the first violations keeps what each audit found.
    if (r.total && r.created != 0 && !wrong.empty())
      violation_(
          "*", around(a.time),
          when + ": money " + (r.created > 0 ? "created" : "destroyed") +
              ": the audit's balances sum to " + std::to_string(total) + ", the initial total is " +
              std::to_string(static_cast<std::int64_t>(setup_.accounts) * setup_.initial_balance) +
              " (" + signed_text(r.created) +
              "); the ops listed are the transfers just before and after the audit");
    for (std::uint32_t key : wrong) unexplained(when, key, accounts[key]);
    return r;
  }

 private:
  // Every account's ledger from the transfers invoked before `time`.
  std::map<std::uint32_t, Account> ledger(Time time, BankAuditResult& r) const {
    std::map<std::uint32_t, Account> out;
    auto at = [&](std::uint32_t key) -> Account& {
      auto [it, fresh] = out.try_emplace(key);
      if (fresh) it->second.base = setup_.initial_balance;
      return it->second;
    };
    const auto& ops = h_.bank->ops;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const BankOp& op = ops[i];
      if (!op.transfer || op.invoke_time >= time) continue;
      ++r.transfers_before;
      Account& from = at(op.from);
      Account& to = at(op.to);
      from.lines.push_back(op.invoke_line);
      to.lines.push_back(op.invoke_line);
      if (op.outcome == Outcome::Ok) {
        from.base -= op.amount;
        to.base += op.amount;
      } else if (op.outcome == Outcome::Info) {
        ++r.unknown_before;
        from.unknown.push_back(i);
        to.unknown.push_back(i);
      }
    }
    return out;
  }

  void unexplained(const std::string& when, std::uint32_t key, const Account& acc) {
    const std::string& name = h_.key_names[key];
    // The account's last transfers before the audit, and the audit's read.
    std::vector<std::uint64_t> lines(
        acc.lines.end() - static_cast<std::ptrdiff_t>(std::min(acc.lines.size(), kOpsPerViolation)),
        acc.lines.end());
    lines.push_back(acc.final_line);
    violation_(
        name, lines,
        when + ": account " + name + " read " + std::to_string(*acc.final_balance) +
            ", but its acknowledged transfers before the audit leave " + std::to_string(acc.base) +
            " (" + std::to_string(acc.lines.size() - acc.unknown.size()) +
            " transfers, failed ones counted as never applied) and its " +
            std::to_string(acc.unknown.size()) + " transfers of unknown outcome cannot explain " +
            signed_text(*acc.final_balance - acc.base));
  }

  // The invoke lines of the last transfers before `time` and the first after.
  std::vector<std::uint64_t> around(Time time) const {
    constexpr std::size_t kEachSide = kOpsPerViolation / 2;
    std::vector<std::uint64_t> before, after;
    for (const BankOp& op : h_.bank->ops) {
      if (!op.transfer) continue;
      if (op.invoke_time < time)
        before.push_back(op.invoke_line);
      else if (after.size() < kEachSide)
        after.push_back(op.invoke_line);
    }
    if (before.size() > kEachSide)
      before.erase(before.begin(), before.end() - static_cast<std::ptrdiff_t>(kEachSide));
    before.insert(before.end(), after.begin(), after.end());
    return before;
  }

  std::uint64_t named_accounts() const {
    std::uint64_t n = 0;
    for (const std::string& name : h_.key_names) n += account_number(name, setup_) ? 1 : 0;
    return n;
  }

  const History& h_;
  const BankSetup& setup_;
  const ViolationSink& violation_;
};

}  // namespace

std::vector<BankAuditResult> check_audits(const History& h, const ViolationSink& violation) {
  std::map<std::uint32_t, Audit> audits;
  for (const BankOp& op : h.bank->ops) {
    if (op.transfer || op.audit == 0) continue;
    Audit& a = audits[op.audit];
    a.number = op.audit;
    a.time = std::min(a.time, op.invoke_time);
    if (op.outcome == Outcome::Ok && op.balance) a.read[op.from] = {*op.balance, op.invoke_line};
  }
  std::vector<BankAuditResult> out;
  AuditJudge judge(h, violation);
  for (const auto& [n, a] : audits) out.push_back(judge.judge(a));
  return out;
}

}  // namespace consim::bank_detail
