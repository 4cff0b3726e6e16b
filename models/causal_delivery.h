// Causal delivery: the part of the causal store that both of its replicas
// share (causal.cc for registers, causal_crdt.cc for sets and counters). It
// owns the applied vector, the buffer of remote writes waiting for their
// dependencies, the requests waiting for their session, and the retry queue
// of this node's own writes; the replica keeps its data and says how a
// write is applied and how a request is served.
//
//   on replicate(w): if w is the next write of its origin and every dep is
//     applied here, apply it and acknowledge, then release any buffered
//     write that has become applicable and serve every waiting request
//     whose session is now covered; otherwise buffer it (noted "buffered"
//     and, later, "released"); acknowledge only once applied
//   on request with session S: serve it if S is applied here, else wait
//     (noted "session-wait") until it is, at most session_wait_timeout,
//     then fail naming what is missing
//
// Invariants: applied[o] = k means o's writes 1..k, and transitively all
// their dependencies, are applied here (writes are applied in origin
// order); a write is acknowledged only once applied; waiting requests are
// served in arrival order. Durable: applied and the retry queue (a write
// lost from it would leave a gap in its origin's sequence). Volatile: the
// buffer (senders resend until acknowledged) and the waiting requests.
//
// CausalDelivery<Owner, Write> (DeliveringReplica below wires it to the
// Replica interface) calls, without virtual dispatch,
//   owner.apply(const Write&)                  after applied[w.origin] = w.seq
//   owner.serve(const Request&, VectorClock)   with the request's session
// and Write has origin, seq, key, deps and wire_bytes() (its fields' bytes
// on the wire, without the envelope). The non-template half is in
// causal_delivery.cc.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/model.h"
#include "models/model_support.h"
#include "models/retry_queue.h"

namespace consim::causal {

// [origin] = how many of that origin's writes are covered.
using VectorClock = std::vector<std::uint64_t>;

bool covers(const VectorClock& have, const VectorClock& need);

template <class Write>
struct Replicate : Payload {
  Write write;
  std::string_view type() const override { return "replicate"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + write.wire_bytes(); }
};

struct ReplicateAck : Payload {
  NodeId origin = 0;
  std::uint64_t seq = 0;
  std::string_view type() const override { return "replicate-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 4 + 8; }
};

// The client's causal context: what it has seen or written.
struct Session : Payload {
  VectorClock seen;
  std::string_view type() const override { return "session"; }
  std::size_t size_bytes() const override { return 8 * seen.size(); }
};

struct DeliveryConfig {
  Time session_wait_timeout = 0;
  Time retry_initial = 0;
  Time retry_max = 0;
  std::string_view noun;  // "write" or "update", for notes
};

// What does not depend on the write type: the applied vector, sessions,
// waiting requests, acknowledgements and the retry queue.
class DeliveryCore {
 public:
  const VectorClock& applied() const { return applied_; }
  // Counts a new write of this node as applied and returns its seq; the
  // caller applies it to its data.
  std::uint64_t next_own_seq() { return ++applied_[ctx_.self()]; }
  static PayloadPtr session_token(VectorClock seen);

  void on_timer(std::uint64_t tag);
  void on_recover() { outbox_.on_recover(); }

 protected:
  struct Waiting {
    Request request;
    VectorClock need;
    TimerId timer = 0;
  };

  DeliveryCore(Context& ctx, const DeliveryConfig& config);

  VectorClock session_of(const Request& request) const;
  // Parks a request until `need` is applied here (or the wait times out).
  void wait(const Request& request, VectorClock need);
  void on_ack(NodeId from, const ReplicateAck& ack);
  void acknowledge(NodeId origin, std::uint64_t seq);
  void send_to_peers(std::uint64_t seq, const PayloadPtr& message);
  void crash_volatile();
  // "n1.3, n2.1": for each origin, the latest needed write not applied here.
  std::string missing(const VectorClock& need) const;
  // "write n2.5 key 3".
  std::string describe(NodeId origin, std::uint64_t seq, Key key) const;

  Context& ctx_;
  const DeliveryConfig config_;
  VectorClock applied_;                       // durable
  RetryQueue outbox_;                         // durable
  std::map<std::uint64_t, Waiting> waiting_;  // volatile
  std::uint64_t next_wait_id_ = 1;

 private:
  void session_wait_expired(std::uint64_t id);
};

template <class Owner, class Write>
class CausalDelivery : public DeliveryCore {
 public:
  CausalDelivery(Owner& owner, Context& ctx, const DeliveryConfig& config)
      : DeliveryCore(ctx, config), owner_(owner) {}

