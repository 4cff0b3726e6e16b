// Resend-until-acknowledged queue with exponential backoff; see retry_queue.h.
#include "models/retry_queue.h"

#include <algorithm>

#include "models/model_support.h"

namespace consim {

RetryQueue::RetryQueue(Context& ctx, Time initial, Time max, std::uint8_t timer_kind)
    : ctx_(ctx), initial_(initial), max_(std::max(initial, max)), timer_kind_(timer_kind) {}

void RetryQueue::send(NodeId to, std::uint64_t id, PayloadPtr message) {
  acknowledged(to, id);  // a new message for the same (peer, id) replaces the old one
  std::uint64_t serial = next_serial_++;
  Entry& e = entries_[serial];
  e.to = to;
  e.id = id;
  e.message = std::move(message);
  e.next_delay = initial_;
  serial_of_[{id, to}] = serial;
  transmit(serial, e);
}

// Send once more and arm the timer for the next attempt.
void RetryQueue::transmit(std::uint64_t serial, Entry& e) {
  ctx_.send(e.to, e.message);
  e.timer = ctx_.set_timer(e.next_delay, timer_tag(timer_kind_, serial));
  e.next_delay = std::min(max_, e.next_delay * 2);
}

void RetryQueue::acknowledged(NodeId from, std::uint64_t id) {
  auto s = serial_of_.find({id, from});
  if (s == serial_of_.end()) return;
  auto e = entries_.find(s->second);
  if (e->second.timer) ctx_.cancel_timer(*e->second.timer);
  entries_.erase(e);
  serial_of_.erase(s);
}

bool RetryQueue::owns_timer(std::uint64_t tag) const { return timer_kind(tag) == timer_kind_; }

void RetryQueue::on_timer(std::uint64_t tag) {
  auto e = entries_.find(timer_id(tag));
  if (e == entries_.end()) return;  // acknowledged meanwhile
  e->second.timer.reset();
  e->second.resent = true;
  transmit(e->first, e->second);
}

void RetryQueue::heard_from(NodeId peer) {
  Time now = ctx_.now();
  auto [heard, first_time] = last_heard_.try_emplace(peer, now);
  Time silence = now - (first_time ? 0 : heard->second);
  heard->second = now;
  if (silence <= initial_) return;
  for (auto& [serial, e] : entries_) {
    if (e.to != peer || !e.resent) continue;
    if (e.timer) ctx_.cancel_timer(*e.timer);
    transmit(serial, e);
  }
}

bool RetryQueue::awaiting(std::uint64_t id) const {
  auto s = serial_of_.lower_bound({id, 0});
  return s != serial_of_.end() && s->first.first == id;
}

void RetryQueue::on_crash(bool durable) {
  last_heard_.clear();
  if (!durable) {
    entries_.clear();
    serial_of_.clear();
    return;
  }
  for (auto& [serial, e] : entries_) e.timer.reset();  // cancelled by the simulator
}

void RetryQueue::on_recover() {
  for (auto& [serial, e] : entries_) {
    e.next_delay = initial_;
    transmit(serial, e);
  }
}

}  // namespace consim
