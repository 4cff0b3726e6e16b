// The fault schedule: partitions, crashes, pauses and clock changes from the
// scenario, plus the random faults a nemesis draws, applied at their times.
//
// Invariants:
//  - The schedule is fixed before the run starts: the nemesis draws its
//    faults from the "nemesis" stream up front, so a run's faults can be
//    listed from the seed alone. Random partition shapes pick nodes from the
//    "faults" stream.
//  - Active partitions are kept by fault index; the topology's cuts are
//    always the union of the active ones, so overlapping partitions heal
//    independently.
//  - Each start and end is traced (partition with its sides and cuts, heal,
//    crash, restart, pause, resume, clock).
//
// It may touch: the loop (time, its FaultBegins/FaultEnds events), the
// trace, the nodes through NodeControl, the network's cuts through
// CutControl, the scenario and node names read-only, and its streams.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "base/rng.h"
#include "sim/event_loop.h"
#include "sim/ports.h"
#include "sim/scenario.h"

namespace consim {

class TraceWriter;

// The scenario's faults followed by the nemesis's, in a fixed order.
std::vector<FaultSpec> expand_faults(const Scenario& scenario, Rng nemesis_rng);

class Faults {
 public:
  // rng: the "faults" stream (random partition shapes); nemesis_rng: the
  // "nemesis" stream (the schedule's random faults).
  Faults(EventLoop& loop, TraceWriter& trace, NodeControl& nodes, CutControl& cuts,
         const Scenario& scenario, const NodeNames& names, Rng rng, Rng nemesis_rng);

  void start();
  const std::vector<FaultSpec>& schedule() const { return faults_; }

  // The loop: a fault starts or ends.
  void begins(const events::FaultBegins& e) { begin(e.fault); }
  void ends(const events::FaultEnds& e) { end(e.fault); }

 private:
  void begin(std::uint32_t index);
  void end(std::uint32_t index);
  void install_cuts();

  EventLoop& loop_;
  TraceWriter& trace_;
  NodeControl& nodes_;
  CutControl& cuts_;
  const Scenario& scenario_;
  const NodeNames& names_;
  Rng rng_;
  std::vector<FaultSpec> faults_;
  std::map<std::uint32_t, BlockMatrix> active_partitions_;
};

}  // namespace consim
