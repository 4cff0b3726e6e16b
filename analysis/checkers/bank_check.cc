// The bank checker; see bank_check.h for what it judges.
//
// Per account: base = initial + the deltas of its ok transfers; unknown =
// the deltas of its info transfers. The final balance must equal base plus
// the deltas of some subset of `unknown`: enumerated exactly up to
// kMaxExact unknowns (the matching subsets also say which unknown
// transfers were applied there, when only one subset matches); beyond
// that only the range [base + negatives, base + positives] is checked.
#include "analysis/checkers/bank_check.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <string>
#include <vector>

namespace consim {
namespace {

constexpr std::size_t kMaxExact = 16;
constexpr std::size_t kOpsPerViolation = 8;

struct Account {
  std::int64_t base = 0;
  std::vector<std::size_t> unknown;  // indices into the bank ops (info transfers)
  std::vector<std::uint64_t> lines;  // invoke lines of every transfer touching it
  std::optional<std::int64_t> final_balance;
  std::uint64_t final_line = 0;
};

// What the final balance says about each unknown transfer at this account:
// applied (1), not applied (0), or ambiguous (-1).
struct Explanation {
  bool explained = false;
  std::map<std::size_t, int> applied;  // op index -> 1 / 0 / -1
};

std::int64_t delta_at(const BankOp& t, std::uint32_t key) {
  return t.from == key ? -t.amount : t.amount;
}

Explanation explain(const Account& a, std::uint32_t key, const std::vector<BankOp>& ops) {
  Explanation out;
  const std::int64_t diff = *a.final_balance - a.base;
  const std::size_t n = a.unknown.size();
  if (n > kMaxExact) {
    std::int64_t lo = 0, hi = 0;
    for (std::size_t i : a.unknown) {
      std::int64_t d = delta_at(ops[i], key);
      (d < 0 ? lo : hi) += d;
    }
    out.explained = diff >= lo && diff <= hi;
    for (std::size_t i : a.unknown) out.applied[i] = -1;
    return out;
  }
  std::optional<std::uint32_t> only;
  bool several = false;
  for (std::uint32_t mask = 0; mask < (1u << n); ++mask) {
    std::int64_t sum = 0;
    for (std::size_t b = 0; b < n; ++b)
      if (mask & (1u << b)) sum += delta_at(ops[a.unknown[b]], key);
    if (sum != diff) continue;
    several = only.has_value();
    if (!only) only = mask;
    if (several) break;
  }
  out.explained = only.has_value();
  for (std::size_t b = 0; b < n; ++b)
    out.applied[a.unknown[b]] = several || !only ? -1 : ((*only >> b) & 1u ? 1 : 0);
  return out;
}

std::string signed_text(std::int64_t v) { return (v > 0 ? "+" : "") + std::to_string(v); }

class Checker {
 public:
  Checker(const History& h, std::size_t max) : h_(h), max_(max) {}

  BankCheck run() {
    out_.result.checker = "bank";
    if (!h_.bank || !h_.bank->setup) {
      out_.result.verdict = Verdict::Unknown;
      out_.result.note =
          "not a bank history: no \"bank\" object (accounts, initial balance) in "
          "the trace header";
      return out_;
    }
    const BankSetup& setup = *h_.bank->setup;
    out_.expected_total = static_cast<std::int64_t>(setup.accounts) * setup.initial_balance;
    collect(setup);
    check_accounts();
    check_total(setup);
    if (!setup.negative_allowed) check_negative();
    finish_verdict();
    return out_;
  }

 private:
  void violation(const std::string& key, std::vector<std::uint64_t> lines, std::string reason) {
    ++out_.result.violation_count;
    if (out_.result.violations.size() >= max_) return;
    std::sort(lines.begin(), lines.end());
    lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
    out_.result.violations.push_back({"bank", key, lines, std::move(reason), lines});
  }

  // The account number a key names, if it is one of the setup's accounts.
  std::optional<std::uint64_t> account_of(std::uint32_t key, const BankSetup& setup) const {
    const std::string& name = h_.key_names[key];
    std::uint64_t n = 0;
    auto [end, ec] = std::from_chars(name.data(), name.data() + name.size(), n);
    if (ec != std::errc() || end != name.data() + name.size() || n >= setup.accounts)
      return std::nullopt;
    return n;
  }

  void collect(const BankSetup& setup) {
    const auto& ops = h_.bank->ops;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      const BankOp& op = ops[i];
      if (!op.transfer) {
        if (op.final_read && op.outcome == Outcome::Ok && op.balance) {
          Account& a = account(op.from, setup);
          a.final_balance = op.balance;
          a.final_line = op.invoke_line;
        }
        continue;
      }
      Account& from = account(op.from, setup);
      Account& to = account(op.to, setup);
      from.lines.push_back(op.invoke_line);
      to.lines.push_back(op.invoke_line);
      if (op.outcome == Outcome::Ok) {
        ++out_.transfers_ok;
        from.base -= op.amount;
        to.base += op.amount;
      } else if (op.outcome == Outcome::Fail) {
        ++out_.transfers_failed;
      } else {
        ++out_.transfers_unknown;
        from.unknown.push_back(i);
        to.unknown.push_back(i);
      }
    }
  }

  Account& account(std::uint32_t key, const BankSetup& setup) {
    auto [it, fresh] = accounts_.try_emplace(key);
    if (fresh) it->second.base = setup.initial_balance;
    return it->second;
  }

