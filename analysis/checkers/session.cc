// Session guarantees; the definitions are in session.h.
//
// One sweep over the ops in invoke order, with state per process q. An op
// of q becomes "earlier" for q's later reads once it has completed before
// their invoke (a min-heap on completion time), so overlapping ops of one
// process are handled too. For each key q keeps only the strongest reference: the
// acknowledged own write and the earlier-read value with the latest invoke
// time (b is older than some reference iff it is older than that one), and
// for each writer p the observed write of p with the latest invoke time
// (p's later writes depend on everything its earlier ones did). Per read the
// cost is a binary search for each of the (at most P) writers seen, so
// O(n P log n) in all.
#include "analysis/checkers/session.h"

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <queue>
#include <unordered_map>

#include "analysis/checkers/session_facts.h"

namespace consim {
// Named for the facts (session_facts.h) it reads; anonymous inside, so no
// name here meets another file's in a unity build.
namespace session_facts {
namespace {

struct Tally {
  SessionResult result;
  std::size_t cap = 0;
  bool listing() const { return result.violations.size() < cap; }
};

enum Guarantee { kRyw, kMr, kMw, kWfr };

struct Observed {
  std::uint32_t write = kSessionNone, read = kSessionNone;
};

// What one process q has seen, for the sweep over q's ops.
struct Sweep {
  const Facts& f;
  Tally (&tally)[4];
  // Looked up by key, never iterated.
  std::unordered_map<std::uint32_t, std::uint32_t> own_write;  // key -> write op
  std::unordered_map<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>> read;  // (read, value)
  // Iterated in process order, so violations come out the same every run.
  std::map<std::uint32_t, Observed> seen;  // writer process -> its latest write q read

