// PHOLD: the classic discrete-event engine benchmark, run through consim's
// real EventLoop (its queue, its 32-byte typed heap entry, its (time, seq)
// order, its guard and its std::visit dispatch), and the same model on a
// bare std::priority_queue as a baseline.
//
// Model: 1,000 logical processes (LPs), each with its own stream
// Rng(seed).fork("lp/<i>"); 10 initial events per LP at time 0. An LP's
// event is the engine's TimerFires kind (node = LP), dispatched by a
// visitor with one overload per event kind, as the engine's World does. Each
// event, at its LP, schedules one new event at now + exponential(mean 1000
// ns) (consim's Distribution::sample_time) for an LP chosen by rng.below(1000).
// Both runs process the same events in the same order, so they print the
// same final time and checksum; that is checked.
//
// Usage: phold [events] [repetitions]   (defaults 20000000 and 3)
// Prints each run's events/s by wall clock and by process CPU time, and the
// best of the repetitions. Only benchmarks read the wall clock.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "base/distribution.h"
#include "base/rng.h"
#include "sim/event_loop.h"

namespace {

using consim::Distribution;
using consim::EventLoop;
using consim::Rng;
using consim::Time;

constexpr std::uint32_t kLps = 1000;
constexpr int kInitialPerLp = 10;
constexpr std::uint64_t kSeed = 1;

struct Result {
  Time end_time;
  std::uint64_t checksum;  // sum of destination ids, mixed with time
  double seconds;          // wall clock
  double cpu_seconds;      // this process's CPU time: less hurt by a busy machine
};

// Wall and CPU time since construction.
struct Stopwatch {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  std::clock_t cpu = std::clock();
  double wall_seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  }
  double cpu_seconds() const { return static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC; }
};

Distribution delay() { return Distribution(consim::dist::Exponential{1000.0}); }

consim::events::TimerFires at_lp(std::uint32_t lp) { return {lp, 0, 0}; }

class Lp {
 public:
  Lp(EventLoop& loop, std::uint32_t id)
      : loop_(loop), rng_(Rng(kSeed).fork("lp/" + std::to_string(id))), delay_(delay()) {}
  void fire() {
    Time dt = delay_.sample_time(rng_);
    auto to = static_cast<std::uint32_t>(rng_.below(kLps));
    checksum += to ^ static_cast<std::uint64_t>(loop_.now());
    loop_.schedule_after(dt, at_lp(to));
  }
  std::uint64_t checksum = 0;

 private:
  EventLoop& loop_;
  Rng rng_;
  Distribution delay_;
};

// Routes each event kind, as the engine's World::Router does; PHOLD has
// only timers.
struct Dispatch {
  std::vector<std::unique_ptr<Lp>>& lps;
  void operator()(const consim::events::TimerFires& e) { lps[e.node]->fire(); }
  template <class Other>
  void operator()(const Other&) {
    std::abort();
  }
};

Result run_engine(std::uint64_t events) {
  EventLoop loop;
  loop.reserve(kLps * kInitialPerLp + 1);
  std::vector<std::unique_ptr<Lp>> lps;
  for (std::uint32_t i = 0; i < kLps; ++i) lps.push_back(std::make_unique<Lp>(loop, i));
  for (std::uint32_t i = 0; i < kLps; ++i)
    for (int k = 0; k < kInitialPerLp; ++k) loop.schedule_at(0, at_lp(i));
  Dispatch dispatch{lps};
  Stopwatch watch;
  while (loop.dispatched() < events) loop.step(dispatch);
  double wall = watch.wall_seconds(), cpu = watch.cpu_seconds();
  std::uint64_t checksum = 0;
  for (const auto& lp : lps) checksum += lp->checksum;
  return {loop.now(), checksum, wall, cpu};
}

struct BareEvent {
  Time time;
  std::uint64_t seq;
  std::uint32_t lp;
  bool operator>(const BareEvent& o) const {
    return time > o.time || (time == o.time && seq > o.seq);
  }
};

