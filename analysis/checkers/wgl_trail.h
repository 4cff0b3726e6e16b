// What the two WGL searches (wgl_search.cc, the unique-value one, and
// wgl_general.cc) share: the path of ops linearized so far, its undo, the
// visited configurations, the longest path seen, and the search loop. A
// search supplies only its register rules: which ops it takes as forced
// moves, which calls it branches on, and what undoing an op restores.
//
// Invariants: `stack` holds the linearized ops in linearization order, each
// frame with the register and `hi` from before it; exactly those ops have
// their bit set in the bitset and are lifted out of `list`. The visited set
// holds each configuration (linearized set, register key) reached, so none
// is entered twice. `best` is the longest path seen and agrees with `stack`
// on its first `agree` frames (so recording a longer one copies only the
// rest).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "analysis/checkers/wgl_structures.h"

namespace consim::wgl {

struct Frame {
  std::uint32_t op;
  std::uint32_t state;  // register before this op
  std::uint32_t hi;     // highest linearized op before this op
  bool forced;          // taken by a forced-move rule, not a choice
};

class Trail {
 public:
  explicit Trail(const std::vector<SearchOp>& ops)
      : list(ops), bits_((ops.size() + 63) / 64 + 1, 0), visited_(ops.size() * 4) {}

  // Lifts op i out and records the configuration it leads to, with the
  // register's visited-set key `key_state`. False, with nothing changed,
  // when that configuration was visited already.
  bool lift_new(std::uint32_t i, std::uint32_t key_state) {
    bits_[i >> 6] |= 1ULL << (i & 63);
    list.lift(i);
    std::uint32_t first = list.next[0];
    if (first != kEnd) {
      std::uint32_t m = (first - 1) / 2;  // the first op not linearized
      std::uint32_t w0 = m >> 6, w1 = std::max(w0, std::max(hi, i) >> 6);
      if (!visited_.insert(w0, &bits_[w0], w1 - w0 + 1, key_state)) {
        list.unlift(i);
        bits_[i >> 6] &= ~(1ULL << (i & 63));
        return false;
      }
    }
    return true;
  }
  // After lift_new(i): i is linearized; the register becomes `next`.
  void push(std::uint32_t i, std::uint32_t next, bool forced) {
    std::size_t depth = stack.size();
    if (agree_ == depth && depth < best.size() && best[depth] == i) ++agree_;
    stack.push_back(Frame{i, state, hi, forced});
    state = next;
    hi = std::max(hi, i);
  }
  // Undoes frames (calling undo(frame) for each, after the register is
  // restored) up to and including the latest choice; `cur` becomes the
  // entry after that choice's call. False when no choice is left to undo.
  template <typename Undo>
  bool backtrack(std::uint32_t& cur, Undo&& undo) {
    while (!stack.empty()) {
      Frame top = stack.back();
      stack.pop_back();
      agree_ = std::min(agree_, stack.size());
      bits_[top.op >> 6] &= ~(1ULL << (top.op & 63));
      list.unlift(top.op);
      state = top.state;
      hi = top.hi;
      undo(top);
      if (!top.forced) {
        cur = list.next[2 * top.op + 1];
        return true;
      }
    }
    return false;
  }
  // At a dead end blamed on `blocked_op`: keeps the path if it is the
  // longest so far.
  void record_deepest(std::uint32_t blocked_op) {
    if (have_best_ && stack.size() <= best.size()) return;
    have_best_ = true;
    best.resize(stack.size());
    for (std::size_t d = agree_; d < stack.size(); ++d) best[d] = stack[d].op;
    agree_ = stack.size();
    blocked = blocked_op;
    blocked_state = state;
  }

  EventList list;
  std::uint32_t state = 0;  // the register (a dense value id)
  std::uint32_t hi = 0;     // highest linearized op
  std::vector<Frame> stack;
  std::vector<std::uint32_t> best;     // the longest path seen
  std::uint32_t blocked = UINT32_MAX;  // its blocked op
  std::uint32_t blocked_state = 0;     // and the register there

 private:
  std::vector<std::uint64_t> bits_;
  VisitedSet visited_;
  std::size_t agree_ = 0;
  bool have_best_ = false;
};

// The search loop over the event list. `search` provides:
//   bool take_forced_moves();     false if a configuration reached was visited
//   bool branch(std::uint32_t op); at a call: linearize op as a choice?
//   void undo(const Frame&);      restore what linearizing the frame's op changed
//   std::uint32_t explain_blocked() const;  the op to blame for an invalid verdict
// and counts its steps in `steps` (forced moves included) against `budget`.
template <typename Search>
SearchResult run_search(Search& search, Trail& t, const std::vector<SearchOp>& ops,
                        std::uint64_t& steps, std::uint64_t budget) {
  SearchResult result;
  std::uint32_t cur = 0;
  bool fresh = true;  // a new configuration: apply the forced moves
  auto undo = [&search](const Frame& f) { search.undo(f); };
  while (true) {
    if (fresh) {
      fresh = false;
      if (!search.take_forced_moves()) {
        if (!t.backtrack(cur, undo)) break;
        continue;
      }
      cur = t.list.next[0];
    }
    if (t.list.next[0] == kEnd) break;  // everything linearized
    if (++steps > budget) {
      result.verdict = Verdict::Unknown;
      break;
    }
    const std::uint32_t op = (cur - 1) / 2;
    if (cur % 2 == 1) {  // a call: forced moves were taken, the rest may branch
      if (search.branch(op))
        fresh = true;
      else
        cur = t.list.next[cur];
      continue;
    }
    t.record_deepest(op);  // the return of an op not linearized: dead end
    if (!t.backtrack(cur, undo)) break;
  }
  if (result.verdict != Verdict::Unknown && t.list.next[0] != kEnd)
    result.verdict = Verdict::Invalid;
  result.steps = steps;
  if (result.verdict == Verdict::Valid) {
    t.best.clear();
    for (const Frame& f : t.stack) t.best.push_back(f.op);
  }
  for (std::uint32_t i : t.best) result.longest.push_back(ops[i].source);
  if (result.verdict == Verdict::Invalid) result.blocked = ops[search.explain_blocked()].source;
  return result;
}

}  // namespace consim::wgl
