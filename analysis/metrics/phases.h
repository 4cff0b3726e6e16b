// Splits a run into phases at every fault start and end.
//
// Every fault line has one shape (docs/trace-format.md): a fault starts at
// its "edge":"begin" line and ends at its "edge":"end" line, whatever its
// kind; a fault with no end line lasts to the end of the run. A begin line
// of an active fault, or an end line naming no active fault, changes
// nothing. A begin line with "sides" records a partition (its sides).
//
// A fault of a kind that never ends (kStateKind, "clock": an offset or a
// drift stays in effect to the end of the run) is a *state*, not a phase
// boundary: it starts no phase and is not named in any, so a nemesis that
// skews three clocks does not multiply every later phase by three
// ("during nemesis 2 (clock) + ..."). is_state() and states() say which
// faults are states and since when. Worked example: clock skew S at 3 s,
// partition A at 5 s, heal A at 9 s: before [0, 5 s), during A [5, 9),
// after A [9 s, end), with S a state from 3 s.
//
// Naming, with overlapping faults nesting by their start order:
//   "before"                   no fault has started yet;
//   "during A" / "during A + B" the active faults, in the order they started;
//   "during A + B + 2 more"    more than two active: the first two, counted;
//   "after B"                  no fault active, B the last one to end.
// Worked example: partition A at 5 s, crash B at 7 s, heal A at 9 s, restart
// B at 11 s gives: before [0, 5 s), during A [5, 7), during A + B [7, 9),
// during B [9, 11), after B [11 s, end). A name that recurs gets " (2)",
// " (3)", ... from its second occurrence on (unique_names()).
//
// Invariants: phases are contiguous and in time order; an event belongs to
// the phase current when its line is read, so a boundary and an operation at
// the same instant are ordered by trace position. A phase that would last
// zero time and saw nothing (mark_used() never called) is renamed in place
// rather than kept, so simultaneous faults give one phase, not several.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/trace/trace_event.h"
#include "base/time.h"

namespace consim {

// One partition fault, with its sides as the `partition` line gave them.
struct PartitionRecord {
  std::uint32_t fault = kNone;
  std::uint64_t line = 0;
  Time start = 0;
  std::optional<Time> end;                        // none: still active at the end of the run
  std::vector<std::vector<std::uint32_t>> sides;  // node ids
};

struct Phase {
  std::string name;  // before unique_names(): may repeat
  Time start = 0;
  Time end = 0;                         // set when the next phase starts, or by finish()
  std::vector<std::uint32_t> faults;    // active fault ids, in start order
  std::vector<std::size_t> partitions;  // indices into partitions(), active
  bool any_fault() const { return !faults.empty(); }
  bool partitioned() const { return !partitions.empty(); }
};

class PhaseTracker {
 public:
  PhaseTracker();

  // Handles a fault line; returns true when the current phase changed (a new
  // phase began, or the current one was renamed in place).
  bool on_fault(const TraceEvent& event, const TraceNames& names);
  // Something (an operation, a message) was attributed to the current phase.
  void mark_used() { used_ = true; }

  std::size_t current() const { return phases_.size() - 1; }
  const std::vector<Phase>& phases() const { return phases_; }
  const std::vector<PartitionRecord>& partitions() const { return partitions_; }
  // Closes the last phase at `end`.
  void finish(Time end);
  // Phase names made unique: "during A", ..., "during A (2)".
  std::vector<std::string> unique_names() const;
  // Faults that are states (see above), with the time each began, in order.
  struct State {
    std::uint32_t fault;
    Time start;
  };
  const std::vector<State>& states() const { return states_; }
  bool is_state(std::uint32_t fault) const;
  // The fault kind whose faults are states: it has no end line.
  static constexpr const char* kStateKind = "clock";

 private:
  struct ActiveFault {
    std::uint32_t fault;
    std::optional<std::size_t> partition;  // index into partitions_
  };
  bool start_fault(const TraceEvent& event, const TraceNames& names);
  bool end_fault(const TraceEvent& event, const TraceNames& names);
  void begin_phase(Time now, std::string name);
  std::string during_name(const TraceNames& names) const;
  bool is_active(std::uint32_t fault) const;

  std::vector<Phase> phases_;
  std::vector<PartitionRecord> partitions_;
  std::vector<ActiveFault> active_;
  std::vector<State> states_;
  bool used_ = false;
};

// True for fault lines.
inline bool is_fault_event(EventType type) { return type == EventType::Fault; }

}  // namespace consim
