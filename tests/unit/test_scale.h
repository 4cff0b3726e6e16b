// How much of a long randomized sweep or a large story scenario a test
// runs: all of it in a normal build, less under AddressSanitizer. Every
// path still runs under the sanitizers; the full sweep or scenario runs in
// the normal build of the same suite (test.sh runs both), so no verdict
// goes unchecked, and the ASan run, several times slower, stops
// dominating the suite's time. A test that scales down keeps the very same
// assertions in both builds: only the input (seeds, clients, duration)
// shrinks (docs/testing.md, "Smaller under the sanitizers").
#pragma once

namespace consim::test {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr int kSweepDivisor = 10;
#else
inline constexpr int kSweepDivisor = 1;
#endif

// True under AddressSanitizer: a story may then run a smaller scenario
// (fewer clients, a shorter run) that still shows what it asserts.
inline constexpr bool kReducedScale = kSweepDivisor != 1;

// n, or n / 10 under AddressSanitizer.
constexpr int sweep(int n) { return n / kSweepDivisor; }

// `full` in a normal build, `reduced` under AddressSanitizer.
template <typename T>
constexpr T scaled(T full, T reduced) {
  return kReducedScale ? reduced : full;
}

}  // namespace consim::test
