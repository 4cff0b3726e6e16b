// One simulated node: its replica, its local clock, its liveness (up,
// crashed, paused) and its timers. It implements the model's Context.
//
// Invariants:
//  - A crashed node runs nothing: inbound messages are dropped ("crashed"),
//    requests are lost (the client times out), its timers are cancelled
//    (each timer carries the node's epoch, bumped on crash).
//  - A paused node keeps its state but runs nothing until resumed; what
//    arrives meanwhile (messages, timers, requests) is kept in arrival order
//    and run at resume time.
//  - The local clock is true time plus an offset plus drift accumulated
//    since the last clock change: local(t) = base_local + (t - base_true) *
//    (1 + drift_ppm / 1e6), rounded to whole nanoseconds.
//
// It may touch only what Links names: the loop (time, its timer events),
// the trace, the transport (MessageOutbox), the clients (ReplyInbox) and the
// node names.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "models/model.h"
#include "sim/event_loop.h"
#include "sim/ports.h"

namespace consim {

class TraceWriter;

class NodeRuntime final : public Context {
 public:
  struct Links {
    EventLoop& loop;
    TraceWriter& trace;
    MessageOutbox& outbox;
    ReplyInbox& replies;
    const NodeNames& names;
  };
  NodeRuntime(const Links& links, NodeId id, Rng rng, Time clock_offset, double drift_ppm);

  void start(std::unique_ptr<Replica> replica);

  // Entry points from the transport, the clients and the faults.
  void deliver(NodeId from, PayloadPtr message, std::uint64_t msg_id);
  void request(const Request& req);
  void crash();
  void restart();
  void pause();
  void resume();
  void set_clock(std::optional<Time> offset, std::optional<double> drift_ppm);

  bool up() const { return up_; }
  bool paused() const { return paused_; }
  Time clock_offset() const;  // local_clock() - now()
  double drift_ppm() const { return drift_ppm_; }

  // Context.
  NodeId self() const override { return id_; }
  std::size_t node_count() const override;
  std::string_view node_name(NodeId id) const override;
  Time now() const override;
  Time local_clock() const override;
  void send(NodeId to, PayloadPtr message) override;
  TimerId set_timer(Time delay, std::uint64_t tag) override;
  void cancel_timer(TimerId id) override;
  void reply(const Request& request, Reply reply) override;
  Rng& rng() override { return rng_; }
  void applied(Key key, std::optional<Value> value) override;
  void applied_versions(Key key, const std::vector<Value>& values, const VersionVector* vv,
                        const DotSet* dots) override;
  void note(std::string_view what, std::string_view detail,
            std::optional<Time> lasted = std::nullopt) override;
  void role(std::string_view role, std::uint64_t term) override;

  // The loop: one of this node's timers fires.
  void timer_fires(const events::TimerFires& e);

 private:
  struct TimerSlot {
    std::uint32_t generation = 0;  // bumped when the slot is freed
    std::uint64_t tag = 0;
    bool armed = false;
  };
  struct DeferredMessage {
    NodeId from;
    PayloadPtr message;
    std::uint64_t msg_id;
  };
  struct DeferredTimer {
    std::uint64_t tag;
  };
  using Deferred = std::variant<DeferredMessage, DeferredTimer, Request>;

  void run_message(const DeferredMessage& m);
  void free_slot(std::uint32_t slot);

  Links links_;
  NodeId id_;
  Rng rng_;
  std::unique_ptr<Replica> replica_;
  bool up_ = true;
  bool paused_ = false;
  Time base_true_ = 0;
  Time base_local_ = 0;
  double drift_ppm_ = 0;
  std::vector<TimerSlot> timers_;
  std::vector<std::uint32_t> free_slots_;
  std::deque<Deferred> deferred_;
};

}  // namespace consim
