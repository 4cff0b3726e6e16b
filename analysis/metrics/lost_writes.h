// Lost and in-doubt acknowledged writes: writes that got an `ok` but are not
// readable at the end of the run, told apart by whether they survive
// somewhere.
//
// Writes are `write` operations and successful compare-and-sets (ok with
// "result": true, a write of the new value); a failed cas wrote nothing.
// Write W precedes write V in real time when W's `ok` line comes before V's
// `invoke` line. A replica keeps W when it holds W's value, or the value of
// an acknowledged write V that does not precede W (V acknowledged after W,
// or concurrent with it: V may linearize after W). W is missing when no live
// replica of its key keeps it: every live replica holds null or a write that
// precedes W. A replica holding siblings (version vectors, mv-register)
// keeps W when any of its siblings does: a write kept as a sibling is not
// lost. A missing W is in doubt when a crashed replica keeps it, else
// lost. A key with a live replica holding a value never acknowledged is
// skipped (its order is unknown); so is a key with no live replica. When the
// lines needed to decide have left the write window (key_writes.h), W is
// counted nowhere and `lower_bound` is set. The figure is only final when
// the run ends with no fault active and the replicas converged: both are
// reported beside it.
// Worked example (last-writer-wins with a skewed clock): write a to key 1 is
// acknowledged at 5 s on one side of a partition, write b invoked at 5.5 s
// and acknowledged at 6 s on the other; after the heal every replica keeps a
// (its timestamp is larger). a precedes b, so b is lost: count 1, listed
// with the line of its invoke. Had b been invoked at 4 s, a and b would be
// concurrent and b not lost (a may have been written after it).
//
// A missing write is in doubt rather than lost when a crashed replica keeps
// it: it is durable there, and blocked until that node recovers, not gone.
// Worked example (strong-2pc, coordinator crash): n1 coordinates x=5,
// commits, applies it and acknowledges the client, then crashes before its
// commit reaches n2 and n3, which hold x=5 prepared, in doubt. The live
// replicas show x's previous value, but n1 holds 5: "in_doubt" counts it,
// held_by ["n1"]; "count" does not. Had n1 restarted, it would have resent
// the commit and nothing would be missing. (A write whose only copies were
// on a node that restarts without them is lost: the tracker keeps a crashed
// node's values, as convergence.h says.)
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "analysis/metrics/convergence.h"
#include "analysis/metrics/key_writes.h"
#include "analysis/trace/trace_event.h"

namespace consim {

inline constexpr std::size_t kLostWritesListed = 100;

// One missing acknowledged write whose value is still known (in the window).
struct MissingWrite {
  std::uint64_t line;  // its invoke line
  std::uint32_t key;
  std::int64_t value;
  Time ack;
  std::vector<std::uint32_t> held_by;  // crashed nodes holding it (in doubt only)
};

// What lost_writes_json() reports, before it is listed (metrics read it:
// metric.h, MetricContext::lost_writes). `lost` and `in_doubt` hold every
// missing write still in the window, by line; the counts also include the
// older ones, whose values are no longer known.
struct LostWriteFindings {
  bool available = false;  // false: no apply lines
  std::uint64_t lost_count = 0, doubt_count = 0, keys_skipped = 0;
  bool lower_bound = false;
  std::vector<MissingWrite> lost, in_doubt;
};

LostWriteFindings find_lost_writes(const ReplicaTracker& replicas, const WriteTable& writes);

// {"available","count","lower_bound","listed":[{"line","key","value",
//  "ack_ms"}],"in_doubt":{"count","listed":[{...,"held_by":[node]}]},
//  "keys_skipped","converged_at_end","faults_active_at_end"}
nlohmann::json lost_writes_json(const LostWriteFindings& findings, const ReplicaTracker& replicas,
                                const TraceNames& names, bool faults_active_at_end);

}  // namespace consim
