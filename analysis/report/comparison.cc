// Side-by-side comparison of several runs of one scenario and seed (one per
// store model): one row per model and phase with availability, latency,
// stale reads, linearizability and messages per operation; see analyze.h.
// When any model's clients were redirected (leader-based models), a
// redirect column and a table of how the clients found the leader.
// Reads only report.json content, so it works on reports loaded from disk.
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/report/analyze.h"
#include "analysis/report/comparison_crdt.h"
#include "base/text_table.h"

namespace consim {
namespace {

const nlohmann::json& member(const nlohmann::json& j, const char* name) {
  static const nlohmann::json null;
  return j.is_object() && j.contains(name) ? j[name] : null;
}

// The entry of `section` whose "phase" is `name`, or null.
const nlohmann::json& phase_entry(const nlohmann::json& section, const std::string& name) {
  static const nlohmann::json null;
  for (const auto& e : member(section, "phases"))
    if (member(e, "phase") == name) return e;
  return null;
}

nlohmann::json row(const nlohmann::json& report, const nlohmann::json& phase) {
  const std::string name = phase["name"];
  const auto& stale = phase_entry(report["staleness"], name);
  const auto& msgs = phase_entry(report["messages"], name);
  nlohmann::json r;
  r["model"] = report["model"];
  r["phase"] = name;
  r["availability"] = member(phase["all"], "availability");
  r["read_availability"] = member(phase["read"], "availability");
  r["write_availability"] = member(phase["write"], "availability");
  r["read_p50_ms"] = member(member(phase["read"], "latency_ms"), "p50");
  r["read_p99_ms"] = member(member(phase["read"], "latency_ms"), "p99");
  r["write_p50_ms"] = member(member(phase["write"], "latency_ms"), "p50");
  r["write_p99_ms"] = member(member(phase["write"], "latency_ms"), "p99");
  r["stale_reads"] = member(stale, "stale");
  r["stale_rate"] = member(stale, "stale_rate");
  r["messages_per_op"] = report["messages"].value("available", true)
                             ? member(msgs, "messages_per_op")
                             : nlohmann::json();  // not measured: no network lines
  r["linearizable"] = member(member(member(phase, "checkers"), "linearizable"), "verdict");
  r["redirects"] = member(phase_entry(report["redirects"], name), "redirects");
  return r;
}

std::string cell(const nlohmann::json& j, const char* format, double scale = 1) {
  if (!j.is_number()) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, format, j.get<double>() * scale);
  return buf;
}

std::string pair_cell(const nlohmann::json& a, const nlohmann::json& b) {
  if (!a.is_number()) return "-";
  return cell(a, "%.1f") + "/" + cell(b, "%.1f");
}

bool has_roles(const nlohmann::json& report) {
  return member(member(report, "failover"), "available") == true;
}

// The largest unavailability window of the run's failures of the leader,
// "-" without one; "+" marks a window that lasted to the end of the run (no
// write was acknowledged after that failure).
std::string max_unavailable(const nlohmann::json& failover) {
  const nlohmann::json* most = nullptr;
  for (const auto& f : member(failover, "failures")) {
    const nlohmann::json& u = member(f, "unavailable_ms");
    if (u.is_number() &&
        (most == nullptr || u.get<double>() > (*most)["unavailable_ms"].get<double>()))
      most = &f;
  }
  if (most == nullptr) return "-";
  return cell((*most)["unavailable_ms"], "%.1f") + (member(*most, "recovered") == false ? "+" : "");
}

// The leadership table: one row per model whose run has role lines, empty
// (no table) when none has. Every column is as wide as its widest cell.
std::string leadership_table(const std::vector<nlohmann::json>& reports) {
  const std::vector<std::string> heads = {
      "model",       "failovers", "max unavail ms", "lost in failover",
      "2-leader ms", "elections", "no-leader ms",   "2-leader terms"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& report : reports) {
    if (!has_roles(report)) continue;
    const nlohmann::json& f = report["failover"];
    const nlohmann::json& e = member(report, "elections");
    const nlohmann::json& lost = member(f, "lost_writes");
    rows.push_back(
        {report["model"].is_string() ? report["model"].get<std::string>() : "?",
         member(f, "failovers").dump() + "/" + std::to_string(member(f, "failures").size()),
         max_unavailable(f), lost.is_object() ? member(lost, "in_failures").dump() : "-",
         cell(member(member(f, "two_leaders"), "total_ms"), "%.1f"),
         member(e, "elections").is_number() ? member(e, "elections").dump() : "-",
         cell(member(member(e, "leaderless"), "total_ms"), "%.1f"),
         std::to_string(member(e, "terms_with_two_leaders").size())});
  }
  if (rows.empty()) return "";
  std::string out = "\nleadership (models that announce roles):\n" + aligned_table(heads, rows);
  out +=
      "failovers: failures of the leader that gave a new leader / all; max unavail: the longest\n"
      "time from such a failure to the next acknowledged write (+: none until the end);\n"
      "see docs/report.md, \"Leadership\".\n";
  return out;
}

bool any_redirects(const nlohmann::json& table) {
  for (const auto& m : table["models"]) {
    const auto& n = member(member(m, "redirects"), "redirects");
    if (n.is_number() && n.get<double>() > 0) return true;
  }
  return false;
}

// One row per model: how its clients found the leader (the "redirects"
// section). Every column is as wide as its heading or its widest cell.
std::string leader_table(const nlohmann::json& models) {
  const std::vector<std::string> headings = {"model", "redirects", "ops redirected", "gave up",
                                             "search p50/99 ms"};
  std::vector<std::vector<std::string>> rows;
  for (const auto& m : models) {
    const auto& r = member(m, "redirects");
    const auto& search = member(r, "leader_search_ms");
    rows.push_back({m["model"].is_string() ? m["model"].get<std::string>() : "?",
                    cell(member(r, "redirects"), "%.0f"),
                    cell(member(r, "operations_redirected"), "%.0f"),
                    cell(member(r, "gave_up"), "%.0f"),
                    pair_cell(member(search, "p50"), member(search, "p99"))});
  }
  std::string out = "\nfinding the leader\n" + aligned_table(headings, rows);
  out +=
      "\nredir: redirects (a node that is not the leader sent the operation on); search:\n"
      "from an operation's invoke to its last redirect, over the operations redirected.\n";
  return out;
}

}  // namespace

