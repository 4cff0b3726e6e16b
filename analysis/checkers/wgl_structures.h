// Data structures of the WGL search (wgl_search.cc): the set of visited
// configurations and the doubly linked list of call/return events.
//
// Invariants: VisitedSet compares keys exactly (the hash only picks the
// slot), so a hit is never a guess. EventList entry 0 is the head; op i has
// call entry 2i+1 and return entry 2i+2, and ops are numbered in call order.
#pragma once

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

#include "analysis/checkers/wgl_search.h"

namespace consim::wgl {

constexpr std::uint32_t kEnd = UINT32_MAX;

inline std::uint64_t mix(std::uint64_t h, std::uint64_t x) {
  h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h *= 0xbf58476d1ce4e5b9ULL;
  return h ^ (h >> 31);
}

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
  bool insert(std::uint32_t w0, const std::uint64_t* words, std::uint32_t len, std::uint32_t s) {
    std::uint64_t h = mix(mix(w0, s), len);
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
    std::uint32_t state;
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

}  // namespace consim::wgl
