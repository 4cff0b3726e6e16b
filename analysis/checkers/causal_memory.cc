// Causal memory (CM): the patterns WriteHBInitRead and CyclicHB of
// Bouajjani et al. (POPL 2017), searched after the CC patterns found nothing.
//
// HB_o, the happened-before order of an operation o, is the smallest
// transitive relation that contains co restricted to o's causal past and
// that, whenever w1 HB_o r2 for a read r2 of o's own session (at or before o)
// returning w2 != w1 on the same key, orders w1 before w2 (r2 of one value:
// a read of several siblings orders nothing). CM fails iff some
// HB_o is cyclic (CyclicHB) or orders a write before a read of o's session
// that returns the initial value of its key (WriteHBInitRead).
//
// HB_o only grows along o's session (its causal past and its session prefix
// both grow), so it is enough to check o = the last operation of each
// session: one fixpoint per session, not per operation. Each round of the
// fixpoint computes vector clocks of the current graph, then, for each read
// r2 of the session and each session q writing r2's key, adds an edge from q's
// latest write that reaches r2 to r2's source. The latest suffices: q's
// earlier writes reach it by session order.
//
// Example (CC and CCv hold, CM does not):
//   p2 w y 1 (line 1)   p2 w x 1 (2)   p2 w z 1 (3)
//   p1 w x 2 (4)   p1 r y - (5)   p1 r z 1 (6)   p1 r x 2 (7)
// p1's last read returns 2 although the write of x=1 reaches it (via z), so
// in p1's view x=1 comes before x=2; y=1 precedes x=1 and x=2 precedes the
// read of y at line 5, which therefore should not return nothing.
#include <boost/graph/adjacency_list.hpp>

#include "analysis/checkers/causal_patterns.h"

namespace consim::causal {
namespace {

struct SessionView {
  const Analysis& a;
  std::uint32_t p;
  Graph g;
  ExtraEdges extra;
};

// co restricted to the causal past of the session's last operation.
void add_causal_past(const Analysis& a, std::uint32_t last, Graph& g) {
  const std::uint32_t* past = a.clocks.row(last);
  auto in = [&](std::size_t n) { return past[a.s.proc[n]] > a.s.pos[n]; };
  for (std::size_t u = 0; u < a.s.size(); ++u) {
    if (!in(u)) continue;
    for (auto [e, end] = boost::out_edges(u, a.g); e != end; ++e) {
      if (in(boost::target(*e, a.g))) boost::add_edge(u, boost::target(*e, a.g), g);
    }
  }
}

std::string process_text(const SessionView& view) {
  return "process " + std::to_string(view.a.s.process_id[view.p]);
}

// One round of the fixpoint; false if nothing new was ordered.
bool add_round(SessionView& view, const Clocks& clocks, std::uint32_t round) {
  const Sessions& s = view.a.s;
  bool added = false;
  for (std::uint32_t r2 : s.session[view.p]) {
    // A read of several siblings orders no write before another: which
    // sibling superseded a write it knew of is not in the history, and the
    // siblings are a set (their listed order means nothing).
    if (s.source[r2] != Source::Write || s.several_sources(r2)) continue;
    std::uint32_t w2 = s.writer[r2];
    for (const KeyWriter& kw : s.key_writers[s.key(r2)]) {
      std::uint32_t w1 = latest_write_before(s, kw, clocks.row(r2)[kw.proc]);
      if (w1 == kNoNode || w1 == w2 || clocks.reaches(s, w1, w2)) continue;
      if (view.extra.emplace(std::pair{w1, w2}, ExtraEdge{r2, round}).second) {
        boost::add_edge(w1, w2, view.g);
        added = true;
      }
    }
  }
  return added;
}

void report_init_reads(const SessionView& view, const Clocks& clocks, Reporter& out) {
  const Sessions& s = view.a.s;
  for (std::uint32_t r : s.session[view.p]) {
    if (s.source[r] != Source::Initial) continue;
    for (const KeyWriter& kw : s.key_writers[s.key(r)]) {
      std::uint32_t w = latest_write_before(s, kw, clocks.row(r)[kw.proc]);
      if (w == kNoNode) continue;
      if (!out.listing()) {
        out.count_only();
        break;
      }
      std::set<std::uint32_t> slice;
      explain(view.g, s, view.extra, clocks,
              shortest_path(view.g, s, view.extra, clocks, w, r, UINT32_MAX), false, slice);
      out.add(make_violation(s, key_name(s, r), {w, r},
                             "WriteHBInitRead: to explain " + process_text(view) +
                                 "'s reads in one order, the write of " + value_text(s.at(w)) +
                                 " at line " + std::to_string(s.line(w)) +
                                 " must precede its read at line " + std::to_string(s.line(r)) +
                                 ", which returns nothing for " + key_name(s, r),
                             slice));
      break;
    }
  }
}

void report_cycle(const SessionView& view, const Components& comps, const Clocks& previous,
                  Reporter& out) {
  if (!out.listing()) {
    out.count_only();
    return;
  }
  const Sessions& s = view.a.s;
  auto cycle = shortest_cycle(view.g, comps, comps.nontrivial.front());
  std::set<std::uint32_t> writes, slice;
  for (std::uint32_t n : cycle) {
    if (s.is_write(n)) writes.insert(n);
  }
  explain(view.g, s, view.extra, previous, cycle, true, slice);
  std::vector<std::uint32_t> ops(writes.begin(), writes.end());
  out.add(make_violation(s, keys_of(s, writes), ops,
                         "CyclicHB: " + process_text(view) + "'s reads force the writes at lines " +
                             lines_text(s, ops) + " each to precede the next, around a cycle",
                         slice));
}

// False if the budget ran out.
bool check_session(const Analysis& a, std::uint32_t p, Reporter& out, std::uint64_t& budget) {
  SessionView view{a, p, Graph(a.s.size()), {}};
  add_causal_past(a, a.s.session[p].back(), view.g);
  Clocks previous;
  for (std::uint32_t round = 1;; ++round) {
    std::uint64_t cost = (boost::num_vertices(view.g) + boost::num_edges(view.g)) *
                         (std::uint64_t{a.s.nprocs()} + 1);
    if (cost > budget) return false;
    budget -= cost;
    Components comps = strong_components_of(view.g);
    if (!comps.nontrivial.empty()) {
      report_cycle(view, comps, previous, out);
      return true;
    }
    Clocks clocks = clocks_of(view.g, comps, a.s);
    if (!add_round(view, clocks, round)) {
      report_init_reads(view, clocks, out);
      return true;
    }
    previous = std::move(clocks);
  }
}

bool has_read(const Sessions& s, std::uint32_t p) {
  for (std::uint32_t n : s.session[p]) {
    if (!s.is_write(n)) return true;
  }
  return false;
}

}  // namespace

bool find_cm(const Analysis& a, Reporter& out, std::uint64_t& budget) {
  for (std::uint32_t p = 0; p < a.s.nprocs(); ++p) {
    if (has_read(a.s, p) && !check_session(a, p, out, budget)) return false;
  }
  return true;
}

}  // namespace consim::causal