Result run_baseline(std::uint64_t events) {
  std::vector<Rng> rngs;
  for (std::uint32_t i = 0; i < kLps; ++i)
    rngs.push_back(Rng(kSeed).fork("lp/" + std::to_string(i)));
  const Distribution d = delay();
  std::vector<BareEvent> storage;
  storage.reserve(kLps * kInitialPerLp + 1);
  std::priority_queue<BareEvent, std::vector<BareEvent>, std::greater<>> queue(std::greater<>{},
                                                                               std::move(storage));
  std::uint64_t seq = 0, checksum = 0;
  for (std::uint32_t i = 0; i < kLps; ++i)
    for (int k = 0; k < kInitialPerLp; ++k) queue.push({0, seq++, i});
  Time now = 0;
  Stopwatch watch;
  for (std::uint64_t n = 0; n < events; ++n) {
    BareEvent e = queue.top();
    queue.pop();
    now = e.time;
    Rng& rng = rngs[e.lp];
    Time dt = d.sample_time(rng);
    auto to = static_cast<std::uint32_t>(rng.below(kLps));
    checksum += to ^ static_cast<std::uint64_t>(now);
    queue.push({now + dt, seq++, to});
  }
  double wall = watch.wall_seconds(), cpu = watch.cpu_seconds();
  return {now, checksum, wall, cpu};
}

struct Rates {
  double wall = 0, cpu = 0;  // best events per second
};

Rates best_rates(const char* label, Result (*run)(std::uint64_t), std::uint64_t events,
                 int repetitions, Result& last) {
  Rates best;
  for (int r = 0; r < repetitions; ++r) {
    last = run(events);
    double wall = static_cast<double>(events) / last.seconds;
    double cpu = static_cast<double>(events) / last.cpu_seconds;
    std::printf(
        "%-20s run %d: %llu events in %.3f s wall, %.3f s cpu = %.2f M events/s wall, "
        "%.2f M events/s cpu\n",
        label, r + 1, static_cast<unsigned long long>(events), last.seconds, last.cpu_seconds,
        wall / 1e6, cpu / 1e6);
    best.wall = std::max(best.wall, wall);
    best.cpu = std::max(best.cpu, cpu);
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20'000'000;
  int repetitions = argc > 2 ? std::atoi(argv[2]) : 3;
  if (events == 0 || repetitions <= 0) {
    std::fprintf(stderr, "usage: phold [events > 0] [repetitions > 0]\n");
    return 2;
  }
  std::printf("PHOLD: %u LPs, %d initial events each, exponential(mean 1000ns) delays\n", kLps,
              kInitialPerLp);
  Result engine{}, baseline{};
  Rates engine_rate = best_rates("consim EventLoop", run_engine, events, repetitions, engine);
  Rates baseline_rate =
      best_rates("std::priority_queue", run_baseline, events, repetitions, baseline);
  std::printf(
      "best of %d, M events/s (wall / cpu): consim EventLoop %.2f / %.2f, "
      "std::priority_queue %.2f / %.2f\n",
      repetitions, engine_rate.wall / 1e6, engine_rate.cpu / 1e6, baseline_rate.wall / 1e6,
      baseline_rate.cpu / 1e6);
  if (engine.end_time != baseline.end_time || engine.checksum != baseline.checksum) {
    std::printf("MISMATCH: engine ended at %lld ns (checksum %llu), baseline at %lld ns (%llu)\n",
                static_cast<long long>(engine.end_time),
                static_cast<unsigned long long>(engine.checksum),
                static_cast<long long>(baseline.end_time),
                static_cast<unsigned long long>(baseline.checksum));
    return 1;
  }
  std::printf("same events in the same order: final time %lld ns, checksum %llu\n",
              static_cast<long long>(engine.end_time),
              static_cast<unsigned long long>(engine.checksum));
  return 0;
}
