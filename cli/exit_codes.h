// Process exit codes, documented in docs/cli.md. `consim check` uses 0/1/2
// for its verdict; every command uses the others.
#pragma once

namespace consim::cli {

inline constexpr int kExitOk = 0;         // success; for check: valid
inline constexpr int kExitInvalid = 1;    // check: a violation was found
inline constexpr int kExitUnknown = 2;    // check: budget exhausted, no verdict
inline constexpr int kExitBadInput = 3;   // scenario, trace or history is malformed
inline constexpr int kExitUsage = 4;      // command line is wrong
inline constexpr int kExitIo = 5;         // an output could not be written
inline constexpr int kExitInternal = 70;  // a bug: please report with the command

}  // namespace consim::cli
