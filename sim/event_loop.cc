// 4-ary heap event queue and the run loop; see event_loop.h.
#include "sim/event_loop.h"

#include <cstdio>
#include <cstdlib>

namespace consim {

void EventQueue::push(const Event& e) {
  heap_.push_back(e);
  std::size_t i = heap_.size() - 1;
  while (i > 0) {
    std::size_t parent = (i - 1) / 4;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

Event EventQueue::pop() {
  Event top = heap_.front();
  Event last = heap_.back();
  heap_.pop_back();
  const std::size_t n = heap_.size();
  if (n == 0) return top;
  std::size_t i = 0;
  for (;;) {
    std::size_t first = 4 * i + 1;
    if (first >= n) break;
    std::size_t best = first;
    std::size_t end = first + 4 < n ? first + 4 : n;
    for (std::size_t c = first + 1; c < end; ++c)
      if (before(heap_[c], heap_[best])) best = c;
    if (!before(heap_[best], last)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = last;
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