nlohmann::json comparison_json(const std::vector<nlohmann::json>& reports) {
  nlohmann::json out;
  out["format"] = "consim-comparison";
  out["version"] = 1;
  if (!reports.empty()) {
    out["scenario"] = reports.front()["scenario"];
    out["seed"] = reports.front()["seed"];
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& report : reports)
    for (const auto& phase : report["phases"]) rows.push_back(row(report, phase));
  out["rows"] = rows;
  nlohmann::json models = nlohmann::json::array();
  for (const auto& report : reports) {
    nlohmann::json m = {{"model", report["model"]},
                        {"lost_writes", member(member(report, "lost_writes"), "count")},
                        {"convergence", member(report, "convergence")},
                        {"t_visibility", member(report, "t_visibility")},
                        {"cap", member(report, "cap")},
                        {"redirects", member(report, "redirects")},
                        {"checkers", member(report, "checkers")}};
    if (has_roles(report)) {  // leader-based models only: the others' rows stay as they were
      m["failover"] = member(report, "failover");
      m["elections"] = member(report, "elections");
    }
    models.push_back(std::move(m));
  }
  out["models"] = models;
  return out;
}

// The timeline checker's verdict per model (scripted social timelines,
// docs/checkers.md "timeline"); empty when no model's report has it.
std::string timeline_table(const nlohmann::json& models) {
  std::vector<std::string> names;
  bool any = false;
  for (const auto& m : models) {
    names.push_back(m["model"].is_string() ? m["model"].get<std::string>() : "?");
    any = any || member(member(m, "checkers"), "timeline").is_object();
  }
  if (!any) return "";
  const std::size_t width = column_width(names, 5);
  std::string out =
      "\ntimeline (comments seen before their post; posters missing their own post):\n";
  for (std::size_t i = 0; i < names.size(); ++i) {
    const nlohmann::json& t = member(member(models[i], "checkers"), "timeline");
    out += pad_right(names[i], width) + " ";
    if (!t.is_object()) {
      out += "-\n";
      continue;
    }
    auto count = [&](const char* name) { return std::to_string(t.value(name, std::uint64_t{0})); };
    out += t.value("verdict", std::string("?")) + ": " + count("causal_anomalies") + " of " +
           count("post_reads") + " reads of a post after its comment missed it; " +
           count("own_post_missed") + " of " + count("own_post_reads") +
           " own-timeline reads missed the poster's post\n";
  }
  return out;
}

