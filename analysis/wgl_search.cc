// Wing–Gong search with Lowe's memoization (the "porcupine" approach); see
// wgl_search.h. Events live in an index-linked list; linearizing an op
// lifts its call and return out of the list, backtracking puts them back.
#include "analysis/wgl_search.h"

#include <algorithm>
#include <numeric>

namespace consim {
namespace {

constexpr std::uint32_t kEnd = UINT32_MAX;

std::uint64_t mix(std::uint64_t h, std::uint64_t x) {
  h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 31);
}

struct RegisterState {
  bool has = false;
  std::int64_t value = 0;
  friend bool operator==(const RegisterState&, const RegisterState&) = default;
};

// Configurations already visited: (linearized set, register state). The set
// is given as words [w0, w0 + len) of the bitset; all bits below word w0 are
// set and all bits past the last word are clear, so (w0, words) is canonical.
class VisitedSet {
 public:
  explicit VisitedSet(std::size_t expected) {
    std::size_t cap = 64;
    while (cap < expected * 2) cap *= 2;
    slots_.resize(cap);
  }

  // Inserts; returns false if it was already there.
  bool insert(std::uint32_t w0, const std::uint64_t* words, std::uint32_t len, RegisterState s) {
    std::uint64_t h = mix(mix(w0, s.has ? static_cast<std::uint64_t>(s.value) : 0x5bd1e995), len);
    for (std::uint32_t i = 0; i < len; ++i) h = mix(h, words[i]);
    h |= 1;  // 0 marks an empty slot
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.hash == 0) {
        slot = Slot{h, arena_.size(), w0, len, s};
        arena_.insert(arena_.end(), words, words + len);
        if (++used_ * 2 > slots_.size()) grow();
        return true;
      }
      if (slot.hash == h && slot.w0 == w0 && slot.len == len && slot.state == s &&
          std::equal(words, words + len, arena_.begin() + static_cast<std::ptrdiff_t>(slot.offset)))
        return false;
    }
  }

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint64_t offset = 0;
    std::uint32_t w0 = 0, len = 0;
    RegisterState state;
  };
  void grow() {
    std::vector<Slot> old(slots_.size() * 2);
    old.swap(slots_);
    std::size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.hash == 0) continue;
      std::size_t i = s.hash & mask;
      while (slots_[i].hash != 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }
  std::vector<Slot> slots_;
  std::vector<std::uint64_t> arena_;
  std::size_t used_ = 0;
};

// The event list: entry 0 is the head; op i has call entry 2i+1 and return
// entry 2i+2 (ops numbered in call order).
struct EventList {
  std::vector<std::uint32_t> next, prev;

  explicit EventList(const std::vector<SearchOp>& ops) {
    const auto n = static_cast<std::uint32_t>(ops.size());
    std::vector<std::uint32_t> order(2 * n);
    std::iota(order.begin(), order.end(), 1u);
    auto pos = [&](std::uint32_t e) {
      const SearchOp& op = ops[(e - 1) / 2];
      return (e % 2 == 1) ? op.call : op.ret;
    };
    // Calls before returns at the same position: such ops overlap.
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      Pos pa = pos(a), pb = pos(b);
      if (pa < pb || pb < pa) return pa < pb;
      if (a % 2 != b % 2) return a % 2 == 1;
      return a < b;
    });
    next.assign(2 * n + 1, kEnd);
    prev.assign(2 * n + 1, kEnd);
    std::uint32_t last = 0;
    for (std::uint32_t e : order) {
      next[last] = e;
      prev[e] = last;
      last = e;
    }
  }
  void lift(std::uint32_t op) {
    std::uint32_t c = 2 * op + 1, r = 2 * op + 2;
    next[prev[c]] = next[c];
    prev[next[c]] = prev[c];  // a call is always followed by its return at least
    next[prev[r]] = next[r];
    if (next[r] != kEnd) prev[next[r]] = prev[r];
  }
  void unlift(std::uint32_t op) {
    std::uint32_t c = 2 * op + 1, r = 2 * op + 2;
    next[prev[r]] = r;
    if (next[r] != kEnd) prev[next[r]] = r;
    next[prev[c]] = c;
    prev[next[c]] = c;
  }
};

