// The event queue and the single-threaded run loop.
//
// Invariants:
//  - Events run in (time, sequence) order; the sequence number is the order
//    of scheduling, so same-time events run in the order they were scheduled
//    and every run of the same inputs dispatches the same events in the same
//    order.
//  - Time never goes backwards: scheduling before now() is a broken
//    invariant and aborts with the time and event number.
//  - An event is 32 bytes of plain data: its time, its sequence number and
//    a typed payload (sim/events.h). The caller of run_until() or step()
//    hands a dispatcher with one overload per event kind; std::visit turns
//    that into a switch, so dispatch is neither virtual nor allocating.
//  - The loop is guarded: more than same_instant_limit() events dispatched
//    at one simulated instant (time not advancing) throws TimeStuck naming
//    the kind of event that repeated, so no input can hang a run.
#pragma once

#include <array>
#include <cstdint>
#include <stdexcept>
#include <variant>
#include <vector>

#include "base/time.h"
#include "sim/events.h"

namespace consim {

struct Event {
  Time time;
  std::uint64_t seq;
  EventPayload payload;
};
static_assert(sizeof(Event) == 32, "the heap entry is the hot path: keep it 32 bytes");
static_assert(std::is_trivially_copyable_v<Event>);

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
  // For diagnostics only: the pending events, in heap (not time) order.
  const std::vector<Event>& pending() const { return heap_; }

 private:
  std::vector<Event> heap_;
};

// Thrown when the guard trips: time stopped advancing.
class TimeStuck : public std::runtime_error {
 public:
  using Tally = std::array<std::uint64_t, std::variant_size_v<EventPayload>>;
  TimeStuck(Time at, std::uint64_t events, const Tally& last_kinds);
  Time at;               // the instant time stopped at
  std::uint64_t events;  // events dispatched at that instant
  Tally last_kinds;      // kinds of the last kTallyWindow of them
  std::size_t kind;      // the most frequent among those (EventPayload index)
};

class EventLoop {
 public:
  // 10 million events at one instant: far above any legitimate burst (every
  // client and every node acting at one instant is clients x nodes events,
  // 50,000 for 10,000 clients on 5 nodes) and reached in seconds.
  static constexpr std::uint64_t kDefaultSameInstantLimit = 1'000'000;
  // How many of the last events before the limit are tallied by kind.
  static constexpr std::uint64_t kTallyWindow = 10'000;

  explicit EventLoop(std::uint64_t same_instant_limit = kDefaultSameInstantLimit);

  void schedule_at(Time at, const EventPayload& payload) {
    if (at < now_) [[unlikely]]
      scheduled_in_past(at, payload);
    queue_.push(Event{at, next_seq_++, payload});
  }
  void schedule_after(Time delay, const EventPayload& payload) {
    schedule_at(now_ + delay, payload);
  }

  // Runs events with time <= end through `dispatch` (callable with each
  // event kind), then leaves now() at end. Returns the number dispatched.
  template <class Dispatch>
  std::uint64_t run_until(Time end, Dispatch& dispatch) {
    std::uint64_t before = dispatched_;
    while (!queue_.empty() && queue_.top().time <= end) {
      Event e = queue_.pop();
      advance(e);
      std::visit(dispatch, e.payload);
    }
    if (now_ < end) now_ = end;
    return dispatched_ - before;
  }
  // Runs one event if any; false when the queue is empty.
  template <class Dispatch>
  bool step(Dispatch& dispatch) {
    if (queue_.empty()) return false;
    Event e = queue_.pop();
    advance(e);
    std::visit(dispatch, e.payload);
    return true;
  }

  Time now() const { return now_; }
  std::uint64_t dispatched() const { return dispatched_; }
  std::size_t pending() const { return queue_.size(); }
  void reserve(std::size_t n) { queue_.reserve(n); }
  std::uint64_t same_instant_limit() const { return limit_; }

 private:
  // Moves time to the event's and counts it against the guard.
  void advance(const Event& e) {
    if (e.time != now_) {
      now_ = e.time;
      same_instant_ = 1;
    } else if (++same_instant_ >= tally_from_) [[unlikely]] {
      count_repeat(e);
    }
    ++dispatched_;
  }
  void count_repeat(const Event& e);  // tallies; throws TimeStuck at the limit
  [[noreturn]] void scheduled_in_past(Time at, const EventPayload& payload) const;

  EventQueue queue_;
  Time now_ = 0;
  std::uint64_t next_seq_ = 0;
  std::uint64_t dispatched_ = 0;
  std::uint64_t same_instant_ = 0;  // events dispatched at now_, this one included
  std::uint64_t limit_;
  std::uint64_t tally_from_;
  TimeStuck::Tally tally_{};
};

}  // namespace consim