  std::vector<std::uint64_t> first_lines(const Account& a) const {
    std::vector<std::uint64_t> out(a.lines.begin(),
                                   a.lines.begin() + std::min(a.lines.size(), kOpsPerViolation));
    if (a.final_line) out.push_back(a.final_line);
    return out;
  }

  void check_accounts() {
    const auto& ops = h_.bank->ops;
    for (const auto& [key, a] : accounts_) {
      if (!a.final_balance) continue;
      Explanation e = explain(a, key, ops);
      for (const auto& [i, applied] : e.applied) verdicts_[i].push_back(applied);
      if (e.explained) continue;
      ++out_.inconsistent_accounts;
      std::size_t acked = a.lines.size() - a.unknown.size();
      violation(
          h_.key_names[key], first_lines(a),
          "account " + h_.key_names[key] + ": final balance " + std::to_string(*a.final_balance) +
              ", but its acknowledged transfers leave " + std::to_string(a.base) + " (" +
              std::to_string(acked) + " transfers, failed ones counted as never applied) and its " +
              std::to_string(a.unknown.size()) + " transfers of unknown outcome cannot explain " +
              signed_text(*a.final_balance - a.base));
    }
    for (const auto& [i, seen] : verdicts_) {
      if (seen.size() != 2 || seen[0] == -1 || seen[1] == -1 || seen[0] == seen[1]) continue;
      const BankOp& t = ops[i];
      ++out_.half_done;
      const bool debited = (seen[0] == 1) == (accounts_side(i) == 0);
      violation(h_.key_names[t.from], {t.invoke_line},
                "transfer of " + std::to_string(t.amount) + " from account " +
                    h_.key_names[t.from] + " to " + h_.key_names[t.to] + " (outcome unknown) is " +
                    "half-done: " +
                    (debited ? "debited but never credited" : "credited but never debited"));
    }
  }

  // verdicts_[i] holds the from account's verdict first when the from key
  // sorts first among the accounts (map order), else the to account's.
  int accounts_side(std::size_t i) const {
    const BankOp& t = h_.bank->ops[i];
    return t.from < t.to ? 0 : 1;
  }

  void check_total(const BankSetup& setup) {
    std::int64_t total = 0;
    std::vector<std::uint32_t> missing;
    for (std::uint32_t key = 0; key < h_.key_names.size(); ++key) {
      if (!account_of(key, setup)) continue;
      auto it = accounts_.find(key);
      if (it == accounts_.end() || !it->second.final_balance) {
        missing.push_back(key);
        continue;
      }
      total += *it->second.final_balance;
    }
    // Accounts never named in the history were never read either.
    std::uint64_t named = 0;
    for (std::uint32_t key = 0; key < h_.key_names.size(); ++key)
      named += account_of(key, setup) ? 1 : 0;
    out_.accounts_without_final = missing.size() + (setup.accounts - named);
    if (out_.accounts_without_final > 0) {
      std::string some;
      for (std::size_t i = 0; i < std::min<std::size_t>(missing.size(), 5); ++i)
        some += (i ? ", " : "") + h_.key_names[missing[i]];
      const std::uint64_t n = out_.accounts_without_final;
      const bool all_listed = n == missing.size() && n <= 5;
      out_.result.note = std::to_string(n) + (n == 1 ? " account has" : " accounts have") +
                         " no final balance" +
                         (some.empty() ? "" : (all_listed ? " (" : " (e.g. ") + some + ")") +
                         ": the total cannot be checked";
      return;
    }
    out_.final_total = total;
    out_.created = total - *out_.expected_total;
    if (out_.created == 0) return;
    std::vector<std::uint64_t> lines;
    for (const BankOp& t : h_.bank->ops)
      if (t.transfer && t.outcome == Outcome::Info && lines.size() < kOpsPerViolation)
        lines.push_back(t.invoke_line);
    violation("*", lines,
              std::string(out_.created > 0 ? "money created: " : "money destroyed: ") +
                  "the final balances sum to " + std::to_string(total) + ", the initial total is " +
                  std::to_string(*out_.expected_total) + " (" + signed_text(out_.created) + ")" +
                  (lines.empty() ? "" : "; the ops listed are transfers of unknown outcome"));
  }

  void check_negative() {
    for (const BankOp& op : h_.bank->ops) {
      if (op.transfer || op.outcome != Outcome::Ok || !op.balance || *op.balance >= 0) continue;
      ++out_.negative_reads;
      std::vector<std::uint64_t> lines{op.invoke_line};
      auto it = accounts_.find(op.from);
      if (it != accounts_.end())
        for (std::uint64_t l : it->second.lines)
          if (l < op.invoke_line && lines.size() < kOpsPerViolation) lines.push_back(l);
      violation(h_.key_names[op.from], lines,
                "account " + h_.key_names[op.from] + " read " + std::to_string(*op.balance) +
                    " at line " + std::to_string(op.invoke_line) +
                    ": negative balances are forbidden");
    }
  }

  void finish_verdict() {
    if (out_.result.violation_count > 0)
      out_.result.verdict = Verdict::Invalid;
    else if (out_.accounts_without_final > 0)
      out_.result.verdict = Verdict::Unknown;
    else
      out_.result.verdict = Verdict::Valid;
  }

  const History& h_;
  std::size_t max_;
  BankCheck out_;
  std::map<std::uint32_t, Account> accounts_;         // by key id
  std::map<std::size_t, std::vector<int>> verdicts_;  // info transfer -> per-account verdicts
};

}  // namespace

BankCheck check_bank(const History& history, std::size_t max_violations) {
  return Checker(history, max_violations).run();
}

}  // namespace consim
