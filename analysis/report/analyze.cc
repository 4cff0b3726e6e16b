// One pass over a trace: the run analysis and the history, then the
// checkers, overall and per phase; see analyze.h.
#include "analysis/report/analyze.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "analysis/checkers/checks.h"
#include "analysis/report/run_analysis.h"
#include "analysis/report/summary_print.h"
#include "analysis/trace/history_loader.h"
#include "analysis/trace/jepsen_log.h"
#include "analysis/trace/trace_reader.h"

namespace consim {
namespace {

Time ms_to_time(const nlohmann::json& ms) {
  return static_cast<Time>(ms.get<double>() * static_cast<double>(kMillisecond) + 0.5);
}

// Verdicts for the reads of each phase (with every write as context).
void add_phase_checks(nlohmann::json& report, const History& history, CheckSelection selection) {
  std::erase_if(selection.checkers, [](const std::string& name) {
    for (const CheckerEntry& c : checker_registry())
      if (c.name == name) return c.whole_run;
    return false;
  });
  for (auto& phase : report["phases"]) {
    Time start = ms_to_time(phase["start_ms"]), end = ms_to_time(phase["end_ms"]);
    nlohmann::json results;
    run_checks(phase_history(history, start, end), selection, results);
    nlohmann::json verdicts = nlohmann::json::object();
    for (auto& [name, result] : results.items())
      verdicts[name] = {{"verdict", result["verdict"]},
                        {"violation_count", result["violation_count"]}};
    phase["checkers"] = verdicts;
  }
}

// Only consim's own traces can have replica state: a history from elsewhere
// is read as a history, without the run analysis.
bool is_consim_trace(const std::string& path) {
  TraceReader probe(path);
  TraceEvent first;
  if (!probe.next(first) || first.type != EventType::Header) return false;
  const nlohmann::json& h = probe.header();
  return h.is_object() && h.value("format", "") == "consim-trace";
}

}  // namespace

std::optional<LostWriteFacts> lost_write_facts(const nlohmann::json& report) {
  auto it = report.find("lost_writes");
  if (it == report.end() || !it->value("available", false)) return std::nullopt;
  const nlohmann::json& l = *it;
  LostWriteFacts f;
  f.lost = l.at("count").get<std::uint64_t>();
  f.in_doubt = l.at("in_doubt").at("count").get<std::uint64_t>();
  for (const auto& w : l.at("listed"))
    f.listed.push_back({w.at("line").get<std::uint64_t>(), w.at("key").get<std::string>(),
                        w.at("value").get<std::int64_t>()});
  f.final = l.at("converged_at_end").get<bool>() && !l.at("faults_active_at_end").get<bool>();
  return f;
}

std::optional<ConvergenceFacts> convergence_facts(const nlohmann::json& report) {
  auto it = report.find("convergence");
  if (it == report.end() || !it->value("available", false)) return std::nullopt;
  const nlohmann::json& c = *it;
  ConvergenceFacts f;
  f.divergent_keys = c.at("divergent_keys_at_end").get<std::uint64_t>();
  for (const auto& d : c.at("divergent_at_end")) {
    ConvergenceFacts::Divergent one;
    one.key = d.at("key").get<std::string>();
    for (const auto& h : d.at("held")) {
      const std::uint64_t line = h.at("line").get<std::uint64_t>();
      one.held += (one.held.empty() ? "" : ", ") + h.at("node").get<std::string>() + " holds " +
                  h.at("value").dump() + " (line " + std::to_string(line) + ")";
      one.lines.push_back(line);
    }
    f.listed.push_back(std::move(one));
  }
  for (const auto& a : c.at("faults_active_at_end"))
    f.active_faults.emplace_back(a.at("fault").get<std::string>(),
                                 a.at("kind").is_string() ? a.at("kind").get<std::string>() : "");
  return f;
}

namespace {

// One pass over a consim trace: the run analysis's report and, when asked
// for, the history with the report's lost-write facts.
struct TracePass {
  nlohmann::json report;
  std::optional<History> history;
  std::uint64_t nemesis_lines = 0;
};

TracePass read_trace(const std::string& path, bool want_history) {
  TraceReader reader(path);
  HistoryBuilder history(path);
  std::optional<RunAnalysis> run;
  TraceEvent event;
  while (reader.next(event)) {
    if (!run) run.emplace(reader.header());
    run->on_event(event, reader.names());
    if (event.type == EventType::Header) history.take_header(reader.header());
    history.add(event, reader.names());
  }
  if (!run) run.emplace(reader.header());
  TracePass pass;
  pass.report = run->finish(reader.names());
  pass.nemesis_lines = reader.nemesis_lines();
  if (want_history) {
    pass.history = history.finish(reader.names());
    pass.history->lost_writes = lost_write_facts(pass.report);
    pass.history->convergence = convergence_facts(pass.report);
  }
  return pass;
}

}  // namespace

History load_checked_history(const std::string& path) {
  if (looks_like_jepsen_log(path) || !is_consim_trace(path)) return load_history(path);
  TracePass pass = read_trace(path, true);
  History h = std::move(*pass.history);
  h.nemesis_lines = pass.nemesis_lines;
  return h;
}

nlohmann::json analyze_trace(const std::string& trace_path, const AnalyzeOptions& options) {
  CheckSelection selection;
  selection.checkers = options.checkers.value_or(checker_names());
  TracePass pass = read_trace(trace_path, !selection.checkers.empty());
  nlohmann::json report = std::move(pass.report);
  if (selection.checkers.empty()) return report;
  History& h = *pass.history;
  selection.linearizability_budget = options.linearizability_budget;
  run_checks(h, selection, report["checkers"]);
  add_phase_checks(report, h, selection);
  return report;
}

std::string report_summary_text(const nlohmann::json& report) {
  std::string text = format_summary(report);
  if (report.contains("checkers") && !report["checkers"].empty()) {
    text += "checkers:";
    for (auto& [name, result] : report["checkers"].items())
      text += " " + name + " " + result["verdict"].get<std::string>() + " (" +
              std::to_string(result["violation_count"].get<std::uint64_t>()) + " violations)";
    text += "\n";
  }
  if (report.contains("checkers") && report["checkers"].contains("bank")) {
    // The bank checker's sums (docs/checkers.md, "bank").
    const nlohmann::json& b = report["checkers"]["bank"];
    const std::int64_t created = b.value("money_created", std::int64_t{0});
    const nlohmann::json& t = b["transfers"];
    text +=
        "bank: " +
        std::string(b["final_total"].is_null() ? "total unknown (accounts without a final balance)"
                    : created == 0             ? "money conserved"
                    : created > 0              ? "money created: +" + std::to_string(created)
                                               : "money destroyed: " + std::to_string(-created)) +
        "; transfers left half-done: " + std::to_string(b["half_done"].get<std::uint64_t>()) +
        "; transfers ok " + std::to_string(t["ok"].get<std::uint64_t>()) + ", failed " +
        std::to_string(t["failed"].get<std::uint64_t>()) + ", unknown " +
        std::to_string(t["unknown"].get<std::uint64_t>()) + "\n";
  }
  return text;
}

}  // namespace consim
