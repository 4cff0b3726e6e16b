// Running the checkers and rendering their verdicts; see checks.h.
#include "analysis/checkers/checks.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/checkers/bank_check.h"
#include "analysis/checkers/cart_check.h"
#include "analysis/checkers/causal.h"
#include "analysis/checkers/converged.h"
#include "analysis/checkers/counter_check.h"
#include "analysis/checkers/leader_checks.h"
#include "analysis/checkers/linearizability.h"
#include "analysis/checkers/session.h"
#include "analysis/checkers/siblings_kept.h"
#include "analysis/checkers/timeline_check.h"
#include "base/time.h"

namespace consim {

struct CheckRun {
  Verdict overall = Verdict::Valid;
  nlohmann::json json = nlohmann::json::object();  // one member per result
  std::string text;
};

namespace {

Verdict combine(Verdict a, Verdict b) {
  if (a == Verdict::Invalid || b == Verdict::Invalid) return Verdict::Invalid;
  if (a == Verdict::Unknown || b == Verdict::Unknown) return Verdict::Unknown;
  return Verdict::Valid;
}

std::string lines_text(const std::vector<std::uint64_t>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) out += (i ? ", " : "") + std::to_string(lines[i]);
  return out;
}

std::string violations_text(const CheckResult& r) {
  std::string out;
  for (const auto& v : r.violations) {
    out += "  - key " + v.key + ", ops at line " + lines_text(v.ops) + ": " + v.reason + "\n";
    if (!v.slice.empty()) out += "    smallest slice: lines " + lines_text(v.slice) + "\n";
  }
  if (r.violation_count > r.violations.size())
    out += "  ... and " + std::to_string(r.violation_count - r.violations.size()) + " more\n";
  return out;
}

void check_linearizable(const History& h, const CheckSelection& s, CheckRun& out) {
  LinearizabilityOptions options;
  if (s.linearizability_budget) options.step_budget_per_key = s.linearizability_budget;
  LinearizabilityReport rep = check_linearizability(h, options);
  nlohmann::json j = check_result_json(rep.result);
  j["valid_keys"] = rep.valid_keys;
  j["invalid_keys"] = rep.invalid_keys;
  j["unknown_keys"] = rep.unknown_keys;
  out.json["linearizable"] = j;
  out.overall = combine(out.overall, rep.result.verdict);
  out.text += "linearizable: " + std::string(verdict_name(rep.result.verdict));
  if (!rep.result.note.empty()) out.text += " (" + rep.result.note + ")";
  out.text += "\n";
  out.text += violations_text(rep.result);
}

void check_causal_models(const History& h, const CheckSelection& s, CheckRun& out) {
  CausalOptions options;
  if (s.causal_memory_budget) options.memory_budget = s.causal_memory_budget;
  for (const CheckResult& r : check_causal(h, options)) {
    out.json[r.checker] = check_result_json(r);
    // CC decides the causal verdict; CM and CCv are reported beside it.
    if (r.checker == "causal-cc") out.overall = combine(out.overall, r.verdict);
    out.text += r.checker + ": " + verdict_name(r.verdict) +
                (r.checker == "causal-cc" ? "" : " (reported, not part of the verdict)") + "\n";
    if (!r.note.empty()) out.text += "  " + r.note + "\n";
    out.text += violations_text(r);
  }
}

void check_sessions(const History& h, const CheckSelection&, CheckRun& out) {
  for (const SessionResult& s : check_session_guarantees(h)) {
    CheckResult r = to_check_result(s);
    nlohmann::json j = check_result_json(r);
    j["reads_checked"] = s.reads_checked;
    j["violating"] = s.violating;
    j["rate"] = s.rate;
    out.json[s.guarantee] = j;
    out.overall = combine(out.overall, r.verdict);
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.2f%%", 100.0 * s.rate);
    out.text += s.guarantee + ": " + verdict_name(r.verdict) + " (" + std::to_string(s.violating) +
                " of " + std::to_string(s.reads_checked) + " checked, " + rate + ")\n";
    out.text += violations_text(r);
  }
}

// A checker with one result, named after it.
void add_result(const CheckResult& r, CheckRun& out) {
  out.json[r.checker] = check_result_json(r);
  out.overall = combine(out.overall, r.verdict);
  out.text += r.checker + ": " + verdict_name(r.verdict) + "\n";
  if (!r.note.empty()) out.text += "  " + r.note + "\n";
  out.text += violations_text(r);
}

void check_leaders(const History& h, const CheckSelection&, CheckRun& out) {
  add_result(check_one_leader_per_term(h), out);
}

void check_lost_writes(const History& h, const CheckSelection&, CheckRun& out) {
  add_result(check_no_lost_writes(h), out);
}

void check_convergence(const History& h, const CheckSelection&, CheckRun& out) {
  add_result(check_converged(h), out);
}

// Per audit: its time, total and money created (docs/checkers.md, "bank").
void add_bank_audits(const BankCheck& b, nlohmann::json& j, std::string& text) {
  nlohmann::json audits = nlohmann::json::array();
  std::uint64_t wrong = 0, in_flight = 0, unread = 0;
  std::string moved;
  for (const BankAuditResult& a : b.audits) {
    audits.push_back({{"audit", a.number},
                      {"time", format_duration(a.time)},
                      {"total", a.total ? nlohmann::json(*a.total) : nullptr},
                      {"money_created", a.created},
                      {"in_flight", a.in_flight},
                      {"unexplained_accounts", a.unexplained_accounts},
                      {"accounts_unread", a.accounts_unread},
                      {"transfers_before", a.transfers_before},
                      {"unknown_before", a.unknown_before}});
    unread += !a.total;
    in_flight += a.in_flight;
    if (a.total && a.created != 0 && !a.in_flight) {
      ++wrong;
      if (moved.size() < 200)
        moved += (moved.empty() ? "" : ", ") + std::string("audit ") + std::to_string(a.number) +
                 " at " + format_duration(a.time) + ": " + (a.created > 0 ? "+" : "") +
                 std::to_string(a.created);
    }
  }
  j["audits"] = std::move(audits);
  text += "  audits: " + std::to_string(b.audits.size()) + "; money created or destroyed at " +
          std::to_string(wrong) + (moved.empty() ? "" : " (" + moved + ")") + "; in flight at " +
          std::to_string(in_flight) + "; incomplete " + std::to_string(unread) + "\n";
}

// Sets: lost adds, resurrected removes, phantoms (docs/crdts.md). A history
// without set ops is valid with every count 0.
void check_carts(const History& h, const CheckSelection&, CheckRun& out) {
  CartCheck c = check_cart(h.sets);
  add_result(c.result, out);
  nlohmann::json& j = out.json[c.result.checker];
  j["acknowledged_adds"] = c.acknowledged_adds;
  j["acknowledged_removes"] = c.acknowledged_removes;
  j["lost_adds"] = c.lost_adds;
  j["resurrected_removes"] = c.resurrected_removes;
  j["phantom_items"] = c.phantom_items;
  j["diverged_keys"] = c.diverged_keys;
  j["final_reads"] = h.sets.final_reads.size();
  if (!h.sets.ops.empty())
    out.text += "  " + std::to_string(c.lost_adds) + " lost adds, " +
                std::to_string(c.resurrected_removes) + " resurrected removes, " +
                std::to_string(c.phantom_items) + " phantom items (" +
                std::to_string(c.acknowledged_adds) + " adds and " +
                std::to_string(c.acknowledged_removes) + " removes acknowledged, " +
                std::to_string(h.sets.final_reads.size()) + " final reads)\n";
}

// Counters: final reads within Jepsen's bounds; lost or invented increments.
void check_counters(const History& h, const CheckSelection&, CheckRun& out) {
  CounterCheck c = check_counter(h.counters);
  add_result(c.result, out);
  nlohmann::json& j = out.json[c.result.checker];
  j["final_reads"] = c.final_reads;
  j["final_reads_out_of_bounds"] = c.final_reads_out_of_bounds;
  j["lost_increments"] = c.lost_increments;
  j["invented_increments"] = c.invented_increments;
  j["stale_reads"] = c.stale_reads;
  if (!h.counters.ops.empty())
    out.text += "  " + std::to_string(c.lost_increments) + " increments lost, " +
                std::to_string(c.invented_increments) + " invented, over " +
                std::to_string(c.final_reads) + " final reads (" + std::to_string(c.stale_reads) +
                " stale reads before)\n";
}

// The bank checker adds its sums to its result: money created (destroyed
// when negative), transfers left half-done, and the transfer counts.
void check_bank_money(const History& h, const CheckSelection&, CheckRun& out) {
  if (!h.bank) return;  // a register history: nothing to judge, no entry
  BankCheck b = check_bank(h);
  add_result(b.result, out);
  nlohmann::json& j = out.json[b.result.checker];
  j["expected_total"] = b.expected_total ? nlohmann::json(*b.expected_total) : nullptr;
  j["final_total"] = b.final_total ? nlohmann::json(*b.final_total) : nullptr;
  j["money_created"] = b.created;
  j["half_done"] = b.half_done;
  j["inconsistent_accounts"] = b.inconsistent_accounts;
  j["negative_reads"] = b.negative_reads;
  j["accounts_without_final"] = b.accounts_without_final;
  j["transfers"] = {
      {"ok", b.transfers_ok}, {"failed", b.transfers_failed}, {"unknown", b.transfers_unknown}};
  std::string money = b.final_total
                          ? (b.created == 0  ? "money conserved"
                             : b.created > 0 ? "money created: +" + std::to_string(b.created)
                                             : "money destroyed: " + std::to_string(-b.created))
                          : "total unknown";
  out.text += "  " + money + "; transfers left half-done: " + std::to_string(b.half_done) +
              "; transfers ok " + std::to_string(b.transfers_ok) + ", failed " +
              std::to_string(b.transfers_failed) + ", unknown " +
              std::to_string(b.transfers_unknown) + "\n";
  if (!b.audits.empty()) add_bank_audits(b, j, out.text);
}

void check_siblings(const History& h, const CheckSelection&, CheckRun& out) {
  add_result(check_siblings_kept(h), out);
}

// The timeline checker adds its counts (docs/checkers.md, "timeline").
void check_social_timeline(const History& h, const CheckSelection&, CheckRun& out) {
  if (h.answers.empty()) return;  // no comments: nothing to judge, no entry
  TimelineCheck t = check_timeline(h);
  add_result(t.result, out);
  nlohmann::json& j = out.json[t.result.checker];
  j["comments"] = t.comments;
  j["comment_reads"] = t.comment_reads;
  j["post_reads"] = t.post_reads;
  j["causal_anomalies"] = t.causal_anomalies;
  j["own_post_reads"] = t.own_post_reads;
  j["own_post_missed"] = t.own_post_missed;
  j["unknown_posts"] = t.unknown_posts;
}

// The checker table: read by the CLI and the report, in this order.
constexpr CheckerEntry kCheckers[] = {
    {"linearizable", "linearizability per key (WGL search with a step budget)", check_linearizable},
    {"causal", "causal consistency: CC decides; CM and CCv reported beside it",
     check_causal_models},
    {"session", "session guarantees: read-your-writes, monotonic reads and writes, WFR",
     check_sessions},
    {"one-leader-per-term", "at most one node announces itself leader or primary per term",
     check_leaders},
    {"no-lost-writes", "no acknowledged write is lost at the end of the run (in doubt is not lost)",
     check_lost_writes, true},
    {"converged",
     "every key's live replicas agree at the end of the run (unknown while a fault is active)",
     check_convergence, true},
    {"cart",
     "sets: no acknowledged add lost and no observed remove undone in the final reads "
     "(lost adds, resurrected removes)",
     check_carts, true},
    {"counter",
     "counters: every final read within the bounds of the acknowledged increments "
     "(lost increments)",
     check_counters, true},
    {"bank",
     "bank workload: money conserved at the end, every account adds up, no transfer half-done, "
     "no negative balance where forbidden (a register history: not run)",
     check_bank_money, true},
    {"siblings-kept",
     "version vectors and mv-register: no acknowledged write vanishes without a covering write "
     "(not applicable under lww)",
     check_siblings, true},
    {"timeline",
     "social timeline: no reader sees a comment before the post it answers, posters see their "
     "own posts (a history without comments: not run)",
     check_social_timeline},
};

}  // namespace

