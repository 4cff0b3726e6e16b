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

#include "analysis/checkers/wgl_trail.h"

namespace consim {
namespace {

using wgl::Frame;
using wgl::kEnd;

constexpr std::uint32_t kDeadValue = UINT32_MAX - 1;  // in visited keys only
constexpr std::uint32_t kNoWrite = UINT32_MAX;        // a read of a value never written

// The search proper, on ops numbered in call order. Register values are
// dense ids: 0 is "no value", 1..W the distinct written values. The path,
// its undo and the loop are wgl_trail.h's; this class holds the rules.
class Search {
 public:
  Search(const std::vector<SearchOp>& ops, std::uint64_t budget);
  SearchResult run() { return wgl::run_search(*this, t_, ops_, steps_, budget_); }

  // For run_search.
  bool take_forced_moves();
  bool branch(std::uint32_t op) { return ops_[op].write && linearize(op, false); }
  void undo(const Frame& f) {
    if (ops_[f.op].write)
      ++writers_left_[value_id_[f.op]];
    else
      ++readers_left_[f.state];
  }
  std::uint32_t explain_blocked() const;

 private:
  bool matches(std::uint32_t op) const { return value_id_[op] == t_.state; }
  // Reads still need the register's value, and nothing can write it again.
  bool value_needed() const { return readers_left_[t_.state] > 0 && writers_left_[t_.state] == 0; }
  bool linearize(std::uint32_t op, bool forced);

  const std::vector<SearchOp>& ops_;
  wgl::Trail t_;
  std::vector<std::uint32_t> value_id_;      // per op: written or returned value id
  std::vector<std::uint32_t> readers_left_;  // per value id: reads not yet linearized
  std::vector<std::uint32_t> writers_left_;  // per value id: writes not yet linearized
  std::uint64_t budget_, steps_ = 0;
};

Search::Search(const std::vector<SearchOp>& ops, std::uint64_t budget)
    : ops_(ops),
      t_(ops),
      value_id_(ops.size()),
      readers_left_(1, 0),
      writers_left_(1, 0),
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
  const std::uint32_t next = write ? value_id_[i] : t_.state;
  if (write)
    --writers_left_[next];
  else
    --readers_left_[next];
  std::uint32_t key_state = readers_left_[next] == 0 ? kDeadValue : next;
  if (!t_.lift_new(i, key_state)) {
    if (write)
      ++writers_left_[next];
    else
      ++readers_left_[next];
    return false;
  }
  t_.push(i, next, forced);
  return true;
}

// Applies the forced moves until none is left: first every enabled read
// that matches, then (only when no read matches) an enabled dead write.
// Returns false if a configuration reached was already visited (so it, and
// the one before the forced moves, are dead).
bool Search::take_forced_moves() {
  while (true) {
    std::uint32_t dead_write = kEnd, read = kEnd;
    for (std::uint32_t e = t_.list.next[0]; e != kEnd && e % 2 == 1; e = t_.list.next[e]) {
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

// The op to blame at the deepest point. When a write was stuck there because
// reads still needed the register's value, blame the first of those reads:
// it is the one that cannot be placed. Example: w(1) [1-2], w(2) [3-4],
// r->1 [5-6]: write 2 cannot follow write 1 while the read of 1 waits, but
// the read is the op at fault.
std::uint32_t Search::explain_blocked() const {
  const std::uint32_t blocked = t_.blocked;
  if (blocked == UINT32_MAX) return 0;
  if (!ops_[blocked].write) return blocked;
  std::vector<bool> placed(ops_.size(), false);
  for (std::uint32_t i : t_.best) placed[i] = true;
  bool rewritable = false;
  for (std::uint32_t i = 0; i < ops_.size(); ++i)
    rewritable |= !placed[i] && ops_[i].write && value_id_[i] == t_.blocked_state;
  for (std::uint32_t i = 0; i < ops_.size() && !rewritable; ++i)
    if (!placed[i] && !ops_[i].write && value_id_[i] == t_.blocked_state) return i;
  return blocked;
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
