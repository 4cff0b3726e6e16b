// What every consistency checker returns: a verdict and, for an invalid
// history, violations that point at the failing operations.
//
// Invariants: Unknown means the search budget ran out; it is never a guess.
// Every violation names the key, the operations (by 1-based trace line, the
// invoke's line), a one-line reason in plain English, and the smallest slice
// of the history (lines) that shows it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace consim {

enum class Verdict { Valid, Invalid, Unknown };

inline const char* verdict_name(Verdict v) {
  return v == Verdict::Valid ? "valid" : v == Verdict::Invalid ? "invalid" : "unknown";
}

struct Violation {
  std::string checker;               // "linearizable", "causal-cc", "read-your-writes", ...
  std::string key;                   // as named in the history
  std::vector<std::uint64_t> ops;    // invoke lines of the operations at fault
  std::string reason;                // one line
  std::vector<std::uint64_t> slice;  // invoke lines of the smallest slice showing it
};

struct CheckResult {
  std::string checker;
  Verdict verdict = Verdict::Valid;
  std::vector<Violation> violations;  // capped; see violation_count
  std::uint64_t violation_count = 0;
  std::string note;  // e.g. why the verdict is unknown
};

// A checker of replica state (apply lines) given a history without any:
// valid, with the note that there was nothing to judge and why.
inline CheckResult no_replica_state(const char* checker) {
  CheckResult r;
  r.checker = checker;
  r.note =
      "no replica state (no apply lines), nothing to judge: needs a consim trace at level "
      "state or full";
  return r;
}

}  // namespace consim
