// The printed summary: see summary_print.h. Example (abridged):
//
//   demo-partition  model eventual-async  seed 42  20000 ms
//   phase          from ms    to ms  reads  r-avail  writes  w-avail  r-p50  r-p99  w-p50  w-p99
//   stale before               0     5000    120    1.000 118    1.000   2.10   4.30   2.20   4.50
//   0.0% during p1         5000    10000    ...
#include "analysis/report/summary_print.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/report/summary_parts.h"

namespace consim {
namespace summary {

std::string number(const nlohmann::json& value, const char* format) {
  if (!value.is_number()) return "-";
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, format, value.get<double>());
  return buffer;
}

std::string percent(const nlohmann::json& value) {
  if (!value.is_number()) return "-";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f%%", value.get<double>() * 100.0);
  return buffer;
}

std::string text(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "-";
  return value.dump();
}

// Safe lookup: null when any step is missing.
const nlohmann::json& at(const nlohmann::json& j, std::initializer_list<const char*> path) {
  static const nlohmann::json null_json;
  const nlohmann::json* node = &j;
  for (const char* key : path) {
    if (!node->is_object()) return null_json;
    auto it = node->find(key);
    if (it == node->end()) return null_json;
    node = &*it;
  }
  return *node;
}

namespace {

// The first column is as wide as the longest phase name: never cut.
std::string padded(const std::string& name, std::size_t width) {
  return name + std::string(width > name.size() ? width - name.size() : 0, ' ');
}

std::string row(const std::string& name, std::size_t width, const nlohmann::json& start,
                const nlohmann::json& end, const nlohmann::json& ops, const nlohmann::json& stale) {
  char buffer[512];
  const auto ok_total = [&](const char* f) {
    const nlohmann::json& t = at(ops, {f});
    if (!t.is_object()) return std::string("-");
    std::uint64_t total = 0;
    for (const char* outcome : {"ok", "fail", "info"}) {
      if (at(t, {outcome}).is_number_unsigned()) total += at(t, {outcome}).get<std::uint64_t>();
    }
    return std::to_string(total);
  };
  std::snprintf(buffer, sizeof buffer, " %9s %9s %6s %7s %6s %7s %7s %7s %7s %7s %6s\n",
                number(start, "%.0f").c_str(), number(end, "%.0f").c_str(),
                ok_total("read").c_str(), number(at(ops, {"read", "availability"}), "%.3f").c_str(),
                ok_total("write").c_str(),
                number(at(ops, {"write", "availability"}), "%.3f").c_str(),
                number(at(ops, {"read", "latency_ms", "p50"}), "%.2f").c_str(),
                number(at(ops, {"read", "latency_ms", "p99"}), "%.2f").c_str(),
                number(at(ops, {"write", "latency_ms", "p50"}), "%.2f").c_str(),
                number(at(ops, {"write", "latency_ms", "p99"}), "%.2f").c_str(),
                percent(at(stale, {"stale_rate"})).c_str());
  return padded(name, width) + buffer;
}

std::string phase_table(const nlohmann::json& report) {
  const nlohmann::json& phases = at(report, {"phases"});
  std::size_t width = std::string("overall").size();
  for (std::size_t i = 0; phases.is_array() && i < phases.size(); ++i)
    width = std::max(width, text(at(phases[i], {"name"})).size());
  char header[512];
  std::snprintf(header, sizeof header, " %9s %9s %6s %7s %6s %7s %7s %7s %7s %7s %6s\n", "from ms",
                "to ms", "reads", "r-avail", "writes", "w-avail", "r-p50", "r-p99", "w-p50",
                "w-p99", "stale");
  std::string out = padded("phase", width) + header;
  const nlohmann::json& stale = at(report, {"staleness", "phases"});
  for (std::size_t i = 0; phases.is_array() && i < phases.size(); ++i) {
    const nlohmann::json& p = phases[i];
    const nlohmann::json& s = stale.is_array() && i < stale.size() ? stale[i] : nlohmann::json();
    out += row(text(at(p, {"name"})), width, at(p, {"start_ms"}), at(p, {"end_ms"}), p, s);
  }
  out += row("overall", width, 0.0, at(report, {"duration_ms"}), at(report, {"overall"}),
             at(report, {"staleness", "overall"}));
  return out;
}

std::string staleness_lines(const nlohmann::json& report) {
  const nlohmann::json& s = at(report, {"staleness", "overall"});
  std::string out = "stale reads: " + text(at(s, {"stale"})) + " of " + text(at(s, {"reads_ok"})) +
                    " ok reads (" + percent(at(s, {"stale_rate"})) + ")";
  if (at(s, {"stale"}).is_number() && at(s, {"stale"}).get<std::uint64_t>() > 0) {
    out += "; k mean " + number(at(s, {"k", "mean"}), "%.2f") + " max " +
           text(at(s, {"k", "max"})) + "; t p50 " + number(at(s, {"t_ms", "p50"}), "%.2f") +
           " ms p99 " + number(at(s, {"t_ms", "p99"}), "%.2f") + " ms";
  }
  return out + "\n";
}

// "converged in 12.00 ms, all keys agree after 15.00 ms", or for a run that
// never gets there "converged: never: 3 keys still differ".
std::string converged_text(const nlohmann::json& watch, const nlohmann::json& convergence) {
  std::string out;
  if (at(watch, {"converged_ms"}).is_number()) {
    out = "converged in " + number(at(watch, {"converged_ms"}), "%.2f") + " ms";
  } else {
    const nlohmann::json& n = at(watch, {"keys_not_converged"});
    out = "converged: never: " + text(n) + (n == 1 ? " key still differs" : " keys still differ");
  }
  if (at(watch, {"all_agree_ms"}).is_number()) {
    out += ", all keys agree after " + number(at(watch, {"all_agree_ms"}), "%.2f") + " ms";
  } else {
    const nlohmann::json& n = at(convergence, {"divergent_keys_at_end"});
    out += ", all keys agree: never (" + text(n) +
           (n == 1 ? " key differs at the end)" : " keys differ at the end)");
  }
  return out;
}

std::string convergence_lines(const nlohmann::json& report) {
  const nlohmann::json& c = at(report, {"convergence"});
  if (!at(c, {"available"}).is_boolean() || !at(c, {"available"}).get<bool>()) {
    return "convergence: not measured (no apply lines)\n";
  }
  std::string out = "divergent keys: max " + text(at(c, {"divergent_keys_max"})) + ", mean " +
                    number(at(c, {"divergent_keys_mean"}), "%.2f") + ", at end " +
                    text(at(c, {"divergent_keys_at_end"})) + "\n";
  for (const nlohmann::json& w : at(c, {"after_faults"})) {
    out += "  after " + text(at(w, {"event"})) + " of " + text(at(w, {"fault"})) + " at " +
           number(at(w, {"time_ms"}), "%.0f") + " ms: " + converged_text(w, c) + "\n";
  }
  return out;
}

std::string lost_writes_lines(const nlohmann::json& report) {
  const nlohmann::json& l = at(report, {"lost_writes"});
  if (at(l, {"available"}) != true)
    return "lost acknowledged writes: not measured (no apply lines)\n";
  std::string out = "lost acknowledged writes: " + text(at(l, {"count"}));
  if (at(l, {"lower_bound"}) == true) out += " or more";
  std::size_t shown = 0;
  for (const nlohmann::json& w : at(l, {"listed"})) {
    if (shown++ == 3) {
      out += ", ...";
      break;
    }
    out += (shown == 1 ? " (" : ", ") + std::string("line ") + text(at(w, {"line"})) + " key " +
           text(at(w, {"key"})) + " value " + text(at(w, {"value"}));
  }
  if (shown > 0) out += ")";
  if (at(l, {"faults_active_at_end"}) == true || at(l, {"converged_at_end"}) == false) {
    out += " [not final: the run ended with a fault active or replicas diverged]";
  }
  out += "\n";
  const nlohmann::json& doubt = at(l, {"in_doubt"});
  if (at(doubt, {"count"}).is_number() && at(doubt, {"count"}).get<std::uint64_t>() > 0) {
    out +=
        "in doubt at the end (acknowledged, durable on a crashed node, blocked until it "
        "recovers): " +
        text(at(doubt, {"count"}));
    shown = 0;
    for (const nlohmann::json& w : at(doubt, {"listed"})) {
      if (shown++ == 3) {
        out += ", ...";
        break;
      }
      std::string holders;
      for (const nlohmann::json& n : at(w, {"held_by"}))
        holders += (holders.empty() ? "" : " ") + text(n);
      out += (shown == 1 ? " (" : ", ") + std::string("line ") + text(at(w, {"line"})) + " key " +
             text(at(w, {"key"})) + " value " + text(at(w, {"value"})) + " on " + holders;
    }
    if (shown > 0) out += ")";
    out += "\n";
  }
  return out;
}

// "  by type: read 579 (18528 B), write 636 (81852 B)", in the report's
// (name) order, so a protocol's own traffic (anti-entropy-*) shows apart.
std::string kinds_line(const nlohmann::json& overall) {
  const nlohmann::json& kinds = at(overall, {"kinds"});
  if (!kinds.is_object() || kinds.empty()) return "";
  std::string out = "  by type:";
  bool first = true;
  for (const auto& [name, k] : kinds.items()) {
    out += (first ? " " : ", ") + name + " " + text(at(k, {"messages"})) + " (" +
           text(at(k, {"bytes"})) + " B)";
    first = false;
  }
  return out + "\n";
}

std::string messages_line(const nlohmann::json& report) {
  if (at(report, {"messages", "available"}) == false)
    return "messages: not measured: " + text(at(report, {"messages", "reason"})) + "\n";
  const nlohmann::json& m = at(report, {"messages", "overall"});
  return "messages: " + text(at(m, {"messages"})) + " (" +
         number(at(m, {"messages_per_op"}), "%.2f") + " per op, " +
         number(at(m, {"bytes_per_op"}), "%.0f") + " bytes per op), dropped " +
         text(at(m, {"dropped"})) + "\n" + kinds_line(m);
}

// "model notes: in-doubt 12, resolved 12 (lasted p50 2.40 ms, max 310.00 ms)".
std::string notes_line(const nlohmann::json& report) {
  const nlohmann::json& notes = at(report, {"notes"});
  if (!notes.is_object() || notes.empty()) return "";
  std::string out = "model notes:";
  const char* sep = " ";
  for (const auto& [what, n] : notes.items()) {
    out += sep + what + " " + text(at(n, {"count"}));
    if (at(n, {"lasted_ms"}).is_object())
      out += " (lasted p50 " + number(at(n, {"lasted_ms", "p50"}), "%.2f") + " ms, max " +
             number(at(n, {"lasted_ms", "max"}), "%.2f") + " ms)";
    sep = ", ";
  }
  return out + "\n";
}

// ok + fail + info of an ops object, or "-".
std::string total_ops(const nlohmann::json& ops) {
  double total = 0;
  for (const char* outcome : {"ok", "fail", "info"}) {
    const nlohmann::json& n = at(ops, {outcome});
    if (!n.is_number()) return "-";
    total += n.get<double>();
  }
  return number(total, "%.0f");
}

// One line per client group, e.g. "group readers (clients 2-5 at n2 n3):
// 1473 ops, availability 1.000, stale reads 494 of 1473 (33.5%)".
std::string group_lines(const nlohmann::json& report) {
  std::string out;
  for (const nlohmann::json& g : at(report, {"groups", "groups"})) {
    std::string nodes;
    for (const nlohmann::json& n : at(g, {"nodes"})) nodes += " " + text(n);
    const nlohmann::json& clients = at(g, {"clients"});
    const bool range = clients.is_array() && clients.size() == 2;
    const nlohmann::json& all = at(g, {"ops", "all"});
    const nlohmann::json& stale = at(g, {"staleness"});
    out += "group " + text(at(g, {"name"})) + " (clients " +
           (range ? text(clients[0]) + "-" + text(clients[1]) : "?") + " at" + nodes +
           "): " + total_ops(all) + " ops, availability " +
           number(at(all, {"availability"}), "%.3f") + ", stale reads " +
           text(at(stale, {"stale"})) + " of " + text(at(stale, {"reads_ok"})) + " (" +
           percent(at(stale, {"stale_rate"})) + ")\n";
  }
  return out;
}

std::string cap_lines(const nlohmann::json& report) {
  std::string out;
  for (const nlohmann::json& p : at(report, {"cap", "partitions"})) {
    out += "partition " + text(at(p, {"fault"})) + ":";
    for (const nlohmann::json& side : at(p, {"sides"})) {
      std::string nodes;
      for (const nlohmann::json& n : at(side, {"nodes"})) {
        if (!nodes.empty()) nodes += ' ';
        nodes += text(n);
      }
      out += "  {";
      out += nodes;
      out += "} availability " + number(at(side, {"availability"}), "%.3f");
      out += ", fresh reads " + percent(at(side, {"fresh_fraction"}));
    }
    out += "\n";
  }
  const nlohmann::json& e = at(report, {"cap", "else"});
  out += "no fault (PACELC else): read p50/p99 " +
         number(at(e, {"read_latency_ms", "p50"}), "%.2f") + "/" +
         number(at(e, {"read_latency_ms", "p99"}), "%.2f") + " ms, write p50/p99 " +
         number(at(e, {"write_latency_ms", "p50"}), "%.2f") + "/" +
         number(at(e, {"write_latency_ms", "p99"}), "%.2f") + " ms, stale reads " +
         percent(at(e, {"stale_rate"})) + "\n";
  return out;
}

// The event-sourced model's read model lag (metrics/events_behind.cc), for
// the node furthest behind: "events behind: n3 max 188 (before 181, during
// cut 159, after cut 188), mean 38.53, at end 0; lag p50/p99 175.11/3372.22
// ms". Other models: nothing (their replicas' lag is in report.json).
std::string events_behind_line(const nlohmann::json& report) {
  if (at(report, {"model"}) != "event-sourced") return "";
  const nlohmann::json* worst = nullptr;
  for (const nlohmann::json& n : at(report, {"events_behind", "nodes"}))
    if (!worst || n["max"].get<double>() > (*worst)["max"].get<double>()) worst = &n;
  if (!worst) return "";
  const nlohmann::json& n = *worst;
  std::string phases;
  for (const nlohmann::json& p : n["phases"])
    phases += (phases.empty() ? "" : ", ") + text(p["phase"]) + " " + text(p["max"]);
  return "events behind: " + text(n["node"]) + " max " + text(n["max"]) + " (" + phases +
         "), mean " + number(n["mean"], "%.2f") + ", at end " + text(n["at_end"]) +
         "; lag p50/p99 " + number(at(n, {"lag_ms", "p50"}), "%.2f") + "/" +
         number(at(n, {"lag_ms", "p99"}), "%.2f") + " ms\n";
}
}  // namespace

// The whole summary, in print order.
std::string all_lines(const nlohmann::json& report) {
  std::string out = text(at(report, {"scenario"})) + "  model " + text(at(report, {"model"})) +
                    "  seed " + text(at(report, {"seed"})) + "  " +
                    number(at(report, {"duration_ms"}), "%.0f") + " ms" +
                    (at(report, {"complete"}) == false ? " (trace cut short)" : "") + "\n\n";
  out += phase_table(report) + "\n";
  out += staleness_lines(report);
  out += convergence_lines(report);
  out += lost_writes_lines(report);
  out += messages_line(report);
  out += notes_line(report);
  out += failover_lines(report);
  out += elections_lines(report);
  out += redirects_line(report);
  out += events_behind_line(report);
  out += group_lines(report);
  out += cap_lines(report);
  return out;
}

}  // namespace summary

std::string format_summary(const nlohmann::json& report) { return summary::all_lines(report); }

}  // namespace consim
