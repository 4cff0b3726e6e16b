// Wing–Gong search with Lowe's memoization (the "porcupine" approach); see
// wgl_search.h. Linearizing an op lifts its call and return out of the
// event list; backtracking puts them back.
//
// Reductions, all exact for a register (an op is "enabled" when its call
// has been reached and every op that must precede it is linearized; a value
// is "dead" when no read still to be linearized returns it):
//  - Reads first. An enabled read that matches the register is linearized
//    at once, never branched on: moving it to the front of any valid
//    linearization from here keeps that valid, since a read changes
//    nothing. So if the configuration after it is dead, so is the one
//    before.
//  - Dead writes next. When no read matches, an enabled write of a dead
//    value is linearized at once. In any valid linearization such a write is
//    followed directly by another write (a read after it would need its
//    value), so it is invisible where it stands and can be moved to here:
//    moving an enabled op earlier breaks no real-time order.
//  - No overwriting a needed value. A write is not placed while reads of
//    the register's value remain and no write of that value is left: those
//    reads could never be placed.
//  - Dead values are one state. The visited set records every dead value
//    as the same state. Example: writes 5 and 6 are never read; the
//    configurations "{...} with 5" and "{...} with 6" have the same futures.
// Only writes of live values are branched on.
#include "analysis/checkers/wgl_search.h"

#include <unordered_map>

#include "analysis/checkers/wgl_structures.h"

namespace consim {
namespace {

using wgl::EventList;
using wgl::kEnd;
using wgl::VisitedSet;

constexpr std::uint32_t kDeadValue = UINT32_MAX - 1;  // in visited keys only
constexpr std::uint32_t kNoWrite = UINT32_MAX;        // a read of a value never written

struct Frame {
  std::uint32_t op;
  std::uint32_t state;  // register before this op
  std::uint32_t hi;     // highest linearized op before this op
  bool forced;          // taken by a forced-move rule, not a choice
};

// The search proper, on ops numbered in call order. Register values are
// dense ids: 0 is "no value", 1..W the distinct written values.
class Search {
 public:
  Search(const std::vector<SearchOp>& ops, std::uint64_t budget);
  SearchResult run();

 private:
  bool matches(std::uint32_t op) const { return value_id_[op] == state_; }
  // Reads still need the register's value, and nothing can write it again.
  bool value_needed() const { return readers_left_[state_] > 0 && writers_left_[state_] == 0; }
  std::uint32_t explain_blocked() const;
  bool linearize(std::uint32_t op, bool forced);
  bool take_forced_moves();
  bool backtrack(std::uint32_t& cur);
  void record_deepest(std::uint32_t blocked_op);

