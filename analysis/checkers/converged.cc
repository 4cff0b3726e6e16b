// The converged checker: see converged.h.
#include "analysis/checkers/converged.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace consim {
namespace {

// Fault kinds that change a setting for good and never stop a message:
// active at the end of every run that drew one, and no excuse for diverging.
constexpr std::array<std::string_view, 1> kSettingFaults = {"clock"};

constexpr std::size_t kConvergedListed = 20;

std::string blocking_faults(const ConvergenceFacts& f) {
  std::string names;
  for (const auto& [fault, kind] : f.active_faults) {
    if (std::find(kSettingFaults.begin(), kSettingFaults.end(), kind) != kSettingFaults.end())
      continue;
    names += (names.empty() ? "" : ", ") + fault;
  }
  return names;
}

}  // namespace

CheckResult check_converged(const History& h) {
  if (!h.convergence) return no_replica_state("converged");
  CheckResult r;
  r.checker = "converged";
  const ConvergenceFacts& f = *h.convergence;
  if (f.divergent_keys == 0) return r;
  const std::string active = blocking_faults(f);
  if (!active.empty()) {
    r.verdict = Verdict::Unknown;
    r.note = std::to_string(f.divergent_keys) +
             " keys divergent at the end, but faults were active at the end (" + active +
             "): not final";
    return r;
  }
  r.verdict = Verdict::Invalid;
  r.violation_count = f.divergent_keys;
  for (const auto& d : f.listed) {
    if (r.violations.size() >= kConvergedListed) break;
    std::vector<std::uint64_t> lines = d.lines;
    std::sort(lines.begin(), lines.end());
    r.violations.push_back(Violation{r.checker, d.key, lines,
                                     "replicas disagree at the end of the run: " + d.held, lines});
  }
  return r;
}

}  // namespace consim
