// The fault schedule: the scenario's faults plus the random faults a
// nemesis draws, applied at their times through the fault kinds' entries
// (fault_kind.h).
//
// Invariants:
//  - The schedule is fixed before the run starts: the nemesis draws its
//    faults from the "nemesis" stream up front, so a run's faults can be
//    listed from the seed alone. Faults that choose at random when they
//    begin (random partition shapes) draw from the "faults" stream.
//  - Active cuts and extra losses are kept by fault index; the network gets
//    the union of the active ones, so overlapping faults end independently.
//  - Each begin and end writes exactly one fault trace line; a kind that
//    writes none or two is a broken invariant (abort), never silent.
//
// It may touch: the loop (time, its FaultBegins/FaultEnds events), the
// trace, the nodes through NodeControl, the network's cuts and extra loss
// through FaultNetwork, the scenario and node names read-only, and its
// streams. The kinds reach the engine only through FaultContext
// (fault_kind.h), built from these.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "base/rng.h"
#include "sim/event_loop.h"
#include "sim/fault_kind.h"
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
  Faults(EventLoop& loop, TraceWriter& trace, NodeControl& nodes, FaultNetwork& network,
         const Scenario& scenario, const NodeNames& names, Rng rng, Rng nemesis_rng);
  ~Faults();

  void start();
  const std::vector<FaultSpec>& schedule() const { return faults_; }

  // The loop: a fault starts or ends.
  void begins(const events::FaultBegins& e) { run_edge(e.fault, false); }
  void ends(const events::FaultEnds& e) { run_edge(e.fault, true); }

 private:
  class Context;
  void run_edge(std::uint32_t index, bool is_end);

  EventLoop& loop_;
  Time duration_;
  Rng rng_;
  std::vector<FaultSpec> faults_;
  std::unique_ptr<Context> context_;
};

}  // namespace consim
