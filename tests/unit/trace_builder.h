// Hand-built traces for the analysis tests, written compactly:
//
//   TraceBuilder t;
//   t.write(1, "x", 10, "n1", 0, 10);           // op 1 writes 10, invoke 0 ms, ok 10 ms
//   t.read(2, "x", 10, "n2", 12, 15);           // op 2 reads 10
//   t.partition(20, "p1", {{"n1"}, {"n2"}});
//   nlohmann::json report = t.run();
//
// Events may be added in any order: run() sorts them by time (stable, so
// same-time events keep the order they were added in), numbers their lines
// from 2 (line 1 is the header) and feeds them to a RunAnalysis.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/report/run_analysis.h"
#include "analysis/trace/trace_event.h"

namespace consim::testing {

class TraceBuilder {
 public:
  nlohmann::json header = {
      {"type", "header"}, {"scenario", "test"}, {"model", "test-model"}, {"seed", 7}};

  static Time ms(double milliseconds) {
    return static_cast<Time>(std::llround(milliseconds * 1e6));
  }

  // Client operations. ok() etc. copy f, key and node from the invoke.
  TraceBuilder& invoke(double at, std::uint64_t op, HistOp f, const std::string& key,
                       std::optional<std::int64_t> value, const std::string& node) {
    TraceEvent e = event(at, EventType::Invoke);
    e.op = op;
    e.has_op = true;
    e.f = f;
    e.key = intern(names.keys, key);
    e.value = value;
    e.node = intern(names.nodes, node);
    invokes_[op] = e;
    return add(e);
  }
  TraceBuilder& complete(double at, std::uint64_t op, EventType type,
                         std::optional<std::int64_t> value) {
    TraceEvent e = invokes_.at(op);
    e.type = type;
    e.time = ms(at);
    e.value = e.f == HistOp::Write ? e.value : value;
    return add(e);
  }
  TraceBuilder& ok(double at, std::uint64_t op, std::optional<std::int64_t> value = {}) {
    return complete(at, op, EventType::Ok, value);
  }
  TraceBuilder& fail(double at, std::uint64_t op) { return complete(at, op, EventType::Fail, {}); }
  TraceBuilder& info(double at, std::uint64_t op) { return complete(at, op, EventType::Info, {}); }
  TraceBuilder& write(std::uint64_t op, const std::string& key, std::int64_t value,
                      const std::string& node, double invoke_at, double ok_at) {
    invoke(invoke_at, op, HistOp::Write, key, value, node);
    return ok(ok_at, op);
  }
  // A compare-and-set of key from `expected` to `value`, ok at ok_at with
  // "result" true (it wrote `value`) or false (it wrote nothing).
  TraceBuilder& cas(std::uint64_t op, const std::string& key, std::int64_t expected,
                    std::int64_t value, bool result, const std::string& node, double invoke_at,
                    double ok_at) {
    invoke(invoke_at, op, HistOp::Cas, key, value, node);
    events_.back().expected = expected;
    invokes_[op].expected = expected;
    ok(ok_at, op, value);
    events_.back().cas_failed = !result;
    return *this;
  }
  TraceBuilder& read(std::uint64_t op, const std::string& key, std::optional<std::int64_t> got,
                     const std::string& node, double invoke_at, double ok_at) {
    invoke(invoke_at, op, HistOp::Read, key, std::nullopt, node);
    return ok(ok_at, op, got);
  }

  // A read that returned several siblings (the first is its value).
  TraceBuilder& read_siblings(std::uint64_t op, const std::string& key,
                              const std::vector<std::int64_t>& got, const std::string& node,
                              double invoke_at, double ok_at) {
    read(op, key, got.front(), node, invoke_at, ok_at);
    events_.back().siblings = got;
    return *this;
  }
  TraceBuilder& apply_siblings(double at, const std::string& node, const std::string& key,
                               const std::vector<std::int64_t>& values) {
    apply(at, node, key, values.front());
    events_.back().siblings = values;
    return *this;
  }

  // Replica state and network.
  TraceBuilder& apply(double at, const std::string& node, const std::string& key,
                      std::optional<std::int64_t> value) {
    TraceEvent e = event(at, EventType::Apply);
    e.node = intern(names.nodes, node);
    e.key = intern(names.keys, key);
    e.value = value;
    return add(e);
  }
  TraceBuilder& note(double at, const std::string& node, const std::string& what,
                     std::optional<Time> lasted = std::nullopt) {
    TraceEvent e = event(at, EventType::Note);
    e.node = intern(names.nodes, node);
    e.what = intern(names.notes, what);
    e.lasted = lasted;
    return add(e);
  }
  TraceBuilder& send(double at, const std::string& from, const std::string& to,
                     const std::string& kind, std::uint64_t bytes) {
    TraceEvent e = event(at, EventType::Send);
    e.msg = ++messages_;
    e.from = intern(names.nodes, from);
    e.to = intern(names.nodes, to);
    e.kind = intern(names.kinds, kind);
    e.bytes = bytes;
    return add(e);
  }

