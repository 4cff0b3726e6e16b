// The event-sourced store model with a CQRS read model.
//
// Roles, fixed by the parameters: one node is the log's owner (the event
// store's writer), one hosts the projection (the read model), every other
// node is a log replica. The owner ships its log to every other node by
// asynchronous replication with retries, as eventual-async does
// (models/retry_queue.h: resent until acknowledged, probing a peer cut off,
// everything resent within a round trip of a heal), but from one writer, so
// every copy of the log is a prefix of the owner's, in the same order.
//
//   command write(k, v) (or cas) at the owner:
//     e := log.append(entity k set to v); state := apply(state, e); reply ok
//     for each other node: ship e until acknowledged
//   a command elsewhere: redirect to the owner
//   on event e at a log replica or the projection: append e if it is the
//     next offset (buffer it if it is ahead, ignore it if held), then
//     acknowledge every offset held
//     a log replica: state := apply(state, e)
//     the projection: enqueue e for the projector
//   projector (the projection node): takes the next enqueued event, works
//     apply_time on it, then read_model := apply(read_model, e); in batch
//     mode it looks at its queue only every batch_interval
//   query read(k): "queries": "projection" (the default) -> answered from
//     the read model at the projection node (elsewhere: redirect there);
//     "log" -> answered from the owner's state (redirect to the owner)
//
// What it guarantees: every copy of the log is a prefix of the owner's, so
// every replica's state and the read model are the fold of a prefix of one
// history (no divergence, no lost acknowledged command while the owner's
// log survives; the owner's log is durable). Queries to the log's owner are
// linearizable (a command is appended before it is acknowledged; reads of
// one node). Queries to the projection are eventually consistent: a
// client's own command is visible only after the projection caught up with
// it, so read-your-writes fails while the projection lags. Commands need
// the owner: while it is down or cut off from a client, commands fail.
//
// Durable: every node's log copy, the owner's shipping queue, the
// projector's checkpoint (how many events the read model has applied).
// Volatile: the folded state and the read model, which recovery rebuilds by
// replaying the log (the read model: up to its checkpoint) and notes
// "rebuilt" with the replay's size and the state's digest (event_log.h), so
// a test checks the rebuild against the state the node served.
#include "models/event_sourcing/event_sourced.h"

#include <cstdio>
#include <deque>
#include <map>

#include "models/event_sourcing/event_sourced_parts.h"
#include "models/retry_queue.h"

namespace consim {
namespace event_sourcing {
namespace {

enum TimerKind : std::uint8_t { kShipRetry = 1, kProjectorWork = 2, kProjectorPoll = 3 };

class EventSourcedReplica : public Replica {
 public:
  EventSourcedReplica(const Config& config, Context& ctx)
      : config_(config),
        ctx_(ctx),
        outbox_(ctx, config.retry_initial, config.retry_max, kShipRetry) {
    start_projector();
  }

  void on_request(const Request& request) override {
    if (request.type == OpType::Read) return query(request);
    if (request.type != OpType::Write && request.type != OpType::Cas)
      return ctx_.reply(request,
                        Reply::fail("the event-sourced model runs register commands only"));
    if (!is_owner()) return ctx_.reply(request, Reply::redirect(config_.log_owner));
    if (request.type == OpType::Cas) {
      auto current = value_of(state_, request.key);
      if (current.value_or(0) != request.expected)
        return ctx_.reply(request, Reply::cas_miss(current));
    }
    const Event& e = log_.append_new(request.key, request.value);
    apply_to_state(e);
    if (is_projection() && !config_.batch_interval) project_next();  // a read model beside the log
    ctx_.reply(request, Reply::ok());
    auto msg = std::make_shared<EventMsg>();
    msg->event = e;
    for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
      if (peer != ctx_.self()) outbox_.send(peer, e.offset, msg);
  }

  void on_message(NodeId from, const Payload& message) override {
    if (auto* m = payload_as<EventMsg>(message)) {
      receive(from, m->event);
    } else if (auto* a = payload_as<EventAck>(message)) {
      outbox_.acknowledged(from, a->offset);
    }
    outbox_.heard_from(from);
  }

  void on_timer(std::uint64_t tag) override {
    if (outbox_.owns_timer(tag)) return outbox_.on_timer(tag);
    if (timer_kind(tag) == kProjectorWork) return finish_projecting();
    if (timer_kind(tag) == kProjectorPoll) {
      ctx_.set_timer(*config_.batch_interval, timer_tag(kProjectorPoll, 0));
      return project_next();
    }
  }

  void on_crash() override {
    outbox_.on_crash(true);
    state_.clear();
    read_model_.clear();
    ahead_.clear();
    working_ = false;
  }

