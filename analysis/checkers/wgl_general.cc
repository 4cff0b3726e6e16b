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
#include "analysis/checkers/wgl_trail.h"

namespace consim {
namespace {

using wgl::Frame;
using wgl::kEnd;

// The register rules; the path, its undo and the loop are wgl_trail.h's.
class GeneralSearch {
 public:
  GeneralSearch(const std::vector<SearchOp>& ops, const std::vector<std::int64_t>& expected,
                std::uint64_t budget);
  SearchResult run() { return wgl::run_search(*this, t_, ops_, steps_, budget_); }

  // For run_search.
  bool take_forced_moves();
  bool branch(std::uint32_t op) { return !observer(op) && linearize(op, false); }
  void undo(const Frame&) {}  // the register is all the state, and the trail restores it
  std::uint32_t explain_blocked() const { return t_.blocked == UINT32_MAX ? 0 : t_.blocked; }

 private:
  bool observer(std::uint32_t i) const {
    return ops_[i].kind == StepKind::Read || ops_[i].kind == StepKind::CasMiss;
  }
  bool step(std::uint32_t i, std::uint32_t& next) const;
  bool linearize(std::uint32_t i, bool forced);

  const std::vector<SearchOp>& ops_;
  wgl::Trail t_;
  std::vector<std::uint32_t> value_id_, expected_id_;
  std::uint64_t budget_, steps_ = 0;
};

GeneralSearch::GeneralSearch(const std::vector<SearchOp>& ops,
                             const std::vector<std::int64_t>& expected, std::uint64_t budget)
    : ops_(ops), t_(ops), value_id_(ops.size()), expected_id_(ops.size()), budget_(budget) {
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
  const std::uint32_t state = t_.state;
  next = state;
  switch (ops_[i].kind) {
    case StepKind::Read:
      return state == value_id_[i];
    case StepKind::Write:
      next = value_id_[i];
      return true;
    case StepKind::Cas:
      next = value_id_[i];
      return state == expected_id_[i];
    case StepKind::CasMiss:
      return state != expected_id_[i];
    case StepKind::CasMaybe:
      if (state == expected_id_[i]) next = value_id_[i];
      return true;
  }
  return false;
}

// Linearizes op i now if the register allows it and the configuration after
// it is new; otherwise changes nothing and returns false.
bool GeneralSearch::linearize(std::uint32_t i, bool forced) {
  std::uint32_t next = 0;
  if (!step(i, next) || !t_.lift_new(i, next)) return false;
  t_.push(i, next, forced);
  return true;
}

// Linearizes enabled observers that the register allows until none is
// left. False if a configuration reached was already visited.
bool GeneralSearch::take_forced_moves() {
  while (true) {
    std::uint32_t found = kEnd;
    for (std::uint32_t e = t_.list.next[0]; e != kEnd && e % 2 == 1; e = t_.list.next[e]) {
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