  // Faults: the generic fault line (docs/trace-format.md).
  TraceBuilder& partition(double at, const std::string& fault,
                          const std::vector<std::vector<std::string>>& sides) {
    TraceEvent e = fault_event(at, false, "partition", "partition", fault, "");
    for (const auto& side : sides) {
      e.sides.emplace_back();
      for (const auto& n : side) e.sides.back().push_back(intern(names.nodes, n));
    }
    return add(e);
  }
  TraceBuilder& heal(double at, const std::string& name) {
    return add(fault_event(at, true, "partition", "heal", name, ""));
  }
  TraceBuilder& crash(double at, const std::string& name, const std::string& node) {
    TraceEvent e = fault_event(at, false, "crash", "crash", name, node);
    e.down = true;
    return add(e);
  }
  TraceBuilder& restart(double at, const std::string& name, const std::string& node) {
    TraceEvent e = fault_event(at, true, "crash", "restart", name, node);
    e.down = true;
    return add(e);
  }
  TraceBuilder& clock(double at, const std::string& name, const std::string& node) {
    return add(fault_event(at, false, "clock", "clock", name, node));
  }
  TraceBuilder& pause(double at, const std::string& name, const std::string& node) {
    return add(fault_event(at, false, "pause", "pause", name, node));
  }
  TraceBuilder& resume(double at, const std::string& name, const std::string& node) {
    return add(fault_event(at, true, "pause", "resume", name, node));
  }
  // A role line: `node` acts as `role` in `term`.
  TraceBuilder& role(double at, const std::string& node, const std::string& role,
                     std::int64_t term) {
    TraceEvent e = event(at, EventType::Role);
    e.node = intern(names.nodes, node);
    e.role = intern(names.roles, role);
    e.term = term;
    return add(e);
  }
  TraceBuilder& end(double at) { return add(event(at, EventType::End)); }

  // Sorts, numbers and feeds the events; returns the report.
  nlohmann::json run(AnalysisOptions options = {}) {
    std::stable_sort(events_.begin(), events_.end(),
                     [](const TraceEvent& a, const TraceEvent& b) { return a.time < b.time; });
    RunAnalysis analysis(header, options);
    std::uint64_t line = 1;
    for (TraceEvent& e : events_) {
      e.line = ++line;
      if (e.type == EventType::Invoke) invoke_lines_[e.op] = e.line;
      analysis.on_event(e, names);
    }
    return analysis.finish(names);
  }
  // After run(): the line of op's invoke.
  std::uint64_t invoke_line(std::uint64_t op) const { return invoke_lines_.at(op); }

  TraceNames names;

 private:
  static std::uint32_t intern(std::vector<std::string>& table, const std::string& name) {
    auto it = std::find(table.begin(), table.end(), name);
    if (it != table.end()) return static_cast<std::uint32_t>(it - table.begin());
    table.push_back(name);
    return static_cast<std::uint32_t>(table.size() - 1);
  }
  TraceEvent event(double at, EventType type) const {
    TraceEvent e;
    e.type = type;
    e.time = ms(at);
    return e;
  }
  TraceEvent fault_event(double at, bool end, const std::string& kind, const std::string& action,
                         const std::string& name, const std::string& node) {
    TraceEvent e = event(at, EventType::Fault);
    e.fault_end = end;
    e.fault = intern(names.faults, name);
    e.fault_kind = intern(names.fault_kinds, kind);
    e.action = intern(names.actions, action);
    e.label = intern(names.labels, name + ": " + action);
    if (!node.empty()) e.node = intern(names.nodes, node);
    return e;
  }
  TraceBuilder& add(const TraceEvent& e) {
    events_.push_back(e);
    return *this;
  }

  std::vector<TraceEvent> events_;
  std::map<std::uint64_t, TraceEvent> invokes_;
  std::map<std::uint64_t, std::uint64_t> invoke_lines_;
  std::uint64_t messages_ = 0;
};

// The entry of a per-phase list whose "phase" (or "name") is `name`.
inline const nlohmann::json& phase_entry(const nlohmann::json& list, const std::string& name) {
  for (const nlohmann::json& entry : list) {
    if (entry.value("phase", entry.value("name", std::string())) == name) return entry;
  }
  static const nlohmann::json missing;
  return missing;
}

}  // namespace consim::testing
