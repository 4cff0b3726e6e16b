// 4-ary heap event queue and the run loop's guard; see event_loop.h.
#include "sim/event_loop.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace consim {
namespace {

__extension__ typedef unsigned __int128 u128;

// (time, seq) as one unsigned number: flipping time's sign bit maps int64
// order onto uint64 order, and seq is unique, so keys never tie. Comparing
// two keys compiles to compare-and-borrow, without branches.
inline u128 key(const Event& e) {
  return (static_cast<u128>(static_cast<std::uint64_t>(e.time) ^ (1ULL << 63)) << 64) | e.seq;
}

std::size_t most_frequent(const TimeStuck::Tally& tally) {
  return static_cast<std::size_t>(std::max_element(tally.begin(), tally.end()) - tally.begin());
}

std::string stuck_message(Time at, std::uint64_t events, const TimeStuck::Tally& tally) {
  std::string kinds;
  std::uint64_t tallied = 0;
  for (std::uint64_t n : tally) tallied += n;
  for (std::size_t k = 0; k < tally.size(); ++k) {
    if (tally[k] == 0) continue;
    if (!kinds.empty()) kinds += ", ";
    kinds += std::to_string(tally[k]) + " " + std::string(kEventKinds[k].name);
  }
  return "simulated time stopped advancing at " + format_duration(at) + ": " +
         std::to_string(events) + " events ran at that one instant (the last " +
         std::to_string(tallied) + ": " + kinds + ")";
}

}  // namespace

void EventQueue::push(const Event& e) {
  heap_.push_back(e);
  std::size_t i = heap_.size() - 1;
  const u128 k = key(e);
  Event* h = heap_.data();
  while (i > 0) {
    std::size_t parent = (i - 1) / 4;
    if (!(k < key(h[parent]))) break;
    h[i] = h[parent];
    i = parent;
  }
  h[i] = e;
}

// Bottom-up (Floyd) removal: the hole left by the top moves down to a leaf
// along the smallest children, without comparing against the element being
// re-inserted; that element (the old last leaf, usually among the largest)
// then sifts up from the leaf, which is short. With full families of four
// the smallest child is picked without branches.
Event EventQueue::pop() {
  Event top = heap_.front();
  const std::size_t n = heap_.size() - 1;
  const Event last = heap_[n];
  heap_.pop_back();
  if (n == 0) return top;
  Event* h = heap_.data();
  std::size_t hole = 0;
  for (;;) {
    const std::size_t first = 4 * hole + 1;
    std::size_t best;
    if (first + 4 <= n) {
      std::size_t a = first + (key(h[first + 1]) < key(h[first]));
      std::size_t b = first + 2 + (key(h[first + 3]) < key(h[first + 2]));
      best = key(h[b]) < key(h[a]) ? b : a;
    } else if (first < n) {
      best = first;
      for (std::size_t c = first + 1; c < n; ++c)
        if (key(h[c]) < key(h[best])) best = c;
    } else {
      break;
    }
    h[hole] = h[best];
    hole = best;
  }
  const u128 k = key(last);
  while (hole > 0) {
    std::size_t parent = (hole - 1) / 4;
    if (!(k < key(h[parent]))) break;
    h[hole] = h[parent];
    hole = parent;
  }
  h[hole] = last;
  return top;
}

TimeStuck::TimeStuck(Time at_, std::uint64_t events_, const Tally& last_kinds_)
    : std::runtime_error(stuck_message(at_, events_, last_kinds_)),
      at(at_),
      events(events_),
      last_kinds(last_kinds_),
      kind(most_frequent(last_kinds_)) {}

EventLoop::EventLoop(std::uint64_t same_instant_limit)
    : limit_(std::max<std::uint64_t>(same_instant_limit, 1)),
      tally_from_(limit_ > kTallyWindow ? limit_ - kTallyWindow + 1 : 1) {}

void EventLoop::count_repeat(const Event& e) {
  if (same_instant_ == tally_from_) tally_.fill(0);
  if (same_instant_ > limit_) throw TimeStuck(now_, same_instant_ - 1, tally_);
  ++tally_[e.payload.index()];
}

void EventLoop::scheduled_in_past(Time at, const EventPayload& payload) const {
  std::fprintf(stderr,
               "consim: broken invariant: a \"%s\" event scheduled at %lld ns, before now "
               "(%lld ns), after %llu events\n",
               std::string(kEventKinds[payload.index()].name).c_str(), static_cast<long long>(at),
               static_cast<long long>(now_), static_cast<unsigned long long>(dispatched_));
  std::abort();
}

}  // namespace consim