  void on_request(const Request& request) {
    VectorClock need = session_of(request);
    if (covers(applied_, need)) return owner_.serve(request, std::move(need));
    wait(request, std::move(need));
  }

  void on_message(NodeId from, const Payload& message) {
    if (auto* r = payload_as<Replicate<Write>>(message)) {
      receive(r->write);
    } else if (auto* a = payload_as<ReplicateAck>(message)) {
      on_ack(from, *a);
    }
    outbox_.heard_from(from);  // the link works again: resend what is overdue
  }

  void on_crash() {
    buffered_.clear();
    crash_volatile();
  }

  // Sends a write of this node (already applied here) to every peer, resent
  // until acknowledged.
  void replicate(Write w) {
    auto msg = std::make_shared<Replicate<Write>>();
    msg->write = std::move(w);
    send_to_peers(msg->write.seq, msg);
  }

 private:
  struct Buffered {
    Write write;
    Time since = 0;
  };

  void receive(const Write& w) {
    if (applied_[w.origin] >= w.seq) return acknowledge(w.origin, w.seq);  // a duplicate
    if (!applicable(w)) {
      if (buffered_.contains({w.origin, w.seq})) return;
      buffered_[{w.origin, w.seq}] = {w, ctx_.now()};
      ctx_.note("buffered",
                describe(w.origin, w.seq, w.key) + " waits for " + missing(dependencies(w)));
      return;
    }
    apply(w);
    release_buffered();
    serve_ready_requests();
  }

  void apply(const Write& w) {
    applied_[w.origin] = w.seq;
    owner_.apply(w);
    acknowledge(w.origin, w.seq);
  }

  // Apply every buffered write that has become applicable, until none is.
  // Only the next write of each origin can be applicable, so each pass looks
  // up one entry per origin (never scanning the whole buffer, which grows
  // large behind a gap during a partition); passes repeat while any origin
  // advanced, since one origin's write may be another's dependency.
  void release_buffered() {
    bool progress = true;
    while (progress) {
      progress = false;
      for (NodeId origin = 0; origin < applied_.size(); ++origin) {
        for (auto it = buffered_.find({origin, applied_[origin] + 1});
             it != buffered_.end() && applicable(it->second.write);
             it = buffered_.find({origin, applied_[origin] + 1})) {
          Buffered b = std::move(it->second);
          buffered_.erase(it);
          Time lasted = ctx_.now() - b.since;
          ctx_.note("released",
                    describe(b.write.origin, b.write.seq, b.write.key) + " after " +
                        format_duration(lasted) + " buffered",
                    lasted);
          apply(b.write);
          progress = true;
        }
      }
    }
  }

  // The next write of its origin, with every dependency applied here.
  bool applicable(const Write& w) const {
    return applied_[w.origin] + 1 == w.seq && covers(applied_, w.deps);
  }

  // Everything `w` needs: its deps and its origin's earlier writes.
  VectorClock dependencies(const Write& w) const {
    VectorClock need = w.deps;
    need[w.origin] = std::max(need[w.origin], w.seq - 1);
    return need;
  }

  void serve_ready_requests() {
    for (auto it = waiting_.begin(); it != waiting_.end();) {
      if (!covers(applied_, it->second.need)) {
        ++it;
        continue;
      }
      Waiting w = std::move(it->second);
      it = waiting_.erase(it);
      ctx_.cancel_timer(w.timer);
      owner_.serve(w.request, std::move(w.need));
    }
  }

  Owner& owner_;
  std::map<std::pair<NodeId, std::uint64_t>, Buffered> buffered_;  // volatile
};

// A replica whose every event goes to its causal delivery: the register
// and the CRDT replica derive from it and keep only their data, serve()
// and apply().
template <class Owner, class Write>
class DeliveringReplica : public Replica {
 public:
  void on_request(const Request& request) final { delivery_.on_request(request); }
  void on_message(NodeId from, const Payload& message) final {
    delivery_.on_message(from, message);
  }
  void on_timer(std::uint64_t tag) final { delivery_.on_timer(tag); }
  void on_crash() final { delivery_.on_crash(); }
  void on_recover() final { delivery_.on_recover(); }

 protected:
  using Delivery = CausalDelivery<Owner, Write>;

  // `owner` is the derived replica, not yet constructed: the delivery only
  // keeps the reference until the first event.
  DeliveringReplica(Owner& owner, Context& ctx, const DeliveryConfig& config)
      : delivery_(owner, ctx, config) {}

  Delivery delivery_;
};

}  // namespace consim::causal
