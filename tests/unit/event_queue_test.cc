// The event queue's order contract, which the PHOLD-tuned heap must keep:
// events leave in (time, seq) order, same-time events in scheduling order;
// typed events reach the dispatcher's overload for their kind; and the
// loop's guard stops time that does not advance.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "base/rng.h"
#include "sim/event_loop.h"
#include "tests/unit/test_scale.h"

using namespace consim;

namespace event_queue_test {

namespace {

// Records each event's kind and its first field.
struct Recorder {
  std::vector<std::string> seen;
  void operator()(const events::CopyArrives& e) {
    seen.push_back("copy " + std::to_string(e.slot));
  }
  void operator()(const events::TimerFires& e) {
    seen.push_back("timer " + std::to_string(e.node) + "/" + std::to_string(e.slot) + "/" +
                   std::to_string(e.generation));
  }
  void operator()(const events::OperationTimesOut& e) {
    seen.push_back("timeout " + std::to_string(std::uint64_t{e.op_id}));
  }
  template <class Other>
  void operator()(const Other&) {
    seen.push_back("other");
  }
};

// An event kind that re-schedules itself at the same instant, forever.
struct Repeater {
  EventLoop& loop;
  std::uint64_t ran = 0;
  void operator()(const events::OperationStarts& e) {
    ++ran;
    loop.schedule_after(0, e);
  }
  void operator()(const events::CopyArrives&) { ++ran; }
  template <class Other>
  void operator()(const Other&) {}
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
  for (int step = 0; step < consim::test::sweep(50'000); ++step) {
    if (reference.empty() || rng.below(3) != 0) {
      // Many ties in time, so seq decides often.
      Event e{now + static_cast<Time>(rng.below(20)), seq++, events::CopyArrives{0}};
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
  loop.schedule_at(5, events::CopyArrives{1});
  loop.schedule_at(3, events::CopyArrives{2});
  loop.schedule_at(5, events::CopyArrives{3});
  loop.schedule_at(3, events::CopyArrives{4});
  loop.schedule_at(9, events::CopyArrives{5});
  CHECK(loop.run_until(5, recorder) == 4);
  CHECK(recorder.seen == std::vector<std::string>{"copy 2", "copy 4", "copy 1", "copy 3"});
  CHECK(loop.now() == 5);
  CHECK(loop.pending() == 1);
  CHECK(loop.step(recorder));
  CHECK(loop.now() == 9);
  CHECK_FALSE(loop.step(recorder));
  CHECK(loop.dispatched() == 5);
}

TEST_CASE("event loop: each kind reaches its own overload with its fields intact") {
  EventLoop loop;
  Recorder recorder;
  loop.schedule_at(1, events::TimerFires{7, 3, 4'000'000'000u});
  loop.schedule_at(2, events::OperationTimesOut{(std::uint64_t{1} << 40) + 5});
  loop.schedule_at(3, events::FaultBegins{0});
  loop.run_until(10, recorder);
  CHECK(recorder.seen ==
        std::vector<std::string>{"timer 7/3/4000000000", "timeout 1099511627781", "other"});
}

TEST_CASE(
    "event loop: events that keep time from advancing stop the run with the kind that repeated") {
  EventLoop loop(50'000);
  Repeater repeater{loop};
  loop.schedule_at(7, events::CopyArrives{0});
  loop.schedule_at(7, events::OperationStarts{0});
  try {
    loop.run_until(100, repeater);
    FAIL("the guard did not trip");
  } catch (const TimeStuck& e) {
    CHECK(e.at == 7);
    CHECK(e.events == 50'000);
    CHECK(repeater.ran == 50'000);
    CHECK(kEventKinds[e.kind].name == "client operation starts");
    CHECK(std::string(e.what()) ==
          "simulated time stopped advancing at 7ns: 50000 events ran at that one instant (the "
          "last 10000: 10000 client operation starts)");
  }
}

TEST_CASE(
    "event loop: the guard counts events per instant, so a long run at many instants passes") {
  EventLoop loop(100);
  Recorder recorder;
  // 99 events at each of 1,000 instants: 99,000 events in all, under the
  // limit at every instant.
  for (Time t = 0; t < 1000; ++t)
    for (int k = 0; k < 99; ++k) loop.schedule_at(t, events::CopyArrives{0});
  CHECK(loop.run_until(1000, recorder) == 99'000);
}

}  // namespace event_queue_test