  const std::vector<SearchOp>& ops_;
  EventList list_;
  std::vector<std::uint32_t> value_id_;      // per op: written or returned value id
  std::vector<std::uint32_t> readers_left_;  // per value id: reads not yet linearized
  std::vector<std::uint32_t> writers_left_;  // per value id: writes not yet linearized
  std::vector<std::uint64_t> bits_;
  VisitedSet visited_;
  std::uint64_t budget_, steps_ = 0;
  std::vector<Frame> stack_;
  std::uint32_t state_ = 0;
  std::uint32_t hi_ = 0;
  // Longest prefix: best_ agrees with stack_ on its first agree_ entries.
  std::vector<std::uint32_t> best_;
  std::size_t agree_ = 0;
  bool have_best_ = false;
  std::uint32_t blocked_ = UINT32_MAX;
  std::uint32_t blocked_state_ = 0;  // the register at the deepest point
};

Search::Search(const std::vector<SearchOp>& ops, std::uint64_t budget)
    : ops_(ops),
      list_(ops),
      value_id_(ops.size()),
      readers_left_(1, 0),
      writers_left_(1, 0),
      bits_((ops.size() + 63) / 64 + 1, 0),
      visited_(ops.size() * 4),
      budget_(budget) {
  std::unordered_map<std::int64_t, std::uint32_t> ids;
  for (std::size_t i = 0; i < ops.size(); ++i)
    if (ops[i].write &&
        ids.emplace(ops[i].value, static_cast<std::uint32_t>(ids.size() + 1)).second) {
      readers_left_.push_back(0);
      writers_left_.push_back(0);
    }
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const SearchOp& op = ops[i];
    if (!op.has_value) {
      value_id_[i] = 0;
    } else {
      auto it = ids.find(op.value);
      value_id_[i] = it == ids.end() ? kNoWrite : it->second;
    }
    if (op.write)
      ++writers_left_[value_id_[i]];
    else if (value_id_[i] != kNoWrite)
      ++readers_left_[value_id_[i]];
  }
}

// Linearizes `op` now if the register allows it and the configuration after
// it is new. Returns false (changing nothing) otherwise.
bool Search::linearize(std::uint32_t i, bool forced) {
  const bool write = ops_[i].write;
  if (!write && !matches(i)) return false;
  // Overwriting a value that reads still need, when nothing can write it
  // again, is a dead end.
  if (write && value_needed()) return false;
  const std::uint32_t next = write ? value_id_[i] : state_;
  if (write)
    --writers_left_[next];
  else
    --readers_left_[next];
  bits_[i >> 6] |= 1ULL << (i & 63);
  list_.lift(i);
  std::uint32_t first = list_.next[0];
  if (first != kEnd) {
    std::uint32_t m = (first - 1) / 2;  // the first op not linearized
    std::uint32_t w0 = m >> 6, w1 = std::max(w0, std::max(hi_, i) >> 6);
    std::uint32_t key_state = readers_left_[next] == 0 ? kDeadValue : next;
    if (!visited_.insert(w0, &bits_[w0], w1 - w0 + 1, key_state)) {
      list_.unlift(i);
      bits_[i >> 6] &= ~(1ULL << (i & 63));
      if (write)
        ++writers_left_[next];
      else
        ++readers_left_[next];
      return false;
    }
  }
  std::size_t depth = stack_.size();
  if (agree_ == depth && depth < best_.size() && best_[depth] == i) ++agree_;
  stack_.push_back(Frame{i, state_, hi_, forced});
  state_ = next;
  hi_ = std::max(hi_, i);
  return true;
}

// Applies the forced moves until none is left: first every enabled read
// that matches, then (only when no read matches) an enabled dead write.
// Returns false if a configuration reached was already visited (so it, and
// the one before the forced moves, are dead).
bool Search::take_forced_moves() {
  while (true) {
    std::uint32_t dead_write = kEnd, read = kEnd;
    for (std::uint32_t e = list_.next[0]; e != kEnd && e % 2 == 1; e = list_.next[e]) {
      std::uint32_t op = (e - 1) / 2;  // calls before the first return are enabled
      if (!ops_[op].write && matches(op)) {
        read = op;
        break;
      }
      if (ops_[op].write && dead_write == kEnd && readers_left_[value_id_[op]] == 0 &&
          !value_needed())
        dead_write = op;
    }
    std::uint32_t op = read != kEnd ? read : dead_write;
    if (op == kEnd) return true;
    ++steps_;
    if (!linearize(op, true)) return false;
  }
}

void Search::record_deepest(std::uint32_t blocked_op) {
  if (have_best_ && stack_.size() <= best_.size()) return;
  have_best_ = true;
  best_.resize(stack_.size());
  for (std::size_t d = agree_; d < stack_.size(); ++d) best_[d] = stack_[d].op;
  agree_ = stack_.size();
  blocked_ = blocked_op;
  blocked_state_ = state_;
}

// The op to blame at the deepest point. When a write was stuck there because
// reads still needed the register's value, blame the first of those reads:
// it is the one that cannot be placed. Example: w(1) [1-2], w(2) [3-4],
// r->1 [5-6]: write 2 cannot follow write 1 while the read of 1 waits, but
// the read is the op at fault.
std::uint32_t Search::explain_blocked() const {
  if (blocked_ == UINT32_MAX) return 0;
  if (!ops_[blocked_].write) return blocked_;
  std::vector<bool> placed(ops_.size(), false);
  for (std::uint32_t i : best_) placed[i] = true;
  bool rewritable = false;
  for (std::uint32_t i = 0; i < ops_.size(); ++i)
    rewritable |= !placed[i] && ops_[i].write && value_id_[i] == blocked_state_;
  for (std::uint32_t i = 0; i < ops_.size() && !rewritable; ++i)
    if (!placed[i] && !ops_[i].write && value_id_[i] == blocked_state_) return i;
  return blocked_;
}

// Undoes forced reads and then the latest choice; `cur` becomes the entry
// after that choice's call. False when there is no choice left to undo.
bool Search::backtrack(std::uint32_t& cur) {
  while (!stack_.empty()) {
    Frame top = stack_.back();
    stack_.pop_back();
    agree_ = std::min(agree_, stack_.size());
    bits_[top.op >> 6] &= ~(1ULL << (top.op & 63));
    list_.unlift(top.op);
    if (ops_[top.op].write)
      ++writers_left_[value_id_[top.op]];
    else
      ++readers_left_[top.state];
    state_ = top.state;
    hi_ = top.hi;
    if (!top.forced) {
      cur = list_.next[2 * top.op + 1];
      return true;
    }
  }
  return false;
}

SearchResult Search::run() {
  SearchResult result;
  std::uint32_t cur = 0;
  bool fresh = true;  // a new configuration: apply the reads-first rule
  while (true) {
    if (fresh) {
      fresh = false;
      if (!take_forced_moves()) {
        if (!backtrack(cur)) break;
        continue;
      }
      cur = list_.next[0];
    }
    if (list_.next[0] == kEnd) break;  // everything linearized
    if (++steps_ > budget_) {
      result.verdict = Verdict::Unknown;
      break;
    }
    const std::uint32_t op = (cur - 1) / 2;
    if (cur % 2 == 1) {  // a call: only writes branch, matching reads were taken
      if (ops_[op].write && linearize(op, false))
        fresh = true;
      else
        cur = list_.next[cur];
      continue;
    }
    // The return of an op not linearized: this configuration is dead.
    record_deepest(op);
    if (!backtrack(cur)) break;
  }
  if (result.verdict != Verdict::Unknown && list_.next[0] != kEnd)
    result.verdict = Verdict::Invalid;
  result.steps = steps_;
  if (result.verdict == Verdict::Valid) {
    best_.clear();
    for (const Frame& f : stack_) best_.push_back(f.op);
  }
  for (std::uint32_t i : best_) result.longest.push_back(ops_[i].source);
  if (result.verdict == Verdict::Invalid) result.blocked = ops_[explain_blocked()].source;
  return result;
}

}  // namespace

SearchResult wgl_search(const std::vector<SearchOp>& ops, std::uint64_t step_budget) {
  // Number the ops in call order, as the search needs; an end before the
  // call (bad input) is read as an instant op at its call.
  std::vector<SearchOp> sorted = ops;
  for (SearchOp& op : sorted) op.ret = std::max(op.ret, op.call);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const SearchOp& a, const SearchOp& b) { return a.call < b.call; });
  Search search(sorted, step_budget);
  return search.run();
}

}  // namespace consim
