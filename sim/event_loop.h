// The event queue and the single-threaded run loop.
//
// Invariants:
//  - Events run in (time, sequence) order; the sequence number is the order
//    of scheduling, so same-time events run in the order they were scheduled
//    and every run of the same inputs dispatches the same events in the same
//    order.
//  - Time never goes backwards: scheduling before now() is a broken
//    invariant and aborts with the time and event number.
//  - An event is 32 bytes of plain data: a sink (who handles it) and two
//    arguments whose meaning belongs to the sink. Payloads too large for that
//    live in the sink's own slab, indexed by the argument.
#pragma once

#include <cstdint>
#include <vector>

#include "base/time.h"

namespace consim {

struct Event {
  Time time;
  std::uint64_t seq;
  std::uint32_t sink;
  std::uint32_t a;
  std::uint64_t b;
};

class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(std::uint32_t a, std::uint64_t b) = 0;
};

// A 4-ary min-heap on (time, seq). Faster than std::priority_queue's binary
// heap (shallower, cache-friendlier) and ours, so its order is fixed.
class EventQueue {
 public:
  void push(const Event& e);
  Event pop();
  const Event& top() const { return heap_.front(); }
  bool empty() const { return heap_.empty(); }
  std::size_t size() const { return heap_.size(); }
  void reserve(std::size_t n) { heap_.reserve(n); }

 private:
  static bool before(const Event& x, const Event& y) {
    return x.time < y.time || (x.time == y.time && x.seq < y.seq);
  }
  std::vector<Event> heap_;
};

class EventLoop {
 public:
  // Registers a handler; the returned id goes in schedule(). The sink must
  // outlive the loop's use of it.
  std::uint32_t add_sink(EventSink* sink);

  void schedule_at(Time at, std::uint32_t sink, std::uint32_t a = 0, std::uint64_t b = 0);
  void schedule_after(Time delay, std::uint32_t sink, std::uint32_t a = 0, std::uint64_t b = 0) {
    schedule_at(now_ + delay, sink, a, b);
  }

  // Runs events with time <= end, then leaves now() at end. Returns the
  // number of events dispatched.
  std::uint64_t run_until(Time end);
  // Runs one event if any; false when the queue is empty.
  bool step();

  Time now() const { return now_; }
  std::uint64_t dispatched() const { return dispatched_; }
  std::size_t pending() const { return queue_.size(); }
  void reserve(std::size_t n) { queue_.reserve(n); }

 private:
  void dispatch(const Event& e);

  EventQueue queue_;
  std::vector<EventSink*> sinks_;
  Time now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t dispatched_ = 0;
};

}  // namespace consim
