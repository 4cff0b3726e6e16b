// How much of a long randomized sweep a test runs: all of it in a normal
// build, a tenth under AddressSanitizer. Every path still runs under the
// sanitizers; the full sweep runs in the normal build of the same suite
// (test.sh runs both), so no verdict goes unchecked, and the ASan run,
// about ten times slower per history, stops dominating the suite's time.
#pragma once

namespace consim::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr int kSweepDivisor = 10;
#else
inline constexpr int kSweepDivisor = 1;
#endif

// n, or n / 10 under AddressSanitizer.
constexpr int sweep(int n) { return n / kSweepDivisor; }

}  // namespace consim::test
