// The facts the session-guarantee sweep (session.cc) reads, indexed once
// per history: which write each ok read returned, dense process numbers,
// and per key and process the series of acknowledged writes and of reads,
// each entry carrying the strongest reference so far. Private to session.cc.
//
// Invariants: ops are numbered as in History::ops; value_of[r] is a write
// op, kInitial (the read returned nothing) or kSessionNone (a value nobody
// wrote: left to the causal checker); a series is sorted by completion time
// and its entry k holds the write with the latest invoke among entries 0..k
// (see session.cc's opening comment for why one reference is enough).
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "analysis/checkers/write_index.h"
#include "analysis/trace/history.h"

namespace consim::session_facts {

constexpr std::uint32_t kSessionNone = UINT32_MAX;  // not comparable
constexpr std::uint32_t kInitial = UINT32_MAX - 1;  // the initial value

// A process's ok writes to a key (or ok reads of it that returned a write),
// sorted by completion; best = the write with the latest invoke so far, via =
// the op itself.
struct Entry {
  Time complete = 0;
  std::uint32_t best = kSessionNone, via = kSessionNone;
};
using Series = std::vector<Entry>;
// One process's series for one key. Per key they are sorted by process, so a
// read walks them alongside the (process-ordered) writers it has seen.
struct ProcessSeries {
  std::uint32_t proc = 0;
  Series writes, reads;
};
using KeySeries = std::vector<ProcessSeries>;

struct Facts {
  const History& h;
  WriteIndex writes;
  std::vector<std::uint32_t> value_of;  // ok read -> write op, kInitial or kSessionNone
  std::vector<std::uint32_t> proc;      // op -> dense process
  std::uint32_t nprocs = 0;
  std::vector<std::pair<Time, Time>> times;  // op -> (invoke, complete), compact for the sweep
  std::vector<KeySeries> series;             // by key
  // Ok reads that returned several siblings -> the writes of those siblings
  // someone wrote (looked up, never iterated). value_of holds the one with
  // the latest invoke: the strongest reference the read gives later reads.
  std::map<std::uint32_t, std::vector<std::uint32_t>> siblings;

  const Operation& op(std::uint32_t i) const { return h.ops[i]; }
  bool older(std::uint32_t b, std::uint32_t a) const {  // a is a write
    return b == kInitial || times[b].second < times[a].first;
  }
  // Did read r miss write a? It observed every sibling it returned, so it
  // missed a only if every one of them is older than a (or, with `same`,
  // older than a or a itself: q saw a later write of a's writer, yet this
  // read shows nothing past a).
  bool missed(std::uint32_t r, std::uint32_t a, bool same = false) const {
    auto bad = [&](std::uint32_t b) { return older(b, a) || (same && b == a); };
    auto it = siblings.find(r);
    if (it == siblings.end()) return bad(value_of[r]);
    return std::all_of(it->second.begin(), it->second.end(), bad);
  }
  std::uint32_t later(std::uint32_t a,
                      std::uint32_t b) const {  // of two writes (kSessionNone: none)
    if (a == kSessionNone) return b;
    return times[b].first > times[a].first ? b : a;
  }
};

// Indexes `h` (which must outlive the result).
Facts index_facts(const History& h);

// The last entry that completed before t, or null.
inline const Entry* before(const Series& s, Time t) {
  auto end = std::lower_bound(s.begin(), s.end(), t,
                              [](const Entry& e, Time v) { return e.complete < v; });
  return end == s.begin() ? nullptr : &*(end - 1);
}

}  // namespace consim::session_facts