std::string comparison_text(const std::vector<nlohmann::json>& reports) {
  nlohmann::json table = comparison_json(reports);
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%s, seed %s: %zu models on the same seed\n\n",
                table.value("scenario", std::string("?")).c_str(),
                table.contains("seed") ? table["seed"].dump().c_str() : "?", reports.size());
  out += line;
  // The model column is as wide as the longest model name, the redirect
  // column as its heading or its widest count: rows stay aligned whatever
  // the models are called.
  std::vector<std::string> models, redirects;
  for (const auto& r : table["rows"]) {
    models.push_back(r["model"].is_string() ? r["model"].get<std::string>() : "?");
    redirects.push_back(cell(r["redirects"], "%.0f"));
  }
  const std::size_t model_width = column_width(models, 5);
  const bool leaders = any_redirects(table);
  const std::size_t redirect_width = column_width(redirects, 5);
  auto redirect_column = [&](const std::string& text) {
    return leaders ? pad_right(text, redirect_width) + " " : std::string();
  };
  std::snprintf(line, sizeof line, "%-30s %6s %6s %6s %11s %11s %7s %7s ", "phase", "avail", "r-av",
                "w-av", "read p50/99", "write p50/99", "stale", "msg/op");
  out += pad_right("model", model_width) + " " + line + redirect_column("redir") + "linearizable\n";
  std::string last_model;
  for (std::size_t i = 0; i < table["rows"].size(); ++i) {
    const auto& r = table["rows"][i];
    const std::string& model = models[i];
    if (!last_model.empty() && model != last_model) out += "\n";
    std::string phase = r["phase"];
    if (phase.size() > 30) phase = phase.substr(0, 29) + "~";
    std::snprintf(line, sizeof line, "%-30s %6s %6s %6s %11s %11s %7s %7s ", phase.c_str(),
                  cell(r["availability"], "%.0f%%", 100).c_str(),
                  cell(r["read_availability"], "%.0f%%", 100).c_str(),
                  cell(r["write_availability"], "%.0f%%", 100).c_str(),
                  pair_cell(r["read_p50_ms"], r["read_p99_ms"]).c_str(),
                  pair_cell(r["write_p50_ms"], r["write_p99_ms"]).c_str(),
                  cell(r["stale_rate"], "%.1f%%", 100).c_str(),
                  cell(r["messages_per_op"], "%.1f").c_str());
    out += pad_right(model == last_model ? "" : model, model_width) + " " + line +
           redirect_column(redirects[i]) +
           (r["linearizable"].is_string() ? r["linearizable"].get<std::string>() : "-") + "\n";
    last_model = model;
  }
  out +=
      "\nlatency in ms; stale: reads that returned a value older than the newest write\n"
      "acknowledged before the read began; msg/op: messages sent per operation.\n";
  out += leadership_table(reports);
  out += timeline_table(table["models"]);
  if (leaders) out += leader_table(table["models"]);
  out += crdt_table(reports);
  return out;
}

}  // namespace consim
