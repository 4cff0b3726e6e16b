// Message transport over the topology; see transport.h.
#include "sim/transport.h"

#include "sim/world.h"

namespace consim {

Transport::Transport(World& world)
    : world_(world), rng_(world.root.fork("network")), sink_(world.loop.add_sink(this)) {}

std::uint32_t Transport::store(const InFlight& m) {
  if (!free_.empty()) {
    std::uint32_t slot = free_.back();
    free_.pop_back();
    slab_[slot] = m;
    return slot;
  }
  slab_.push_back(m);
  return static_cast<std::uint32_t>(slab_.size() - 1);
}

void Transport::schedule_copy(const InFlight& m, Time latency) {
  world_.loop.schedule_after(latency, sink_, 0, store(m));
}

void Transport::send(NodeId from, NodeId to, PayloadPtr message) {
  InFlight m{++next_msg_, from, to, std::move(message)};
  auto& trace = world_.trace;
  if (trace.wants_network())
    trace.network(world_.loop.now(), "send", m.msg_id, from, to, m.message->type(),
                  m.message->size_bytes(), {});
  if (from == to) {
    schedule_copy(m, 0);
    return;
  }
  if (!world_.topology.reachable(from, to)) {
    meet_cut(std::move(m));
    return;
  }
  launch(m, true);
}

void Transport::launch(const InFlight& m, bool trace_duplicate) {
  Transit transit = world_.topology.sample_transit(m.from, m.to, rng_);
  if (!transit.lost && !extra_loss_.empty()) {
    const double p = extra_loss_[m.from][m.to];
    if (p > 0 && rng_.chance(p)) transit.lost = true;
  }
  auto& trace = world_.trace;
  Time now = world_.loop.now();
  if (transit.lost) {
    if (trace.wants_network())
      trace.network(now, "drop", m.msg_id, m.from, m.to, m.message->type(), 0, "loss");
    return;
  }
  schedule_copy(m, transit.latency);
  if (transit.duplicate_latency) {
    if (trace_duplicate && trace.wants_network())
      trace.network(now, "duplicate", m.msg_id, m.from, m.to, m.message->type(), 0, {});
    schedule_copy(m, *transit.duplicate_latency);
  }
}

void Transport::meet_cut(InFlight m) {
  auto& trace = world_.trace;
  Time now = world_.loop.now();
  if (world_.scenario.cut_policy == CutPolicy::Drop) {
    if (trace.wants_network()) {
      const char* reason = world_.topology.cut_off(m.from, m.to) ? "partition" : "no route";
      trace.network(now, "drop", m.msg_id, m.from, m.to, m.message->type(), 0, reason);
    }
    return;
  }
  if (trace.wants_network())
    trace.network(now, "hold", m.msg_id, m.from, m.to, m.message->type(), 0, {});
  held_.push_back(std::move(m));
}

void Transport::on_event(std::uint32_t, std::uint64_t slot_index) {
  auto slot = static_cast<std::uint32_t>(slot_index);
  InFlight m = std::move(slab_[slot]);
  slab_[slot].message.reset();
  free_.push_back(slot);
  if (m.from != m.to && !world_.topology.reachable(m.from, m.to)) {
    meet_cut(std::move(m));
    return;
  }
  world_.nodes[m.to]->deliver(m.from, std::move(m.message), m.msg_id);
}

void Transport::cuts_changed() {
  std::deque<InFlight> still_held;
  while (!held_.empty()) {
    InFlight m = std::move(held_.front());
    held_.pop_front();
    if (world_.topology.reachable(m.from, m.to))
      launch(m, true);
    else
      still_held.push_back(std::move(m));
  }
  held_ = std::move(still_held);
}

void Transport::liveness_changed(NodeId node, bool can_relay) {
  if (world_.topology.set_relay(node, can_relay)) cuts_changed();
}

}  // namespace consim
