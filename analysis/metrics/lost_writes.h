// Lost acknowledged writes: writes that got an `ok` but are not readable at
// the end of the run.
//
// A write w of key k is lost when, at the end of the run, every live replica
// of k holds a write acknowledged before w (in acknowledgement order) or
// null. A key whose newest live value comes from a write that was never
// acknowledged is skipped (its order against w is unknown); so is a key with
// no live replica. The figure is only final when the run ends with no fault
// active and the replicas converged: both are reported beside it.
// Worked example (last-writer-wins with a skewed clock): write a to key 1 is
// acknowledged at 5 s on one side of a partition, write b at 6 s on the
// other; after the heal every replica keeps a (its timestamp is larger).
// b was acknowledged after a, so b is lost: count 1, listed with the line of
// its invoke.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "analysis/metrics/convergence.h"
#include "analysis/metrics/key_writes.h"
#include "analysis/trace/trace_event.h"

namespace consim {

inline constexpr std::size_t kLostWritesListed = 100;

// {"available","count","lower_bound","listed":[{"line","key","value",
//  "ack_ms"}],"keys_skipped","converged_at_end","faults_active_at_end"}
nlohmann::json lost_writes_json(const ReplicaTracker& replicas, const WriteTable& writes,
                                const TraceNames& names, bool faults_active_at_end);

}  // namespace consim