  void absorb(std::uint32_t i);
  void check(std::uint32_t r);
  void observed_writers(std::uint32_t r, bool& mw_checked, bool& wfr_checked);
  // Counts a violation; builds it (and its reason) only if it will be listed.
  void report(Guarantee g, std::vector<std::uint32_t> ops, std::vector<std::uint32_t> extra,
              const std::function<std::string()>& reason);
};

std::string value_text(const Facts& f, std::uint32_t b) {
  if (b == kInitial) return "nothing";
  return std::to_string(*f.op(b).value) + " (written at line " +
         std::to_string(f.op(b).invoke_line) + ")";
}

std::string line(const Facts& f, std::uint32_t i) { return std::to_string(f.op(i).invoke_line); }

// What read r returned: its value, or every sibling it returned.
std::string read_text(const Facts& f, std::uint32_t r) {
  auto it = f.siblings.find(r);
  if (it == f.siblings.end()) return value_text(f, f.value_of[r]);
  std::string out = "the siblings ";
  for (std::size_t k = 0; k < it->second.size(); ++k)
    out += (k ? ", " : "") + value_text(f, it->second[k]);
  return out;
}

std::string key_text(const Facts& f, std::uint32_t i) {
  std::uint32_t k = f.op(i).key;
  return k < f.h.key_names.size() ? f.h.key_names[k] : std::to_string(k);
}

std::string process_text(const Facts& f, std::uint32_t i) {
  return "process " + std::to_string(f.op(i).process);
}

void Sweep::absorb(std::uint32_t i) {
  const Operation& op = f.op(i);
  if (op.f == HistOp::Write) {
    auto [it, fresh] = own_write.emplace(op.key, i);
    if (!fresh) it->second = f.later(it->second, i);
    return;
  }
  std::uint32_t v = f.value_of[i];
  auto [it, fresh] = read.emplace(op.key, std::pair{i, v});
  if (!fresh && v != kInitial &&
      (it->second.second == kInitial || f.later(it->second.second, v) == v)) {
    it->second = {i, v};
  }
  if (v == kInitial) return;
  auto observe = [&](std::uint32_t w) {
    Observed& o = seen[f.proc[w]];
    if (o.write == kSessionNone || f.later(o.write, w) == w) o = {w, i};
  };
  auto sibs = f.siblings.find(i);
  if (sibs == f.siblings.end()) return observe(v);
  for (std::uint32_t w : sibs->second) observe(w);
}

void Sweep::report(Guarantee g, std::vector<std::uint32_t> ops, std::vector<std::uint32_t> extra,
                   const std::function<std::string()>& reason) {
  Tally& t = tally[g];
  ++t.result.violating;
  if (!t.listing()) return;
  Violation v;
  v.checker = t.result.guarantee;
  v.key = key_text(f, ops.back());
  v.reason = t.result.guarantee + ": " + reason();
  for (std::uint32_t i : ops) v.ops.push_back(f.op(i).invoke_line);
  extra.insert(extra.end(), ops.begin(), ops.end());
  for (std::uint32_t i : extra) {
    if (i < kInitial) v.slice.push_back(f.op(i).invoke_line);
  }
  for (auto* lines : {&v.ops, &v.slice}) {
    std::sort(lines->begin(), lines->end());
    lines->erase(std::unique(lines->begin(), lines->end()), lines->end());
  }
  t.result.violations.push_back(std::move(v));
}

void Sweep::check(std::uint32_t r) {
  const Operation& op = f.op(r);
  std::uint32_t b = f.value_of[r];
  if (auto it = own_write.find(op.key); it != own_write.end()) {
    ++tally[kRyw].result.reads_checked;
    std::uint32_t w = it->second;
    if (f.missed(r, w)) {
      report(kRyw, {w, r}, {b}, [&] {
        return "the read at line " + line(f, r) + " by " + process_text(f, r) + " returns " +
               read_text(f, r) + ", older than its own write of " + std::to_string(*f.op(w).value) +
               " at line " + line(f, w) + ", acknowledged before the read began";
      });
    }
  }
  if (auto it = read.find(op.key); it != read.end()) {
    ++tally[kMr].result.reads_checked;
    auto [earlier, a] = it->second;
    if (a != kInitial && f.missed(r, a)) {
      report(kMr, {earlier, r}, {a, b}, [&, earlier = earlier, a = a] {
        return "the read at line " + line(f, r) + " by " + process_text(f, r) + " returns " +
               read_text(f, r) + ", older than " + value_text(f, a) +
               ", which its earlier read at line " + line(f, earlier) + " returned";
      });
    }
  }
  bool mw = false, wfr = false;
  observed_writers(r, mw, wfr);
  tally[kMw].result.reads_checked += mw ? 1 : 0;
  tally[kWfr].result.reads_checked += wfr ? 1 : 0;
}

// Monotonic writes and writes-follow-reads: for each writer p whose write w2
// q has read, the write of p to this key (MW) and the value of this key p had
// read (WFR) before invoking w2 must not look newer than what r returns.
void Sweep::observed_writers(std::uint32_t r, bool& mw_checked, bool& wfr_checked) {
  const Operation& op = f.op(r);
  std::uint32_t b = f.value_of[r];
  bool mw_bad = false, wfr_bad = false;
  if (op.key >= f.series.size()) return;
  const KeySeries& key_series = f.series[op.key];
  auto ps = key_series.begin();
  for (const auto& [p, o] : seen) {
    while (ps != key_series.end() && ps->proc < p) ++ps;
    if (ps == key_series.end()) break;
    if (ps->proc != p) continue;
    Time issued = f.op(o.write).invoke_time;
    bool same_key = f.op(o.write).key == op.key;
    auto saw = [&, o = o] {
      return process_text(f, r) + " read " + process_text(f, o.write) + "'s write at line " +
             line(f, o.write) + " (at line " + line(f, o.read) + "), then read " + key_text(f, r) +
             " at line " + line(f, r) + " and got " + read_text(f, r);
    };
    if (const Entry* e = before(ps->writes, issued)) {
      mw_checked = true;
      std::uint32_t w1 = e->best;
      if (!mw_bad && f.missed(r, w1, same_key)) {
        mw_bad = true;
        report(kMw, {w1, o.write, o.read, r}, {b}, [&] {
          return saw() +
                 (b == w1 ? ", its earlier write at line "
                          : ", older than its earlier write at line ") +
                 line(f, w1);
        });
      }
    }
    if (const Entry* e = before(ps->reads, issued)) {
      wfr_checked = true;
      std::uint32_t wa = e->best;
      if (!wfr_bad && f.missed(r, wa, same_key)) {
        wfr_bad = true;
        report(kWfr, {e->via, o.write, o.read, r}, {wa, b}, [&] {
          return saw() + (b == wa ? ", the very value " : ", older than ") + value_text(f, wa) +
                 " that the writer had read at line " + line(f, e->via) + " before writing";
        });
      }
    }
  }
}

// All processes at once, in history (invoke) order, so violations are
// listed in the order of the reads that commit them.
void sweep_all(const Facts& f, Tally (&tally)[4]) {
  using Done = std::pair<Time, std::uint32_t>;
  using Heap = std::priority_queue<Done, std::vector<Done>, std::greater<>>;
  std::vector<Sweep> sweeps(f.nprocs, Sweep{f, tally, {}, {}, {}});
  std::vector<Heap> done(f.nprocs);
  for (std::uint32_t i = 0; i < f.h.ops.size(); ++i) {
    const Operation& op = f.op(i);
    Sweep& sweep = sweeps[f.proc[i]];
    Heap& heap = done[f.proc[i]];
    while (!heap.empty() && heap.top().first < op.invoke_time) {
      sweep.absorb(heap.top().second);
      heap.pop();
    }
    if (op.outcome != Outcome::Ok) continue;
    if (op.f == HistOp::Read) {
      if (f.value_of[i] == kSessionNone) continue;
      sweep.check(i);
    }
    heap.push({op.complete_time, i});
  }
}

std::vector<SessionResult> check_all(const History& history, const SessionOptions& options) {
  Facts f = index_facts(history);
  const char* names[4] = {"read-your-writes", "monotonic-reads", "monotonic-writes",
                          "writes-follow-reads"};
  Tally tally[4];
  for (int g = 0; g < 4; ++g) {
    tally[g].result.guarantee = names[g];
    tally[g].cap = options.max_violations;
  }
  sweep_all(f, tally);
  std::vector<SessionResult> results;
  for (Tally& t : tally) {
    SessionResult& r = t.result;
    r.rate = r.reads_checked == 0
                 ? 0.0
                 : static_cast<double>(r.violating) / static_cast<double>(r.reads_checked);
    results.push_back(std::move(r));
  }
  return results;
}

}  // namespace
}  // namespace session_facts

std::vector<SessionResult> check_session_guarantees(const History& input,
                                                    const SessionOptions& options) {
  History storage;
  return session_facts::check_all(cas_as_writes(input, storage), options);
}

CheckResult to_check_result(const SessionResult& result) {
  CheckResult c;
  c.checker = result.guarantee;
  c.verdict = result.violating > 0 ? Verdict::Invalid : Verdict::Valid;
  c.violations = result.violations;
  c.violation_count = result.violating;
  char rate[32];
  std::snprintf(rate, sizeof rate, "%.2f%%", 100.0 * result.rate);
  c.note = std::to_string(result.violating) + " of " + std::to_string(result.reads_checked) +
           " reads checked violate it (" + rate + ")";
  return c;
}

}  // namespace consim
