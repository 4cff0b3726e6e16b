// Carries model messages between nodes over the topology: samples latency,
// loss and duplication, applies partitions, and traces every copy's fate.
//
// Invariants:
//  - A message's fate is decided at send time (loss, latency, duplicate)
//    and checked again on arrival: a copy that arrives while its pair is cut
//    meets the cut policy then (drop, or hold until a heal).
//  - Held copies are re-sent in the order they were held, at the first heal
//    after which their pair is reachable, with freshly sampled latency.
//  - Every draw comes from the "network" stream, in event order.
//  - A message whose type has a network.message_latency entry draws its
//    link's fate as any other, then one draw of the type's distribution per
//    copy (the first, then the duplicate if there is one), lost or not; the
//    draw replaces the route's latency or is added to it (MessageLatency).
//    Scenarios without entries draw exactly what they drew before.
//  - A node sending to itself gets the message as a zero-latency event
//    (never lost, never cut).
//  - A copy with no route meets the cut policy: reason "partition" when the
//    cuts alone leave no way, "no route" when only relays that are down
//    (shortest-path routing) stand in the way. A copy already on its way
//    keeps the route it was sent on.
//
// It may touch: the topology (reachability, transit sampling, and the
// relays that are up: liveness_changed), the loop (time, its CopyArrives
// events), the trace, its own "network" stream, and the nodes through
// MessageInbox.
#pragma once

#include <cstdint>
#include <deque>
#include <string_view>
#include <vector>

#include "base/rng.h"
#include "models/model.h"
#include "sim/event_loop.h"
#include "sim/ports.h"
#include "sim/scenario.h"
#include "sim/topology.h"

namespace consim {

class TraceWriter;

class Transport final : public MessageOutbox {
 public:
  Transport(EventLoop& loop, TraceWriter& trace, Topology& topology, CutPolicy cut_policy, Rng rng,
            MessageInbox& nodes);

  void send(NodeId from, NodeId to, PayloadPtr message) override;
  // The cuts changed (a partition started or healed): release held copies
  // whose pair is reachable again.
  void cuts_changed();
  // Extra loss per directed pair from faults ([from][to], empty: none),
  // drawn after the link's own fate, only for pairs with extra loss > 0.
  void set_extra_loss(std::vector<std::vector<double>> loss) { extra_loss_ = std::move(loss); }
  // Extra duplication per directed pair from faults, likewise: drawn only
  // for a copy that survived and is not already duplicated by its link.
  void set_extra_duplicate(std::vector<std::vector<double>> duplicate) {
    extra_duplicate_ = std::move(duplicate);
  }
  // A node went down (crashed, paused) or came back: under shortest-path
  // routing it relays again or no longer; reroute and release held copies.
  void liveness_changed(NodeId node, bool can_relay) override;

  // network.message_latency (sorted by type; empty: none).
  void set_message_latency(std::vector<MessageLatency> entries) {
    message_latency_ = std::move(entries);
  }

  std::uint64_t messages_sent() const { return next_msg_; }

  // The loop: a copy arrives.
  void copy_arrives(const events::CopyArrives& e);

 private:
  struct InFlight {
    std::uint64_t msg_id = 0;
    NodeId from = 0, to = 0;
    PayloadPtr message;
  };
  void launch(const InFlight& m, bool trace_duplicate);
  void apply_type_latency(std::string_view type, Transit& transit);
  void schedule_copy(const InFlight& m, Time latency);
  void meet_cut(InFlight m);
  std::uint32_t store(const InFlight& m);

  EventLoop& loop_;
  TraceWriter& trace_;
  Topology& topology_;
  CutPolicy cut_policy_;
  Rng rng_;
  MessageInbox& nodes_;
  std::uint64_t next_msg_ = 0;
  std::vector<InFlight> slab_;
  std::vector<std::uint32_t> free_;
  std::deque<InFlight> held_;
  std::vector<std::vector<double>> extra_loss_;
  std::vector<std::vector<double>> extra_duplicate_;
  std::vector<MessageLatency> message_latency_;
};

}  // namespace consim