std::span<const CheckerEntry> checker_registry() { return kCheckers; }

std::vector<std::string> checker_names() {
  std::vector<std::string> names;
  for (const CheckerEntry& c : kCheckers) names.emplace_back(c.name);
  return names;
}

std::optional<std::vector<std::string>> parse_checker_list(std::string_view text) {
  if (text == "all") return checker_names();
  std::vector<std::string> wanted;
  if (text == "none") return wanted;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view name = text.substr(start, comma - start);
    const auto found = std::find_if(std::begin(kCheckers), std::end(kCheckers),
                                    [&](const CheckerEntry& c) { return c.name == name; });
    if (found == std::end(kCheckers)) return std::nullopt;
    wanted.emplace_back(name);
    start = comma + 1;
  }
  std::vector<std::string> ordered;  // table order, each once
  for (const std::string& name : checker_names())
    if (std::find(wanted.begin(), wanted.end(), name) != wanted.end()) ordered.push_back(name);
  return ordered;
}

std::string checker_list_error(std::string_view text) {
  if (parse_checker_list(text)) return "";
  std::string bad(text);
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string_view name = text.substr(start, comma - start);
    if (!parse_checker_list(name)) {
      bad = std::string(name);
      break;
    }
    start = comma + 1;
  }
  std::string valid;
  for (const CheckerEntry& c : kCheckers) valid += std::string(c.name) + ", ";
  return "unknown checker \"" + bad + "\"; checkers: " + valid + "all or none";
}