  void on_recover() override {
    if (!is_projection() || is_owner()) {
      state_ = fold(log_.events());
      rebuilt("state", log_.size(), state_);
    }
    if (is_projection()) {
      std::vector<Event> prefix(log_.events().begin(),
                                log_.events().begin() + static_cast<std::ptrdiff_t>(checkpoint_));
      read_model_ = fold(prefix);
      rebuilt("read model", checkpoint_, read_model_);
      start_projector();
    }
    outbox_.on_recover();
  }

 private:
  bool is_owner() const { return ctx_.self() == config_.log_owner; }
  bool is_projection() const { return ctx_.self() == config_.projection; }
  // What this node's apply lines show (one visible value per key): the
  // read model at the projection, the state elsewhere; a read model beside
  // the log shows what queries read.
  bool shows_read_model() const {
    return is_projection() && !(is_owner() && config_.queries == Queries::Log);
  }

  static std::optional<Value> value_of(const State& s, Key key) {
    auto it = s.find(key);
    return it == s.end() ? std::nullopt : std::optional<Value>(it->second);
  }

  void query(const Request& request) {
    if (config_.queries == Queries::Projection) {
      if (!is_projection()) return ctx_.reply(request, Reply::redirect(config_.projection));
      return ctx_.reply(request, Reply::ok(value_of(read_model_, request.key)));
    }
    if (!is_owner()) return ctx_.reply(request, Reply::redirect(config_.log_owner));
    ctx_.reply(request, Reply::ok(value_of(state_, request.key)));
  }

  // A log replica's or the owner's fold step; the projection folds through
  // its projector instead.
  void apply_to_state(const Event& e) {
    apply(state_, e);
    if (!shows_read_model()) ctx_.applied(e.key, e.value);
  }

  void receive(NodeId from, const Event& e) {
    if (e.offset >= log_.size()) ahead_.emplace(e.offset, e);
    while (!ahead_.empty() && ahead_.begin()->first <= log_.size()) {
      Event next = ahead_.begin()->second;
      ahead_.erase(ahead_.begin());
      if (next.offset < log_.size()) continue;
      log_.append(next);
      if (is_projection()) {
        if (!config_.batch_interval) project_next();
      } else {
        apply_to_state(next);
      }
    }
    // Acknowledge e if held (a duplicate too: its first ack may be lost).
    if (e.offset < log_.size()) {
      auto ack = std::make_shared<EventAck>();
      ack->offset = e.offset;
      ctx_.send(from, ack);
    }
  }

  // The projector: one event at a time, apply_time each.
  void start_projector() {
    if (!is_projection()) return;
    if (config_.batch_interval)
      ctx_.set_timer(*config_.batch_interval, timer_tag(kProjectorPoll, 0));
    else
      project_next();
  }
  void project_next() {
    if (working_ || checkpoint_ >= log_.size()) return;
    working_ = true;
    ctx_.set_timer(config_.apply_time.sample_time(ctx_.rng()), timer_tag(kProjectorWork, 0));
  }
  void finish_projecting() {
    working_ = false;
    const Event& e = log_.at(checkpoint_++);
    apply(read_model_, e);
    if (shows_read_model()) ctx_.applied(e.key, e.value);
    // In batch mode the projector drains what it holds, then sleeps until
    // the next poll; new events wait for that poll.
    if (!config_.batch_interval || checkpoint_ < polled_up_to()) project_next();
  }
  std::uint64_t polled_up_to() const { return log_.size(); }

  void rebuilt(std::string_view what, std::uint64_t events, const State& s) {
    char digest[32];
    std::snprintf(digest, sizeof digest, "%016llx",
                  static_cast<unsigned long long>(state_digest(s)));
    ctx_.note("rebuilt", std::string(what) + ": replayed " + std::to_string(events) +
                             " events of " + std::to_string(s.size()) + " entities; digest " +
                             digest);
  }

  const Config& config_;
  Context& ctx_;
  // Durable.
  EventLog log_;
  RetryQueue outbox_;             // the owner's shipping queue
  std::uint64_t checkpoint_ = 0;  // projection: events applied to the read model
  // Volatile.
  State state_;                           // the fold of log_ (owner, log replicas)
  State read_model_;                      // the fold of log_[0, checkpoint_) (projection)
  std::map<std::uint64_t, Event> ahead_;  // events received past a gap
  bool working_ = false;                  // the projector has an event in hand
};

}  // namespace
}  // namespace event_sourcing

std::unique_ptr<Replica> make_event_sourced(const ModelConfig& config, Context& ctx) {
  return std::make_unique<event_sourcing::EventSourcedReplica>(
      dynamic_cast<const event_sourcing::Config&>(config), ctx);
}

}  // namespace consim
