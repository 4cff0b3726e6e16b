// The event queue's order contract, which the PHOLD-tuned heap must keep:
// events leave in (time, seq) order, same-time events in scheduling order.
#include <doctest/doctest.h>

#include <algorithm>

#include "sim/event_loop.h"
#include "base/rng.h"

using namespace consim;

namespace {

struct Recorder : EventSink {
  std::vector<std::uint32_t> seen;
  void on_event(std::uint32_t a, std::uint64_t) override { seen.push_back(a); }
};

}  // namespace

TEST_CASE("event queue: random pushes and pops leave in (time, seq) order") {
  Rng rng(3);
  EventQueue queue;
  std::vector<Event> reference;  // kept sorted by (time, seq)
  auto earlier = [](const Event& x, const Event& y) {
    return x.time < y.time || (x.time == y.time && x.seq < y.seq);
  };
  std::uint64_t seq = 0;
  Time now = 0;
  for (int step = 0; step < 50'000; ++step) {
    if (reference.empty() || rng.below(3) != 0) {
      // Many ties in time, so seq decides often.
      Event e{now + static_cast<Time>(rng.below(20)), seq++, 0, 0, 0};
      queue.push(e);
      reference.insert(std::upper_bound(reference.begin(), reference.end(), e, earlier), e);
    } else {
      Event got = queue.pop();
      REQUIRE(got.seq == reference.front().seq);
      REQUIRE(got.time == reference.front().time);
      now = got.time;
      reference.erase(reference.begin());
    }
    REQUIRE(queue.size() == reference.size());
  }
}

TEST_CASE("event loop: same-time events run in the order they were scheduled") {
  EventLoop loop;
  Recorder recorder;
  std::uint32_t sink = loop.add_sink(&recorder);
  loop.schedule_at(5, sink, 1);
  loop.schedule_at(3, sink, 2);
  loop.schedule_at(5, sink, 3);
  loop.schedule_at(3, sink, 4);
  loop.schedule_at(9, sink, 5);
  CHECK(loop.run_until(5) == 4);
  CHECK(recorder.seen == std::vector<std::uint32_t>{2, 4, 1, 3});
  CHECK(loop.now() == 5);
  CHECK(loop.pending() == 1);
  CHECK(loop.step());
  CHECK(loop.now() == 9);
  CHECK_FALSE(loop.step());
  CHECK(loop.dispatched() == 5);
}
