// Everything one run is made of, and the wiring between the parts. Owned by
// the Simulator; lives exactly as long as one run.
//
// The parts never see the World: each gets only the ports it uses
// (sim/ports.h). The World implements the ports that need two parts
// (FaultNetwork: the topology's cuts, then the transport's held copies; the
// transport's extra loss),
// constructs the nodes with their links, and dispatches every event kind
// to the part that scheduled it (Router below; a new kind that is not
// routed does not compile).
#pragma once

#include <vector>

#include "base/rng.h"
#include "sim/clients.h"
#include "sim/event_loop.h"
#include "sim/faults.h"
#include "sim/nodes.h"
#include "sim/ports.h"
#include "sim/scenario.h"
#include "sim/topology.h"
#include "sim/trace_writer.h"
#include "sim/transport.h"

namespace consim {

class World final : public FaultNetwork {
 public:
  World(const Scenario& scenario, TraceWriter& trace,
        std::uint64_t same_instant_limit = EventLoop::kDefaultSameInstantLimit);
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  // Runs the loop to `end`; throws TimeStuck if time stops advancing.
  std::uint64_t run_until(Time end) {
    Router router{*this};
    return loop.run_until(end, router);
  }

  // FaultNetwork.
  void set_cuts(const CutMatrix& cuts) override;
  std::vector<std::vector<FaultNode>> sides() const override { return topology.sides(); }
  void set_extra_loss(const LossMatrix& loss) override { transport.set_extra_loss(loss); }
  void set_extra_duplicate(const LossMatrix& duplicate) override {
    transport.set_extra_duplicate(duplicate);
  }

  const Scenario& scenario;
  TraceWriter& trace;
  Rng root;
  EventLoop loop;
  Topology topology;
  NodeNames names;
  Nodes nodes;
  Transport transport;
  Clients clients;
  Faults faults;

 private:
  // Each event kind to its part.
  struct Router {
    World& w;
    void operator()(const events::CopyArrives& e) { w.transport.copy_arrives(e); }
    void operator()(const events::TimerFires& e) { w.nodes.timer_fires(e); }
    void operator()(const events::OperationStarts& e) { w.clients.operation_starts(e); }
    void operator()(const events::OperationTimesOut& e) { w.clients.operation_times_out(e); }
    void operator()(const events::ClientLinkArrives& e) { w.clients.link_arrives(e); }
    void operator()(const events::FaultBegins& e) { w.faults.begins(e); }
    void operator()(const events::FaultEnds& e) { w.faults.ends(e); }
  };
};

}  // namespace consim
