// Message transport over the topology; see transport.h.
#include "sim/transport.h"

#include "sim/trace_writer.h"

namespace consim {

Transport::Transport(EventLoop& loop, TraceWriter& trace, Topology& topology, CutPolicy cut_policy,
                     Rng rng, MessageInbox& nodes)
    : loop_(loop),
      trace_(trace),
      topology_(topology),
      cut_policy_(cut_policy),
      rng_(rng),
      nodes_(nodes) {}

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
  loop_.schedule_after(latency, events::CopyArrives{store(m)});
}

void Transport::send(NodeId from, NodeId to, PayloadPtr message) {
  InFlight m{++next_msg_, from, to, std::move(message)};
  if (trace_.wants_network())
    trace_.network(loop_.now(), "send", m.msg_id, from, to, m.message->type(),
                   m.message->size_bytes(), {}, m.message->trace_vv(), m.message->trace_dots());
  if (from == to) {
    schedule_copy(m, 0);
    return;
  }
  if (!topology_.reachable(from, to)) {
    meet_cut(std::move(m));
    return;
  }
  launch(m, true);
}

void Transport::launch(const InFlight& m, bool trace_duplicate) {
  Transit transit = topology_.sample_transit(m.from, m.to, rng_);
  if (!transit.lost && !extra_loss_.empty()) {
    const double p = extra_loss_[m.from][m.to];
    if (p > 0 && rng_.chance(p)) transit.lost = true;
  }
  if (!transit.lost && !transit.duplicate_latency && !extra_duplicate_.empty()) {
    const double p = extra_duplicate_[m.from][m.to];
    if (p > 0 && rng_.chance(p))
      transit.duplicate_latency = topology_.sample_transit(m.from, m.to, rng_).latency;
  }
  if (!message_latency_.empty()) apply_type_latency(m.message->type(), transit);
  Time now = loop_.now();
  if (transit.lost) {
    if (trace_.wants_network())
      trace_.network(now, "drop", m.msg_id, m.from, m.to, m.message->type(), 0, "loss");
    return;
  }
  schedule_copy(m, transit.latency);
  if (transit.duplicate_latency) {
    if (trace_duplicate && trace_.wants_network())
      trace_.network(now, "duplicate", m.msg_id, m.from, m.to, m.message->type(), 0, {});
    schedule_copy(m, *transit.duplicate_latency);
  }
}

void Transport::apply_type_latency(std::string_view type, Transit& transit) {
  for (const MessageLatency& entry : message_latency_) {
    if (entry.type != type) continue;
    const bool add = entry.mode == MessageLatency::Mode::Add;
    const Time first = entry.latency.sample_time(rng_);
    transit.latency = add ? transit.latency + first : first;
    if (transit.duplicate_latency) {
      const Time second = entry.latency.sample_time(rng_);
      transit.duplicate_latency = add ? *transit.duplicate_latency + second : second;
    }
    return;
  }
}

void Transport::meet_cut(InFlight m) {
  Time now = loop_.now();
  if (cut_policy_ == CutPolicy::Drop) {
    if (trace_.wants_network()) {
      const char* reason = topology_.cut_off(m.from, m.to) ? "partition" : "no route";
      trace_.network(now, "drop", m.msg_id, m.from, m.to, m.message->type(), 0, reason);
    }
    return;
  }
  if (trace_.wants_network())
    trace_.network(now, "hold", m.msg_id, m.from, m.to, m.message->type(), 0, {});
  held_.push_back(std::move(m));
}

void Transport::copy_arrives(const events::CopyArrives& e) {
  const std::uint32_t slot = e.slot;
  InFlight m = std::move(slab_[slot]);
  slab_[slot].message.reset();
  free_.push_back(slot);
  if (m.from != m.to && !topology_.reachable(m.from, m.to)) {
    meet_cut(std::move(m));
    return;
  }
  nodes_.deliver(m.to, m.from, std::move(m.message), m.msg_id);
}

void Transport::cuts_changed() {
  std::deque<InFlight> still_held;
  while (!held_.empty()) {
    InFlight m = std::move(held_.front());
    held_.pop_front();
    if (topology_.reachable(m.from, m.to))
      launch(m, true);
    else
      still_held.push_back(std::move(m));
  }
  held_ = std::move(still_held);
}

void Transport::liveness_changed(NodeId node, bool can_relay) {
  if (topology_.set_relay(node, can_relay)) cuts_changed();
}

}  // namespace consim
