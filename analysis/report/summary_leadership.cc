// Leadership lines of the printed summary: failover, elections and
// redirects of the models that announce roles; see summary_parts.h.
// Example:
//   failover: 1 of 1 failure of the leader gave a new leader
//     crash-n1 hit n1 (leader, term 1) at 5000 ms: new leader n2 (term 2) after
//     151.20 ms, unavailable 160.00 ms
//   two leaders at once: 0.00 ms in 0 intervals
#include <nlohmann/json.hpp>

#include "analysis/report/summary_parts.h"

namespace consim::summary {
namespace {

// "1 interval", "3 intervals".
std::string counted(const nlohmann::json& n, const std::string& word) {
  return text(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

// One line per failure of the leader (at most kFailuresShown), then the
// time with two leaders; nothing for a trace without role lines.
std::string failover_lines(const nlohmann::json& report) {
  constexpr std::size_t kFailuresShown = 10;
  const nlohmann::json& f = at(report, {"failover"});
  if (at(f, {"available"}) != true) return "";
  const nlohmann::json& failures = at(f, {"failures"});
  std::string out = failures.empty() ? "failover: no fault hit the leader"
                                     : "failover: " + text(at(f, {"failovers"})) + " of " +
                                           counted(failures.size(), "failure") +
                                           " of the leader gave a new leader";
  const nlohmann::json& lost = at(f, {"lost_writes"});
  if (lost.is_object())
    out += "; acknowledged writes lost in them " + text(at(lost, {"in_failures"})) +
           ", elsewhere " + text(at(lost, {"not_attributed"}));
  out += "\n";
  std::size_t shown = 0;
  for (const nlohmann::json& e : failures) {
    if (shown++ == kFailuresShown) {
      out += "  ... " + std::to_string(failures.size() - kFailuresShown) + " more\n";
      break;
    }
    out += "  " + text(at(e, {"fault"})) + " hit " + text(at(e, {"node"})) + " (" +
           text(at(e, {"role"})) + ", term " + text(at(e, {"term"})) + ") at " +
           number(at(e, {"at_ms"}), "%.0f") + " ms: ";
    const nlohmann::json& leader = at(e, {"new_leader"});
    out += leader.is_object() ? "new leader " + text(at(leader, {"node"})) + " (term " +
                                    text(at(leader, {"term"})) + ") after " +
                                    number(at(leader, {"after_ms"}), "%.2f") + " ms"
                              : std::string("no new leader");
    out += at(e, {"recovered"}) == true
               ? ", unavailable " + number(at(e, {"unavailable_ms"}), "%.2f") + " ms"
               : ", no acknowledged write after it (" + number(at(e, {"unavailable_ms"}), "%.2f") +
                     " ms to the end)";
    if (at(e, {"lost_writes"}).is_number())
      out += ", acknowledged writes lost: " + text(at(e, {"lost_writes"}));
    out += "\n";
  }
  const nlohmann::json& two = at(f, {"two_leaders"});
  out += "two leaders at once: " + number(at(two, {"total_ms"}), "%.2f") + " ms in " +
         counted(at(two, {"count"}), "interval") + "\n";
  return out;
}

std::string elections_lines(const nlohmann::json& report) {
  const nlohmann::json& e = at(report, {"elections"});
  if (at(e, {"available"}) != true) return "";
  std::string out =
      "elections: " + text(at(e, {"elections"})) + " terms with a leader, " +
      text(at(e, {"candidacies"})) + " candidacies, highest term " + text(at(e, {"highest_term"})) +
      "; no leader for " + number(at(e, {"leaderless", "total_ms"}), "%.2f") + " ms in " +
      counted(at(e, {"leaderless", "count"}), "interval") + "; terms with two leaders: ";
  std::string terms;
  for (const nlohmann::json& t : at(e, {"terms_with_two_leaders"})) {
    std::string nodes;
    for (const nlohmann::json& n : at(t, {"nodes"})) nodes += (nodes.empty() ? "" : " ") + text(n);
    terms += (terms.empty() ? "" : ", ") + text(at(t, {"term"})) + " (" + nodes + ")";
  }
  out += (terms.empty() ? "none" : terms) + "\n";
  const nlohmann::json& drift = at(e, {"stale_reads_during_clock_faults"});
  if (at(drift, {"reads_ok"}).is_number() && at(drift, {"reads_ok"}).get<std::uint64_t>() > 0)
    out += "stale reads during clock faults: " + text(at(drift, {"stale"})) + " of " +
           text(at(drift, {"reads_ok"})) + " ok reads (" + percent(at(drift, {"stale_rate"})) +
           ")\n";
  return out;
}

// "redirects: 12 (10 operations, 0 gave up, 1 unresolved), leader search
// p50/p99 1.20/3.40 ms"; nothing for a run without redirects.
std::string redirects_line(const nlohmann::json& report) {
  const nlohmann::json& r = at(report, {"redirects"});
  const nlohmann::json& count = at(r, {"redirects"});
  if (!count.is_number() || count.get<double>() == 0) return "";
  return "redirects: " + text(count) + " (" + text(at(r, {"operations_redirected"})) +
         " operations, " + text(at(r, {"gave_up"})) + " gave up, " + text(at(r, {"unresolved"})) +
         " unresolved), leader search p50/p99 " +
         number(at(r, {"leader_search_ms", "p50"}), "%.2f") + "/" +
         number(at(r, {"leader_search_ms", "p99"}), "%.2f") + " ms\n";
}
}  // namespace consim::summary
