// The general Wing–Gong search with Lowe's memoization: reads, writes and
// compare-and-set, values written any number of times. See wgl_search.h.
//
// The state is the register's value (a dense id: 0 is "no value"); a
// configuration is (set of linearized ops, value) and is visited at most
// once. One reduction, exact for any register history: an enabled observer
// (a read, or a cas whose comparison failed) that the register allows now
// is linearized at once, never branched on. It changes nothing, and moving
// it to the front of any valid linearization from here keeps that valid:
// no unlinearized op must precede it (it is enabled), and every op after it
// sees the same value. Example: w(1) ok, then cas(1->2) and r->1
// overlapping: the read is placed first; only the cas is a choice.
// Everything that changes the register (write, cas, cas of unknown outcome)
// is branched on. The unique-value search (wgl_search.cc) adds reductions
// that are wrong when a value can come back; this one does without them.
#include <algorithm>
#include <map>

#include "analysis/checkers/wgl_search.h"
#include "analysis/checkers/wgl_structures.h"

namespace consim {
namespace {

using wgl::EventList;
using wgl::kEnd;
using wgl::VisitedSet;

struct GeneralFrame {
  std::uint32_t op;
  std::uint32_t state;  // register before this op
  std::uint32_t hi;     // highest linearized op before this op
  bool forced;
};

class GeneralSearch {
 public:
  GeneralSearch(const std::vector<SearchOp>& ops, const std::vector<std::int64_t>& expected,
                std::uint64_t budget);
  SearchResult run();

 private:
  bool observer(std::uint32_t i) const {
    return ops_[i].kind == StepKind::Read || ops_[i].kind == StepKind::CasMiss;
  }
  bool step(std::uint32_t i, std::uint32_t& next) const;
  bool linearize(std::uint32_t i, bool forced);
  bool take_forced_moves();
  bool backtrack(std::uint32_t& cur);
  void record_deepest(std::uint32_t blocked_op);

