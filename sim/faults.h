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
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "sim/event_loop.h"
#include "base/rng.h"
#include "sim/scenario.h"
#include "sim/topology.h"

namespace consim {

struct World;

// The scenario's faults followed by the nemesis's, in a fixed order.
std::vector<FaultSpec> expand_faults(const Scenario& scenario, Rng nemesis_rng);

class Faults : public EventSink {
 public:
  explicit Faults(World& world);

  void start();
  const std::vector<FaultSpec>& schedule() const { return faults_; }

  // EventSink: a = fault index, b = 0 for start, 1 for end.
  void on_event(std::uint32_t fault, std::uint64_t is_end) override;

 private:
  void begin(std::uint32_t index);
  void end(std::uint32_t index);
  void install_cuts();

  World& world_;
  std::uint32_t sink_;
  Rng rng_;
  std::vector<FaultSpec> faults_;
  std::map<std::uint32_t, BlockMatrix> active_partitions_;
};

}  // namespace consim
