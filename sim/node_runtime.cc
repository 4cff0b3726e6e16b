// A node's liveness, clock and timers around its replica; see node_runtime.h.
#include "sim/node_runtime.h"

#include <cmath>

#include "sim/trace_writer.h"

namespace consim {

NodeRuntime::NodeRuntime(const Links& links, NodeId id, Rng rng, Time clock_offset,
                         double drift_ppm)
    : links_(links), id_(id), rng_(rng), base_local_(clock_offset), drift_ppm_(drift_ppm) {}

void NodeRuntime::start(std::unique_ptr<Replica> replica) { replica_ = std::move(replica); }

std::size_t NodeRuntime::node_count() const { return links_.names.size(); }

std::string_view NodeRuntime::node_name(NodeId id) const { return links_.names.name(id); }

Time NodeRuntime::now() const { return links_.loop.now(); }

Time NodeRuntime::local_clock() const {
  Time elapsed = now() - base_true_;
  double drift = static_cast<double>(elapsed) * drift_ppm_ / 1e6;
  return base_local_ + elapsed + static_cast<Time>(std::llround(drift));
}

Time NodeRuntime::clock_offset() const { return local_clock() - now(); }

void NodeRuntime::set_clock(std::optional<Time> offset, std::optional<double> drift_ppm) {
  Time local = offset ? now() + *offset : local_clock();
  base_true_ = now();
  base_local_ = local;
  if (drift_ppm) drift_ppm_ = *drift_ppm;
}

void NodeRuntime::deliver(NodeId from, PayloadPtr message, std::uint64_t msg_id) {
  auto& trace = links_.trace;
  if (!up_) {
    if (trace.wants_network())
      trace.network(now(), "drop", msg_id, from, id_, message->type(), 0, "crashed");
    return;
  }
  if (paused_) {
    deferred_.push_back(DeferredMessage{from, std::move(message), msg_id});
    return;
  }
  run_message(DeferredMessage{from, std::move(message), msg_id});
}

void NodeRuntime::run_message(const DeferredMessage& m) {
  if (links_.trace.wants_network())
    links_.trace.network(now(), "deliver", m.msg_id, m.from, id_, m.message->type(), 0, {});
  replica_->on_message(m.from, *m.message);
}

void NodeRuntime::request(const Request& req) {
  if (!up_) {
    note("request-lost", "node is down; op " + std::to_string(req.op_id));
    return;
  }
  if (paused_) {
    deferred_.push_back(req);
    return;
  }
  replica_->on_request(req);
}

void NodeRuntime::crash() {
  if (!up_) return;
  up_ = false;
  paused_ = false;
  deferred_.clear();
  for (std::uint32_t slot = 0; slot < timers_.size(); ++slot)
    if (timers_[slot].armed) cancel_timer((TimerId{timers_[slot].generation} << 32) | slot);
  replica_->on_crash();
  links_.outbox.liveness_changed(id_, false);
}

void NodeRuntime::restart() {
  if (up_) return;
  up_ = true;
  links_.outbox.liveness_changed(id_, true);
  replica_->on_recover();
}

void NodeRuntime::pause() {
  if (!up_) return;
  paused_ = true;
  links_.outbox.liveness_changed(id_, false);
}

void NodeRuntime::resume() {
  if (!paused_) return;
  paused_ = false;
  links_.outbox.liveness_changed(id_, true);
  while (!deferred_.empty() && up_ && !paused_) {
    Deferred d = std::move(deferred_.front());
    deferred_.pop_front();
    if (auto* m = std::get_if<DeferredMessage>(&d))
      run_message(*m);
    else if (auto* t = std::get_if<DeferredTimer>(&d))
      replica_->on_timer(t->tag);
    else
      replica_->on_request(std::get<Request>(d));
  }
}

void NodeRuntime::send(NodeId to, PayloadPtr message) {
  links_.outbox.send(id_, to, std::move(message));
}

TimerId NodeRuntime::set_timer(Time delay, std::uint64_t tag) {
  std::uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(timers_.size());
    timers_.emplace_back();
  }
  TimerSlot& t = timers_[slot];
  t.armed = true;
  t.tag = tag;
  links_.loop.schedule_after(delay < 0 ? 0 : delay, events::TimerFires{id_, slot, t.generation});
  return (TimerId{t.generation} << 32) | slot;
}

void NodeRuntime::free_slot(std::uint32_t slot) {
  timers_[slot].armed = false;
  ++timers_[slot].generation;
  free_slots_.push_back(slot);
}

void NodeRuntime::cancel_timer(TimerId id) {
  auto slot = static_cast<std::uint32_t>(id & 0xffffffffu);
  if (slot < timers_.size() && timers_[slot].armed && timers_[slot].generation == (id >> 32))
    free_slot(slot);
}

void NodeRuntime::timer_fires(const events::TimerFires& e) {
  TimerSlot& t = timers_[e.slot];
  if (!t.armed || t.generation != e.generation) return;  // cancelled
  std::uint64_t tag = t.tag;
  free_slot(e.slot);
  if (!up_) return;
  if (paused_) {
    deferred_.push_back(DeferredTimer{tag});
    return;
  }
  replica_->on_timer(tag);
}

void NodeRuntime::reply(const Request& request, Reply reply) {
  links_.replies.on_reply(id_, request, std::move(reply));
}

void NodeRuntime::applied(Key key, std::optional<Value> value) {
  links_.trace.apply(now(), id_, key, value);
}

void NodeRuntime::applied_versions(Key key, const std::vector<Value>& values,
                                   const VersionVector* vv, const DotSet* dots) {
  links_.trace.apply_versions(now(), id_, key, values, vv, dots);
}

void NodeRuntime::note(std::string_view what, std::string_view detail, std::optional<Time> lasted) {
  links_.trace.note(now(), id_, what, detail, lasted);
}

void NodeRuntime::role(std::string_view role, std::uint64_t term) {
  links_.trace.role(now(), id_, role, term);
}

}  // namespace consim
