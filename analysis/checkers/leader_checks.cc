// one-leader-per-term and no-lost-writes; see leader_checks.h.
#include "analysis/checkers/leader_checks.h"

#include <map>
#include <string>

namespace consim {
namespace {

constexpr std::size_t kListed = 20;  // violations kept; violation_count counts all

bool leads(const std::string& role) { return role == "leader" || role == "primary"; }

std::string node_name(const History& h, std::uint32_t node) {
  return node < h.node_names.size() ? h.node_names[node] : "node " + std::to_string(node);
}

CheckResult with_doubt_note(CheckResult r, const LostWriteFacts& f) {
  if (f.in_doubt == 0) return r;
  if (!r.note.empty()) r.note += "; ";
  r.note += std::to_string(f.in_doubt) +
            " acknowledged writes in doubt (held only by crashed replicas), not lost";
  return r;
}

}  // namespace

CheckResult check_one_leader_per_term(const History& h) {
  CheckResult r;
  r.checker = "one-leader-per-term";
  // term -> the first leading announcement of each node, in file order.
  std::map<std::int64_t, std::vector<const RoleChange*>> leaders;
  for (const RoleChange& c : h.roles) {
    if (!leads(c.role)) continue;
    auto& list = leaders[c.term];
    bool seen = false;
    for (const RoleChange* other : list) seen = seen || other->node == c.node;
    if (!seen) list.push_back(&c);
  }
  for (const auto& [term, list] : leaders) {
    if (list.size() < 2) continue;
    ++r.violation_count;
    if (r.violations.size() >= kListed) continue;
    Violation v;
    v.checker = r.checker;
    v.reason = "term " + std::to_string(term) + " has " + std::to_string(list.size()) + " leaders:";
    for (std::size_t i = 0; i < list.size(); ++i) {
      v.ops.push_back(list[i]->line);
      v.reason += std::string(i ? "," : "") + " " + node_name(h, list[i]->node) + " (line " +
                  std::to_string(list[i]->line) + ")";
    }
    v.slice = v.ops;
    r.violations.push_back(std::move(v));
  }
  r.verdict = r.violation_count ? Verdict::Invalid : Verdict::Valid;
  if (h.roles.empty()) r.note = "no role lines: nothing announced a leader";
  return r;
}

CheckResult check_no_lost_writes(const History& h) {
  if (!h.lost_writes) return no_replica_state("no-lost-writes");
  CheckResult r;
  r.checker = "no-lost-writes";
  const LostWriteFacts& f = *h.lost_writes;
  if (f.lost > 0 && !f.final) {
    r.verdict = Verdict::Unknown;
    r.note = std::to_string(f.lost) +
             " acknowledged writes missing, but the run ended with a fault active or replicas "
             "not converged: not final";
  }
  if (r.verdict == Verdict::Unknown) return with_doubt_note(r, f);
  r.violation_count = f.lost;
  for (const auto& w : f.listed) {
    if (r.violations.size() >= kListed) break;
    r.violations.push_back(Violation{r.checker,
                                     w.key,
                                     {w.line},
                                     "write of " + std::to_string(w.value) +
                                         " was acknowledged, and no live or crashed replica "
                                         "holds it (or a later write) at the end",
                                     {w.line}});
  }
  r.verdict = f.lost ? Verdict::Invalid : Verdict::Valid;
  return with_doubt_note(r, f);
}

}  // namespace consim
