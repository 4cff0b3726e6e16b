// 4-ary heap event queue and the run loop; see event_loop.h.
#include "sim/event_loop.h"

#include <cstdio>
#include <cstdlib>

namespace consim {
namespace {

__extension__ typedef unsigned __int128 u128;

// (time, seq) as one unsigned number: flipping time's sign bit maps int64
// order onto uint64 order, and seq is unique, so keys never tie. Comparing
// two keys compiles to compare-and-borrow, without branches.
inline u128 key(const Event& e) {
  return (static_cast<u128>(static_cast<std::uint64_t>(e.time) ^ (1ULL << 63)) << 64) | e.seq;
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

std::uint32_t EventLoop::add_sink(EventSink* sink) {
  sinks_.push_back(sink);
  return static_cast<std::uint32_t>(sinks_.size() - 1);
}

void EventLoop::schedule_at(Time at, std::uint32_t sink, std::uint32_t a, std::uint64_t b) {
  if (at < now_ || sink >= sinks_.size()) {
    std::fprintf(stderr,
                 "consim: broken invariant: event for sink %u scheduled at %lld ns, before now "
                 "(%lld ns), after %llu events\n",
                 sink, static_cast<long long>(at), static_cast<long long>(now_),
                 static_cast<unsigned long long>(dispatched_));
    std::abort();
  }
  queue_.push(Event{at, next_seq_++, sink, a, b});
}

void EventLoop::dispatch(const Event& e) {
  now_ = e.time;
  ++dispatched_;
  sinks_[e.sink]->on_event(e.a, e.b);
}

std::uint64_t EventLoop::run_until(Time end) {
  std::uint64_t before = dispatched_;
  while (!queue_.empty() && queue_.top().time <= end) dispatch(queue_.pop());
  if (now_ < end) now_ = end;
  return dispatched_ - before;
}

bool EventLoop::step() {
  if (queue_.empty()) return false;
  dispatch(queue_.pop());
  return true;
}

}  // namespace consim
