// Indexing a history for the session-guarantee sweep; see session_facts.h.
#include "analysis/checkers/session_facts.h"

namespace consim::session_facts {
namespace {

void finish_series(const Facts& f, Series& series) {
  std::stable_sort(series.begin(), series.end(),
                   [](const Entry& a, const Entry& b) { return a.complete < b.complete; });
  for (std::size_t k = 1; k < series.size(); ++k) {
    if (f.later(series[k - 1].best, series[k].best) != series[k].best) {
      series[k].best = series[k - 1].best, series[k].via = series[k - 1].via;
    }
  }
}

void add_series(Facts& f) {
  std::vector<std::vector<std::uint32_t>> by_key(f.h.key_names.size());
  for (std::uint32_t i = 0; i < f.h.ops.size(); ++i) {
    const Operation& op = f.op(i);
    bool read = op.f == HistOp::Read && f.value_of[i] < kInitial;
    if (op.outcome != Outcome::Ok || (op.f == HistOp::Read && !read)) continue;
    if (op.key >= by_key.size()) by_key.resize(op.key + 1);
    by_key[op.key].push_back(i);
  }
  f.series.resize(by_key.size());
  for (std::uint32_t key = 0; key < by_key.size(); ++key) {
    auto& ops = by_key[key];
    std::stable_sort(ops.begin(), ops.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return f.proc[a] < f.proc[b]; });
    KeySeries& out = f.series[key];
    for (std::uint32_t i : ops) {
      if (out.empty() || out.back().proc != f.proc[i]) out.push_back({f.proc[i], {}, {}});
      if (f.op(i).f == HistOp::Write) {
        out.back().writes.push_back({f.op(i).complete_time, i, i});
      } else {
        out.back().reads.push_back({f.op(i).complete_time, f.value_of[i], i});
      }
    }
    for (ProcessSeries& ps : out) {
      finish_series(f, ps.writes);
      finish_series(f, ps.reads);
    }
  }
}

// A read of several siblings: the writes of those someone wrote; its
// value_of becomes the one invoked last. Siblings nobody wrote are left to
// the causal checker (ThinAirRead), as for a single value.
void add_siblings(Facts& f, std::uint32_t r) {
  const Operation& read = f.op(r);
  auto listed = f.h.read_siblings.find(read.invoke_line);
  if (listed == f.h.read_siblings.end()) return;  // a count without the values: first only
  std::vector<std::uint32_t> writes;
  std::uint32_t latest = kSessionNone;
  for (std::int64_t value : listed->second) {
    Operation probe = read;
    probe.value = value;
    std::uint32_t w = write_of(f.writes, probe);
    if (w == UINT32_MAX || f.op(w).outcome == Outcome::Fail) continue;
    writes.push_back(w);
    latest = f.later(latest, w);
  }
  f.value_of[r] = latest;
  if (writes.size() > 1) f.siblings.emplace(r, std::move(writes));
}

}  // namespace

Facts index_facts(const History& h) {
  Facts f{h, index_unique_writes(h), {}, {}, 0, {}, {}, {}};
  f.value_of.assign(h.ops.size(), kSessionNone);
  f.proc.resize(h.ops.size());
  f.times.reserve(h.ops.size());
  for (const Operation& op : h.ops) f.times.emplace_back(op.invoke_time, op.complete_time);
  std::map<std::int64_t, std::uint32_t> dense;
  for (std::uint32_t i = 0; i < h.ops.size(); ++i) {
    const Operation& op = h.ops[i];
    auto [it, fresh] = dense.emplace(op.process, f.nprocs);
    if (fresh) ++f.nprocs;
    f.proc[i] = it->second;
    if (op.f != HistOp::Read || op.outcome != Outcome::Ok) continue;
    std::uint32_t w = write_of(f.writes, op);
    if (!op.value) f.value_of[i] = kInitial;
    if (w != UINT32_MAX && h.ops[w].outcome != Outcome::Fail) f.value_of[i] = w;
    if (op.siblings > 1) add_siblings(f, i);
  }
  add_series(f);
  return f;
}

}  // namespace consim::session_facts
