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
//  - The engine is reached only through the narrow interfaces of
//    fault_kind.h (FaultPorts); the World is used only to build them.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "base/rng.h"
#include "sim/event_loop.h"
#include "sim/fault_kind.h"
#include "sim/scenario.h"

namespace consim {

struct World;
class TraceWriter;

// The scenario's faults followed by the nemesis's, in a fixed order.
std::vector<FaultSpec> expand_faults(const Scenario& scenario, Rng nemesis_rng);

// What the faults reach in the engine.
struct FaultPorts {
  NodeControl& nodes;
  FaultNetwork& network;
  TraceWriter& trace;
  const std::vector<std::string>& node_names;
};

class Faults : public EventSink {
 public:
  explicit Faults(World& world);
  ~Faults() override;

  void start();
  const std::vector<FaultSpec>& schedule() const { return faults_; }

  // EventSink: a = fault index, b = 0 for start, 1 for end.
  void on_event(std::uint32_t fault, std::uint64_t is_end) override;

 private:
  class Ports;
  class Context;
  void run_edge(std::uint32_t index, bool is_end);

  EventLoop& loop_;
  Time duration_;
  std::uint32_t sink_;
  Rng rng_;
  std::vector<FaultSpec> faults_;
  std::unique_ptr<Ports> ports_;
  std::unique_ptr<Context> context_;
};

}  // namespace consim
