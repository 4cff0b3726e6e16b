// Resend-until-acknowledged queue that probes an unreachable peer; see
// retry_queue.h.
#include "models/retry_queue.h"

#include <algorithm>

#include "models/model_support.h"

namespace consim {
namespace {

// Timer ids: an entry's serial, or kProbeFlag | peer for a peer's probe.
constexpr std::uint64_t kProbeFlag = std::uint64_t{1} << (kTimerIdBits - 1);

}  // namespace

RetryQueue::RetryQueue(Context& ctx, Time initial, Time max, std::uint8_t timer_kind)
    : ctx_(ctx), initial_(initial), max_(std::max(initial, max)), timer_kind_(timer_kind) {}

void RetryQueue::send(NodeId to, std::uint64_t id, PayloadPtr message) {
  // A new message for the same (peer, id) replaces the old one.
  if (auto s = serial_of_.find({id, to}); s != serial_of_.end()) erase(s->second);
  std::uint64_t serial = next_serial_++;
  Entry& e = entries_[serial];
  e.to = to;
  e.id = id;
  e.message = std::move(message);
  e.next_delay = initial_;
  serial_of_[{id, to}] = serial;
  Peer& p = peers_[to];
  p.serials.insert(serial);
  if (!p.probed) return transmit(serial, e);
  // Sent once, with no timer of its own: the probe and the backlog sent at
  // the answer cover it. Sending it keeps a talkative node talking, so its
  // peers hear no false silence and a heal is noticed at once.
  ctx_.send(to, e.message);
  if (!p.probe_timer) probe(to, p);
}

// Send once more and arm the entry's timer for the next attempt.
void RetryQueue::transmit(std::uint64_t serial, Entry& e) {
  ctx_.send(e.to, e.message);
  e.timer = ctx_.set_timer(e.next_delay, timer_tag(timer_kind_, serial));
  e.next_delay = std::min(max_, e.next_delay * 2);
}

void RetryQueue::erase(std::uint64_t serial) {
  auto e = entries_.find(serial);
  if (e->second.timer) ctx_.cancel_timer(*e->second.timer);
  serial_of_.erase({e->second.id, e->second.to});
  peers_[e->second.to].serials.erase(serial);
  entries_.erase(e);
}

void RetryQueue::acknowledged(NodeId from, std::uint64_t id) {
  if (auto s = serial_of_.find({id, from}); s != serial_of_.end()) erase(s->second);
  auto p = peers_.find(from);
  if (p != peers_.end() && p->second.probed) reconnected(p->second);
}

// The peer answered: it is reachable; send the backlog, oldest first.
void RetryQueue::reconnected(Peer& p) {
  p.probed = false;
  if (p.probe_timer) ctx_.cancel_timer(*p.probe_timer);
  p.probe_timer.reset();
  for (std::uint64_t serial : p.serials) {
    Entry& e = entries_.at(serial);
    e.next_delay = initial_;
    transmit(serial, e);
  }
}

bool RetryQueue::owns_timer(std::uint64_t tag) const { return timer_kind(tag) == timer_kind_; }

void RetryQueue::on_timer(std::uint64_t tag) {
  std::uint64_t id = timer_id(tag);
  if (id & kProbeFlag) {
    auto p = peers_.find(static_cast<NodeId>(id & ~kProbeFlag));
    if (p == peers_.end() || !p->second.probe_timer) return;
    p->second.probe_timer.reset();
    return probe(p->first, p->second);
  }
  auto e = entries_.find(id);
  if (e == entries_.end()) return;  // acknowledged meanwhile
  e->second.timer.reset();
  start_probing(e->second.to, e->second.next_delay);
}

// An entry went unacknowledged for its whole wait: stop every per-entry
// timer to `peer` and probe it instead, continuing that entry's backoff.
void RetryQueue::start_probing(NodeId peer, Time delay) {
  Peer& p = peers_[peer];
  p.probed = true;
  p.probe_delay = delay;
  for (std::uint64_t serial : p.serials) {
    Entry& e = entries_.at(serial);
    if (e.timer) ctx_.cancel_timer(*e.timer);
    e.timer.reset();
  }
  probe(peer, p);
}

// Resend the oldest entry to `peer` and arm the probe timer, backing off.
void RetryQueue::probe(NodeId peer, Peer& p) {
  if (p.probe_timer) ctx_.cancel_timer(*p.probe_timer);
  p.probe_timer.reset();
  if (p.serials.empty()) return;
  ctx_.send(peer, entries_.at(*p.serials.begin()).message);
  p.probe_timer = ctx_.set_timer(p.probe_delay, timer_tag(timer_kind_, kProbeFlag | peer));
  p.probe_delay = std::min(max_, p.probe_delay * 2);
}

void RetryQueue::heard_from(NodeId peer) {
  Time now = ctx_.now();
  Peer& p = peers_[peer];
  Time silence = now - p.last_heard.value_or(0);
  p.last_heard = now;
  if (p.probed && silence > initial_) probe(peer, p);
}

bool RetryQueue::awaiting(std::uint64_t id) const {
  auto s = serial_of_.lower_bound({id, 0});
  return s != serial_of_.end() && s->first.first == id;
}

void RetryQueue::on_crash(bool durable) {
  // Timers are cancelled by the simulator; what was heard and probed is
  // volatile.
  for (auto& [peer, p] : peers_) {
    p.probed = false;
    p.probe_timer.reset();
    p.last_heard.reset();
  }
  if (!durable) {
    entries_.clear();
    serial_of_.clear();
    peers_.clear();
    return;
  }
  for (auto& [serial, e] : entries_) e.timer.reset();
}

void RetryQueue::on_recover() {
  for (auto& [serial, e] : entries_) {
    e.next_delay = initial_;
    transmit(serial, e);
  }
}

}  // namespace consim
