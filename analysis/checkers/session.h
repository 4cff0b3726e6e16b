// Session guarantees (Terry et al., 1994) checked on a history alone:
// read-your-writes, monotonic reads, monotonic writes, writes-follow-reads.
//
// "Older" (the per-key version order, a judgement call; docs/checkers.md,
// "Session guarantees", has worked examples): write a is older than write b
// of the same key iff a completed before b was invoked; the initial value is
// older than every write. It is the real-time order, so a linearizable
// history never violates a guarantee, and two overlapping writes are never
// older than each other. An info write never completed, so it is older than
// nothing (but a write that completed before it was invoked is older than it).
// A read is "after" another op of its process iff that op completed before
// the read was invoked. Reads of values nobody (successfully) wrote are not
// checked; the causal checker reports them (ThinAirRead).
//
//   read-your-writes     a read by p of key x returns a value older than a
//                        write of p to x that was acknowledged before the
//                        read began.
//   monotonic-reads      a read by p of x returns a value older than a value
//                        an earlier read by p of x returned.
//   monotonic-writes     p wrote w1 to x (acknowledged), then w2 to key y.
//                        A process q read w2, then later read x and got a
//                        value older than w1, or (if y is x) got w1 itself:
//                        q saw p's later write without the earlier one.
//   writes-follow-reads  p read a value v of x (written by wv), then wrote
//                        w2 to key y. A process q read w2, then later read x
//                        and got a value older than wv, or (if y is x) got v
//                        itself: q saw w2 without the write it followed.
//
// Invariants: each read is checked against the strongest reference of each
// guarantee and counted at most once per guarantee; reads_checked counts the
// reads that had a reference (for RYW an earlier acknowledged own write to
// the key; for MR an earlier read of the key; for MW (WFR) an acknowledged
// write (read) of the key by a process p, completed before p invoked a write
// the reader had seen). Results are deterministic and in the order RYW, MR,
// MW, WFR.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

struct SessionResult {
  std::string guarantee;  // "read-your-writes", "monotonic-reads", ...
  std::uint64_t reads_checked = 0;
  std::uint64_t violating = 0;        // reads that violate it (each counted once)
  double rate = 0.0;                  // violating / reads_checked; 0 if none checked
  std::vector<Violation> violations;  // the first max_violations, in history order
};

struct SessionOptions {
  std::size_t max_violations = 100;
};

// Throws InputError if a key is written the same value twice.
std::vector<SessionResult> check_session_guarantees(const History& history,
                                                    const SessionOptions& options = {});

// Verdict Invalid iff violating > 0; violation_count = violating; the note
// gives the rate, e.g. "3 of 120 reads checked violate it (2.50%)".
CheckResult to_check_result(const SessionResult& result);

}  // namespace consim