  const std::vector<SearchOp>& ops_;
  EventList list_;
  std::vector<std::uint32_t> value_id_, expected_id_;
  std::vector<std::uint64_t> bits_;
  VisitedSet visited_;
  std::uint64_t budget_, steps_ = 0;
  std::vector<GeneralFrame> stack_;
  std::uint32_t state_ = 0, hi_ = 0;
  std::vector<std::uint32_t> best_;
  std::size_t agree_ = 0;
  bool have_best_ = false;
  std::uint32_t blocked_ = UINT32_MAX;
};

GeneralSearch::GeneralSearch(const std::vector<SearchOp>& ops,
                             const std::vector<std::int64_t>& expected, std::uint64_t budget)
    : ops_(ops),
      list_(ops),
      value_id_(ops.size()),
      expected_id_(ops.size()),
      bits_((ops.size() + 63) / 64 + 1, 0),
      visited_(ops.size() * 4),
      budget_(budget) {
  std::map<std::int64_t, std::uint32_t> ids;  // value -> id; 0 is "no value"
  auto id = [&](std::int64_t v) {
    return ids.emplace(v, static_cast<std::uint32_t>(ids.size() + 1)).first->second;
  };
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const SearchOp& op = ops[i];
    value_id_[i] = op.kind == StepKind::Read && !op.has_value ? 0 : id(op.value);
    if (op.kind != StepKind::Read && op.kind != StepKind::Write)
      expected_id_[i] = id(expected[op.source]);
  }
}

// Whether op i may take effect on the current register, and the value after.
bool GeneralSearch::step(std::uint32_t i, std::uint32_t& next) const {
  next = state_;
  switch (ops_[i].kind) {
    case StepKind::Read:
      return state_ == value_id_[i];
    case StepKind::Write:
      next = value_id_[i];
      return true;
    case StepKind::Cas:
      next = value_id_[i];
      return state_ == expected_id_[i];
    case StepKind::CasMiss:
      return state_ != expected_id_[i];
    case StepKind::CasMaybe:
      if (state_ == expected_id_[i]) next = value_id_[i];
      return true;
  }
  return false;
}

// Linearizes op i now if the register allows it and the configuration after
// it is new; otherwise changes nothing and returns false.
bool GeneralSearch::linearize(std::uint32_t i, bool forced) {
  std::uint32_t next = 0;
  if (!step(i, next)) return false;
  bits_[i >> 6] |= 1ULL << (i & 63);
  list_.lift(i);
  std::uint32_t first = list_.next[0];
  if (first != kEnd) {
    std::uint32_t m = (first - 1) / 2;  // the first op not linearized
    std::uint32_t w0 = m >> 6, w1 = std::max(w0, std::max(hi_, i) >> 6);
    if (!visited_.insert(w0, &bits_[w0], w1 - w0 + 1, next)) {
      list_.unlift(i);
      bits_[i >> 6] &= ~(1ULL << (i & 63));
      return false;
    }
  }
  std::size_t depth = stack_.size();
  if (agree_ == depth && depth < best_.size() && best_[depth] == i) ++agree_;
  stack_.push_back(GeneralFrame{i, state_, hi_, forced});
  state_ = next;
  hi_ = std::max(hi_, i);
  return true;
}

// Linearizes enabled observers that the register allows until none is
// left. False if a configuration reached was already visited.
bool GeneralSearch::take_forced_moves() {
  while (true) {
    std::uint32_t found = kEnd;
    for (std::uint32_t e = list_.next[0]; e != kEnd && e % 2 == 1; e = list_.next[e]) {
      std::uint32_t op = (e - 1) / 2;
      std::uint32_t next = 0;
      if (observer(op) && step(op, next)) {
        found = op;
        break;
      }
    }
    if (found == kEnd) return true;
    ++steps_;
    if (!linearize(found, true)) return false;
  }
}

void GeneralSearch::record_deepest(std::uint32_t blocked_op) {
  if (have_best_ && stack_.size() <= best_.size()) return;
  have_best_ = true;
  best_.resize(stack_.size());
  for (std::size_t d = agree_; d < stack_.size(); ++d) best_[d] = stack_[d].op;
  agree_ = stack_.size();
  blocked_ = blocked_op;
}

// Undoes forced moves and then the latest choice; `cur` becomes the entry
// after that choice's call. False when there is no choice left to undo.
bool GeneralSearch::backtrack(std::uint32_t& cur) {
  while (!stack_.empty()) {
    GeneralFrame top = stack_.back();
    stack_.pop_back();
    agree_ = std::min(agree_, stack_.size());
    bits_[top.op >> 6] &= ~(1ULL << (top.op & 63));
    list_.unlift(top.op);
    state_ = top.state;
    hi_ = top.hi;
    if (!top.forced) {
      cur = list_.next[2 * top.op + 1];
      return true;
    }
  }
  return false;
}

SearchResult GeneralSearch::run() {
  SearchResult result;
  std::uint32_t cur = 0;
  bool fresh = true;
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
    if (cur % 2 == 1) {  // a call: observers the register allows were taken
      if (!observer(op) && linearize(op, false))
        fresh = true;
      else
        cur = list_.next[cur];
      continue;
    }
    record_deepest(op);  // the return of an op not linearized: dead end
    if (!backtrack(cur)) break;
  }
  if (result.verdict != Verdict::Unknown && list_.next[0] != kEnd)
    result.verdict = Verdict::Invalid;
  result.steps = steps_;
  if (result.verdict == Verdict::Valid) {
    best_.clear();
    for (const GeneralFrame& f : stack_) best_.push_back(f.op);
  }
  for (std::uint32_t i : best_) result.longest.push_back(ops_[i].source);
  if (result.verdict == Verdict::Invalid)
    result.blocked = ops_[blocked_ == UINT32_MAX ? 0 : blocked_].source;
  return result;
}

}  // namespace

SearchResult wgl_general_search(const std::vector<SearchOp>& ops,
                                const std::vector<std::int64_t>& expected,
                                std::uint64_t step_budget) {
  std::vector<SearchOp> sorted = ops;
  for (SearchOp& op : sorted) op.ret = std::max(op.ret, op.call);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const SearchOp& a, const SearchOp& b) { return a.call < b.call; });
  GeneralSearch search(sorted, expected, step_budget);
  return search.run();
}

}  // namespace consim
