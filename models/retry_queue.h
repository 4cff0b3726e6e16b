// A sender's queue of messages that must reach a peer: each is sent at once
// and re-sent until the peer acknowledges it, at a cost that grows linearly
// with the length of an outage.
//
// Used for replication (eventual-async, causal) and for 2PC decisions. An
// entry is named by (peer, id), the id chosen by the model (a write
// sequence number, a transaction number).
//
// Each peer is either reachable or probed, as a TCP connection or a
// replication stream treats it:
// - Reachable (the start): a new entry is sent at once and has its own
//   timer; `initial` after a send without an acknowledgement, the peer is
//   judged unreachable and probed.
// - Probed: every per-entry timer to the peer is cancelled; a new entry is
//   sent once, with no timer. One probe (the oldest entry to that peer) is
//   resent with exponential backoff: the first wait continues the backoff
//   of the entry whose timer fired (twice `initial`), each later one twice
//   as long, capped at `max`. The first acknowledgement from the peer (for
//   any entry) makes it reachable again: the whole backlog to it is sent at
//   once, oldest first, each entry with a fresh timer.
// So an outage of length T costs about T / max probes per peer plus two
// sends per entry made meanwhile (when made, and at the answer), instead
// of every entry resent on its own backoff (which grew with T times the
// entries made during T).
//
// Worked example (initial 50ms, max 200ms): n1 sends w1 to n2 at 0 and n2
// is cut off. At 50ms w1's timer fires: n2 is probed with w1 at 50ms,
// 150ms, 350ms, 550ms, ...; writes w2..w100 made meanwhile are sent once
// each as they are made. The cut heals, the probe at 550ms is acknowledged
// at 554ms and w2..w100 go out again at 554ms: 5 sends of w1 and 2 of each
// other write.
//
// A probed peer heard from after a silence longer than `initial` (any
// message from it: the link was probably down and is back) is probed at
// once rather than at its backed-off timer, so replication resumes within
// a round trip of a heal instead of after up to `max`. A peer that keeps
// talking triggers nothing, so a one-way cut (the peer is heard, cannot
// hear) costs no extra sends, and a causal replica that leaves a write
// unacknowledged while it waits for a dependency draws one probe on
// backoff, not a resend of every write behind it.
//
// Invariants: an acknowledged entry is never sent again; while the node is
// up, every entry to a reachable peer has exactly one live timer, no entry
// to a probed peer has one, and a probed peer with entries has exactly one
// live probe timer. After a crash the model says whether the queue survives (durable)
// or is lost, every peer counts as reachable again, and on_recover()
// resends everything still queued at once, backoff restarted.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "models/model.h"

namespace consim {

class RetryQueue {
 public:
  // Timers this queue sets carry timer_tag(timer_kind, ...).
  RetryQueue(Context& ctx, Time initial, Time max, std::uint8_t timer_kind);

  // Send `message` to `to` now and keep resending until acknowledged.
  void send(NodeId to, std::uint64_t id, PayloadPtr message);
  // `from` has acknowledged `id`: stop resending it there; a probed `from`
  // is reachable again. An unknown id still counts as an answer.
  void acknowledged(NodeId from, std::uint64_t id);

  // A message from `peer` arrived: probe it now if it was probed and silent.
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
  };
  struct Peer {
    std::set<std::uint64_t> serials;  // its entries, oldest first
    bool probed = false;
    Time probe_delay = 0;  // the wait after the next probe
    std::optional<TimerId> probe_timer;
    std::optional<Time> last_heard;
  };
  void transmit(std::uint64_t serial, Entry& entry);
  void start_probing(NodeId peer, Time delay);
  void probe(NodeId peer, Peer& p);
  void reconnected(Peer& p);
  void erase(std::uint64_t serial);

  Context& ctx_;
  Time initial_, max_;
  std::uint8_t timer_kind_;
  std::uint64_t next_serial_ = 1;
  std::map<std::uint64_t, Entry> entries_;                               // by serial: oldest first
  std::map<std::pair<std::uint64_t, NodeId>, std::uint64_t> serial_of_;  // (id, peer) -> serial
  std::map<NodeId, Peer> peers_;  // entries durable with the queue, the rest volatile
};

}  // namespace consim
