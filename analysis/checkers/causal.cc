// Causal consistency (CC) and causal convergence (CCv) by bad patterns, and
// the entry point for all three models; see causal.h. CM is in
// causal_memory.cc.
//
// Every reachability question "does a causally precede b?" is one lookup in
// the vector clocks of causal_order.h, so CC costs O((n + e) * P) time for n
// ops, e edges and P sessions.
#include "analysis/checkers/causal.h"

#include <algorithm>
#include <boost/graph/strong_components.hpp>

#include "analysis/checkers/causal_patterns.h"
#include "analysis/checkers/write_index.h"

namespace consim::causal {
namespace {

std::string line_text(const Sessions& s, std::uint32_t node) {
  return std::to_string(s.line(node));
}

void explain_path(const Analysis& a, std::uint32_t from, std::uint32_t to,
                  std::set<std::uint32_t>& out) {
  auto path = shortest_path(a.g, a.s, {}, a.clocks, from, to, 1);
  if (path.empty()) path = {from, to};  // cannot happen when from reaches to
  explain(a.g, a.s, {}, a.clocks, path, false, out);
}

void find_cyclic_co(const Analysis& a, Reporter& out) {
  for (std::uint32_t start : a.comps.nontrivial) {
    if (!out.listing()) {
      out.count_only();
      continue;
    }
    std::set<std::uint32_t> slice;
    explain(a.g, a.s, {}, a.clocks, shortest_cycle(a.g, a.comps, start), true, slice);
    std::vector<std::uint32_t> ops(slice.begin(), slice.end());
    out.add(make_violation(a.s, keys_of(a.s, slice), ops,
                           "CyclicCO: the operations at lines " + lines_text(a.s, ops) +
                               " each causally precede the next, around a cycle (session order "
                               "and reads-from loop back)",
                           slice));
  }
}

void find_thin_air(const Analysis& a, Reporter& out) {
  for (std::uint32_t r = 0; r < a.s.size(); ++r) {
    if (a.s.source[r] != Source::ThinAir) continue;
    const Operation& op = a.s.at(r);
    std::string why = "ThinAirRead: the read at line " + line_text(a.s, r) + " returns " +
                      value_text(op) + ", which no write to " + key_name(a.s, r) + " wrote";
    std::set<std::uint32_t> slice{r};
    Violation v = make_violation(a.s, key_name(a.s, r), {r}, why, slice);
    if (a.s.failed_write[r] != kNoNode) {
      std::uint64_t failed = a.s.history->ops[a.s.failed_write[r]].invoke_line;
      v.reason += " (only the failed write at line " + std::to_string(failed) + ")";
      v.slice.insert(std::lower_bound(v.slice.begin(), v.slice.end(), failed), failed);
    }
    out.add(std::move(v));
  }
}

// A write to the key that causally precedes read r (not r's own source).
std::uint32_t preceding_write(const Analysis& a, std::uint32_t r, std::uint32_t source) {
  for (const KeyWriter& kw : a.s.key_writers[a.s.key(r)]) {
    std::uint32_t w = latest_write_before(a.s, kw, a.clocks.row(r)[kw.proc]);
    if (w == kNoNode || w == source) continue;
    if (source == kNoNode || a.clocks.reaches(a.s, source, w)) return w;
  }
  return kNoNode;
}

void report_init_read(const Analysis& a, std::uint32_t r, std::uint32_t w, Reporter& out) {
  std::set<std::uint32_t> slice;
  explain_path(a, w, r, slice);
  out.add(make_violation(a.s, key_name(a.s, r), {w, r},
                         "WriteCOInitRead: the read at line " + line_text(a.s, r) +
                             " returns nothing for " + key_name(a.s, r) + ", but the write of " +
                             value_text(a.s.at(w)) + " at line " + line_text(a.s, w) +
                             " causally precedes it",
                         slice));
}

void report_overwritten(const Analysis& a, std::uint32_t r, std::uint32_t w1, std::uint32_t w2,
                        Reporter& out) {
  std::set<std::uint32_t> slice;
  explain_path(a, w1, w2, slice);
  explain_path(a, w2, r, slice);
  out.add(make_violation(a.s, key_name(a.s, r), {w1, w2, r},
                         "WriteCORead: the read at line " + line_text(a.s, r) + " returns " +
                             value_text(a.s.at(w1)) + " (written at line " + line_text(a.s, w1) +
                             "), but the write of " + value_text(a.s.at(w2)) + " at line " +
                             line_text(a.s, w2) + " overwrote it and causally precedes the read",
                         slice));
}

// A read of several siblings is checked against each: none may have been
// overwritten by a write that causally precedes the read (counted once).
void find_stale_reads(const Analysis& a, Reporter& out, Source kind) {
  for (std::uint32_t r = 0; r < a.s.size(); ++r) {
    if (a.s.source[r] != kind) continue;
    if (kind == Source::Initial) {
      std::uint32_t w = preceding_write(a, r, kNoNode);
      if (w == kNoNode) continue;
      if (!out.listing()) {
        out.count_only();
      } else {
        report_init_read(a, r, w, out);
      }
      continue;
    }
    auto overwritten = [&](std::uint32_t source) {
      std::uint32_t w = preceding_write(a, r, source);
      if (w == kNoNode) return false;
      if (!out.listing()) {
        out.count_only();
      } else {
        report_overwritten(a, r, source, w, out);
      }
      return true;
    };
    if (overwritten(a.s.writer[r]) || a.s.more_writers.empty()) continue;
    if (auto it = a.s.more_writers.find(r); it != a.s.more_writers.end())
      for (std::uint32_t source : it->second)
        if (overwritten(source)) break;
  }
}

CheckResult result_of(const char* checker, Reporter& rep) {
  CheckResult r;
  r.checker = checker;
  r.verdict = rep.count > 0 ? Verdict::Invalid : Verdict::Valid;
  r.violation_count = rep.count;
  r.violations = rep.listed;
  for (Violation& v : r.violations) v.checker = checker;
  return r;
}

}  // namespace

Analysis::Analysis(Sessions sessions) : s(std::move(sessions)), g(s.size()) {
  add_causal_edges(s, g);
  comps = strong_components_of(g);
  clocks = clocks_of(g, comps, s);
}

Violation make_violation(const Sessions& s, std::string key, const std::vector<std::uint32_t>& ops,
                         std::string reason, std::set<std::uint32_t> slice) {
  Violation v;
  v.key = std::move(key);
  for (std::uint32_t n : ops) v.ops.push_back(s.line(n));
  v.reason = std::move(reason);
  slice.insert(ops.begin(), ops.end());
  v.slice = lines_of(s, slice);
  return v;
}

std::string keys_of(const Sessions& s, const std::set<std::uint32_t>& nodes) {
  std::set<std::string> names;
  for (std::uint32_t n : nodes) names.insert(key_name(s, n));
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

std::string lines_text(const Sessions& s, const std::vector<std::uint32_t>& nodes) {
  std::string out;
  for (std::uint32_t n : nodes) out += (out.empty() ? "" : ", ") + std::to_string(s.line(n));
  return out;
}

void find_cc(const Analysis& a, Reporter& out) {
  find_cyclic_co(a, out);
  find_thin_air(a, out);
  find_stale_reads(a, out, Source::Initial);
  find_stale_reads(a, out, Source::Write);
}

void find_cyclic_cf(const Analysis& a, Reporter& out) {
  Graph g(a.s.size());  // so ∪ wr, plus the cf edges below
  add_causal_edges(a.s, g);
  ExtraEdges cf;
  for (std::uint32_t r = 0; r < a.s.size(); ++r) {
    if (a.s.source[r] != Source::Write) continue;
    // Each sibling the read returned is arbitrated after the writes it knew
    // of, but not after another sibling of the same read: they are kept
    // side by side, not ordered.
    const std::vector<std::uint32_t> sources = a.s.sources(r);
    for (std::uint32_t w2 : sources) {
      for (const KeyWriter& kw : a.s.key_writers[a.s.key(r)]) {
        std::uint32_t w1 = latest_write_before(a.s, kw, a.clocks.row(r)[kw.proc]);
        if (w1 == kNoNode || w1 == w2 || a.clocks.reaches(a.s, w1, w2)) continue;
        if (std::find(sources.begin(), sources.end(), w1) != sources.end()) continue;
        if (cf.emplace(std::pair{w1, w2}, ExtraEdge{r, 1}).second) boost::add_edge(w1, w2, g);
      }
    }
  }
  Components comps = strong_components_of(g);
  for (std::uint32_t start : comps.nontrivial) {
    if (!out.listing()) {
      out.count_only();
      continue;
    }
    auto cycle = shortest_cycle(g, comps, start);
    std::set<std::uint32_t> writes, slice;
    for (std::uint32_t n : cycle) {
      if (a.s.is_write(n)) writes.insert(n);
    }
    explain(g, a.s, cf, a.clocks, cycle, true, slice);
    std::vector<std::uint32_t> ops(writes.begin(), writes.end());
    out.add(make_violation(a.s, keys_of(a.s, writes), ops,
                           "CyclicCF: no single order of the writes explains every read: the "
                           "writes at lines " +
                               lines_text(a.s, ops) +
                               " would each have to come before the next, around a cycle",
                           slice));
  }
}

}  // namespace consim::causal

namespace consim {

namespace {

// "96 bytes" below 1 MiB, else "1423 MiB" (rounded up).
std::string size_text(std::uint64_t bytes) {
  if (bytes < (1 << 20)) return std::to_string(bytes) + " bytes";
  return std::to_string((bytes + (1 << 20) - 1) >> 20) + " MiB";
}

// Why a model needing `sets` sets of clocks does not fit, or "" if it does.
std::string over_budget(const causal::Sessions& s, std::uint64_t sets,
                        const CausalOptions& options) {
  std::uint64_t bytes = sets * 4 * std::uint64_t{s.size()} * s.nprocs();
  if (bytes <= options.memory_budget) return "";
  return "not checked: its vector clocks would need " + size_text(bytes) + " (" +
         (sets > 1 ? std::to_string(sets) + " sets of " : std::string()) +
         std::to_string(s.size()) + " operations x " + std::to_string(s.nprocs()) +
         " sessions x 4 bytes), over the memory budget of " + size_text(options.memory_budget) +
         " (consim check --causal-memory)";
}

CheckResult unknown_result(const char* checker, std::string note) {
  CheckResult r;
  r.checker = checker;
  r.verdict = Verdict::Unknown;
  r.note = std::move(note);
  return r;
}

}  // namespace

std::vector<CheckResult> check_causal(const History& input, const CausalOptions& options) {
  using namespace causal;
  History storage;
  const History& history = cas_as_writes(input, storage);
  Sessions sessions = build_sessions(history);
  if (std::string note = over_budget(sessions, 1, options); !note.empty()) {
    std::vector<CheckResult> results;
    if (options.cc) results.push_back(unknown_result("causal-cc", note));
    if (options.cm) results.push_back(unknown_result("causal-cm", note));
    if (options.ccv) results.push_back(unknown_result("causal-ccv", note));
    return results;
  }
  Analysis a(std::move(sessions));
  Reporter cc(options.max_violations);
  find_cc(a, cc);
  std::vector<CheckResult> results;
  if (options.cc) results.push_back(result_of("causal-cc", cc));
  const std::string skipped =
      "the CC patterns already fail; the model's own patterns were not searched";
  // CM keeps two more sets of clocks (this round's and the last) per session.
  std::string cm_over = cc.count > 0 ? "" : over_budget(a.s, 3, options);
  if (options.cm && !cm_over.empty()) {
    results.push_back(unknown_result("causal-cm", cm_over));
  } else if (options.cm) {
    Reporter cm = cc;
    std::uint64_t budget = options.cm_budget;
    bool finished = cc.count > 0 || find_cm(a, cm, budget);
    results.push_back(result_of("causal-cm", cm));
    if (cc.count > 0) results.back().note = skipped;
    if (!finished) {
      results.back().note = "the CM work budget ran out before every session was checked";
      if (cm.count == 0) results.back().verdict = Verdict::Unknown;
    }
  }
  if (options.ccv) {
    Reporter ccv = cc;
    if (cc.count == 0) find_cyclic_cf(a, ccv);
    results.push_back(result_of("causal-ccv", ccv));
    if (cc.count > 0) results.back().note = skipped;
  }
  return results;
}

}  // namespace consim