nlohmann::json check_result_json(const CheckResult& r) {
  nlohmann::json j;
  j["checker"] = r.checker;
  j["verdict"] = verdict_name(r.verdict);
  j["violation_count"] = r.violation_count;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& v : r.violations)
    list.push_back({{"checker", v.checker},
                    {"key", v.key},
                    {"ops", v.ops},
                    {"reason", v.reason},
                    {"slice", v.slice}});
  j["violations"] = list;
  if (!r.note.empty()) j["note"] = r.note;
  return j;
}

History phase_history(const History& history, Time start, Time end) {
  History out;
  out.key_names = history.key_names;
  out.node_names = history.node_names;
  out.file = history.file;
  out.read_siblings = history.read_siblings;
  out.answers = history.answers;
  for (const auto& op : history.ops)
    if (op.f == HistOp::Write || (op.invoke_time >= start && op.invoke_time < end))
      out.ops.push_back(op);
  for (const auto& role : history.roles)
    if (role.time >= start && role.time < end) out.roles.push_back(role);
  return out;
}

CheckOutcome run_checks(const History& history, const CheckSelection& selection,
                        nlohmann::json& json) {
  CheckOutcome outcome;
  json = nlohmann::json::object();
  for (const CheckerEntry& checker : kCheckers) {
    if (std::find(selection.checkers.begin(), selection.checkers.end(), checker.name) ==
        selection.checkers.end())
      continue;
    CheckRun run;
    checker.run(history, selection, run);
    for (auto& [name, result] : run.json.items()) json[name] = std::move(result);
    outcome.text += run.text;
    outcome.overall = combine(outcome.overall, run.overall);
    outcome.verdicts.emplace_back(std::string(checker.name), run.overall);
  }
  return outcome;
}

}  // namespace consim
