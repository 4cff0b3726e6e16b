// Random register histories that are linearizable by construction, for the
// checker's differential tests and benchmarks.
//
// Closed-loop clients: each process issues one operation at a time on a
// random key, waits for it, thinks, and issues the next. Every operation
// that takes effect gets a linearization point strictly inside its window
// (for an info write, anywhere after its invoke, even after its info line);
// reads return the register's value at their point. So the history is
// linearizable, and changing a read's value is a way to make it (maybe)
// not. Same spec and rng seed, same history.
//
// Outcomes: `fail_fraction` of ops do not take effect and complete with
// fail (a cas too: Jepsen's "did not happen"; a cas whose comparison
// failed is ok with cas_failed); `info_fraction` get info (half of those take effect, half not;
// half of them never complete at all, and their client goes on as a new process).
#pragma once

#include <cstdint>

#include "analysis/trace/history.h"
#include "base/rng.h"

namespace consim {

struct RegisterHistorySpec {
  std::uint32_t keys = 1;
  std::uint32_t processes = 3;
  std::uint64_t ops = 8;  // total across processes
  double write_fraction = 0.5;
  // Of all ops, this fraction become cas [expected, new] (drawn only when
  // above 0, so histories without cas are the same as before).
  double cas_fraction = 0.0;
  // 0: every written value is new (1, 2, 3, ...). Otherwise values, and cas
  // expected values, are drawn from 1..value_range, so they repeat.
  std::uint64_t value_range = 0;
  double fail_fraction = 0.0;
  double info_fraction = 0.0;
  Time max_duration = 10;  // latency uniform in [1, max_duration]
  Time max_think = 5;      // pause between a process's ops, uniform in [0, max_think]
};

History generate_register_history(const RegisterHistorySpec& spec, Rng& rng);

}  // namespace consim
