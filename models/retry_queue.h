// A sender's queue of messages that must reach a peer: each is sent at once
// and re-sent with exponential backoff until the peer acknowledges it.
//
// Used for replication (eventual-async, causal) and for 2PC decisions. An
// entry is named by (peer, id), the id chosen by the model (a write
// sequence number, a transaction number). Backoff: the first resend comes
// `initial` after the send, each later one waits twice as long, capped at
// `max`. Worked example with initial 50ms, max 200ms: sends at 0, 50ms,
// 150ms, 350ms, 550ms, ... until acknowledged(peer, id).
//
// A peer heard from after a silence longer than `initial` (the link was
// probably down) is owed no more waiting: heard_from(peer) then resends at
// once every entry to it that a timer has already had to resend, so
// replication resumes within a round trip of a heal instead of after up to
// `max`. A peer that keeps talking triggers nothing: an entry it leaves
// unacknowledged (a causal replica buffering a write) follows its timers
// alone, so this can never turn into a resend storm. The backoff is not
// restarted. Example (initial 50ms): n2 silent from 1s to 8s, heard at 8s:
// every entry to n2 resent since 1s goes out at 8s.
//
// Invariants: an acknowledged entry is never sent again; every entry has
// exactly one live timer while the node is up; after a crash the model says
// whether the queue survives (durable) or is lost, and on_recover() resends
// everything still queued at once, backoff restarted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <utility>

#include "models/model.h"

namespace consim {

class RetryQueue {
 public:
  // Timers this queue sets carry timer_tag(timer_kind, serial).
  RetryQueue(Context& ctx, Time initial, Time max, std::uint8_t timer_kind);

  // Send `message` to `to` now and keep resending until acknowledged.
  void send(NodeId to, std::uint64_t id, PayloadPtr message);
  // `from` has acknowledged `id`: stop resending it there. Unknown: ignored.
  void acknowledged(NodeId from, std::uint64_t id);

  // A message from `peer` arrived: resend now what is overdue there.
  void heard_from(NodeId peer);

  bool owns_timer(std::uint64_t tag) const;
  void on_timer(std::uint64_t tag);

  // Some peer still owes an acknowledgement for `id`.
  bool awaiting(std::uint64_t id) const;
  std::size_t size() const { return entries_.size(); }

  // The simulator has cancelled this node's timers; keep the entries only
  // if the model declares the queue durable.
  void on_crash(bool durable);
  // Resend every queued entry now, oldest first, with backoff restarted.
  void on_recover();

 private:
  struct Entry {
    NodeId to = 0;
    std::uint64_t id = 0;
    PayloadPtr message;
    Time next_delay = 0;
    std::optional<TimerId> timer;
    bool resent = false;  // a timer has fired for it: the peer did not answer in time
  };
  void transmit(std::uint64_t serial, Entry& entry);

  Context& ctx_;
  Time initial_, max_;
  std::uint8_t timer_kind_;
  std::uint64_t next_serial_ = 1;
  std::map<std::uint64_t, Entry> entries_;                               // by serial: oldest first
  std::map<std::pair<std::uint64_t, NodeId>, std::uint64_t> serial_of_;  // (id, peer) -> serial
  std::map<NodeId, Time> last_heard_;  // volatile: forgotten at a crash
};

}  // namespace consim