struct Frame {
  std::uint32_t op;
  RegisterState state;
  std::uint32_t hi;  // highest linearized op before this frame
};

// The search proper, on ops numbered in call order.
class Search {
 public:
  Search(const std::vector<SearchOp>& ops, std::uint64_t budget)
      : ops_(ops),
        list_(ops),
        bits_((ops.size() + 63) / 64 + 1, 0),
        visited_(ops.size() * 4),
        budget_(budget) {}

  SearchResult run();

 private:
  bool try_linearize(std::uint32_t op);
  void backtrack_to_previous(std::uint32_t& cur);
  void record_deepest(std::uint32_t blocked_op);

  const std::vector<SearchOp>& ops_;
  EventList list_;
  std::vector<std::uint64_t> bits_;
  VisitedSet visited_;
  std::uint64_t budget_;
  std::vector<Frame> stack_;
  RegisterState state_;
  std::uint32_t hi_ = 0;
  // Longest prefix: best_ agrees with stack_ on its first agree_ entries.
  std::vector<std::uint32_t> best_;
  std::size_t agree_ = 0;
  bool have_best_ = false;
  std::uint32_t blocked_ = UINT32_MAX;
};

bool Search::try_linearize(std::uint32_t i) {
  const SearchOp& op = ops_[i];
  RegisterState next = state_;
  if (op.write) {
    next = RegisterState{true, op.value};
  } else if (state_.has != op.has_value || (op.has_value && state_.value != op.value)) {
    return false;
  }
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
  stack_.push_back(Frame{i, state_, hi_});
  state_ = next;
  hi_ = std::max(hi_, i);
  return true;
}

void Search::record_deepest(std::uint32_t blocked_op) {
  if (have_best_ && stack_.size() <= best_.size()) return;
  have_best_ = true;
  best_.resize(stack_.size());
  for (std::size_t d = agree_; d < stack_.size(); ++d) best_[d] = stack_[d].op;
  agree_ = stack_.size();
  blocked_ = blocked_op;
}

void Search::backtrack_to_previous(std::uint32_t& cur) {
  Frame top = stack_.back();
  stack_.pop_back();
  agree_ = std::min(agree_, stack_.size());
  bits_[top.op >> 6] &= ~(1ULL << (top.op & 63));
  list_.unlift(top.op);
  state_ = top.state;
  hi_ = top.hi;
  cur = list_.next[2 * top.op + 1];
}

SearchResult Search::run() {
  SearchResult result;
  std::uint32_t cur = list_.next[0];
  while (list_.next[0] != kEnd) {
    if (++result.steps > budget_) {
      result.verdict = Verdict::Unknown;
      break;
    }
    const std::uint32_t op = (cur - 1) / 2;
    if (cur % 2 == 1) {  // a call: try to linearize it here
      cur = try_linearize(op) ? list_.next[0] : list_.next[cur];
      continue;
    }
    // The return of an op not linearized: this branch is dead.
    record_deepest(op);
    if (stack_.empty()) {
      result.verdict = Verdict::Invalid;
      break;
    }
    backtrack_to_previous(cur);
  }
  if (result.verdict == Verdict::Valid) {
    best_.clear();
    for (const Frame& f : stack_) best_.push_back(f.op);
  }
  for (std::uint32_t i : best_) result.longest.push_back(ops_[i].source);
  if (result.verdict == Verdict::Invalid) result.blocked = ops_[blocked_].source;
  return result;
}

}  // namespace

SearchResult wgl_search(const std::vector<SearchOp>& ops, std::uint64_t step_budget) {
  // Number the ops in call order, as the search needs.
  std::vector<SearchOp> sorted = ops;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const SearchOp& a, const SearchOp& b) { return a.call < b.call; });
  Search search(sorted, step_budget);
  return search.run();
}

}  // namespace consim
