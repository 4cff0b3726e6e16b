// The leader-lease model: leader election as a service (the ZooKeeper /
// Chubby pattern), with or without fencing tokens. Three roles, each on the
// nodes the parameters name (a node may play several):
//
//   coordination group (a Raft group, leader_lease_group.h): grants a
//     lease to one application at a time; the token is the grant's log
//     index; its leader L waits a whole lease on its own clock after its
//     last grant or renewal before granting to another application
//   application: every renew_interval, lease-request to every group member.
//     on lease-grant(token, sent_at): lease_until := sent_at + lease (its own
//       local clock: the lease runs from when it asked); role leader(token)
//     when its local clock passes lease_until, or on lease-busy with a newer
//       token: role follower, redirect what is queued
//     request, not holding (or less than half the lease left: fail)
//                                  -> redirect(the holder it last heard of)
//     read(k)                      -> doc-read to storage; reply doc[k]
//     write(k, v) / cas, one at a time, the lease checked when it starts:
//       doc-read; wait processing_time (the computation); doc[k] := v;
//       doc-store(doc, token); store-ack -> ok; store-refused -> fail and
//       step down
//   storage: one document (every key), the highest token seen; refuses a
//     store with an older token when fencing_tokens (leader_lease_storage.h)
//
// Why a paused leader is dangerous: its lease is measured on its local
// clock, which runs on while it is paused; the write it had started (the
// lease checked before the pause) carries on when it wakes, with the
// document it read before, and overwrites what the new leader stored since.
// With fencing tokens the storage has seen the new leader's larger token and
// refuses it. Safe without pauses: a holder starts an operation only with
// more than half its lease left, and the group waits out a whole lease (on
// its own clock, from a moment after the holder asked) before granting
// again.
//
// Durable: the group's Raft state (term, vote, log), the storage's document
// and highest token. Volatile: an application's lease (a restarted
// application asks anew), its queue and operations in progress; the group
// leader's free_after and pending grant.
#include "models/leader_lease.h"

#include <algorithm>
#include <deque>

#include "models/leader_lease_group.h"
#include "models/leader_lease_parts.h"
#include "models/leader_lease_storage.h"

namespace consim {
namespace leader_lease {
namespace {

enum TimerKind : std::uint8_t {
  kRaftTimers = 1,
  kRenew = 3,
  kExpiry = 4,
  kProcessing = 5,
  kStorageTimeout = 6
};

bool contains(const std::vector<NodeId>& nodes, NodeId n) {
  return std::find(nodes.begin(), nodes.end(), n) != nodes.end();
}

class LeaderLeaseReplica : public Replica {
 public:
  LeaderLeaseReplica(const Config& config, Context& ctx)
      : config_(config),
        ctx_(ctx),
        is_app_(contains(config.apps, ctx.self())),
        group_(config_, ctx, kRaftTimers) {
    if (config.storage == ctx.self()) storage_.emplace(ctx, config.fencing_tokens);
    group_.start();
    if (is_app_) {
      ctx_.role("follower", 0);
      ctx_.set_timer(0, timer_tag(kRenew, 0));
    }
  }

  void on_request(const Request& request) override {
    if (auto refusal = lease_refusal()) return ctx_.reply(request, *refusal);
    if (request.type == OpType::Read) {
      std::uint64_t op = next_op_++;
      reads_[op] = {request, send_doc_read(op)};
      return;
    }
    queue_.push_back(request);
    start_next();
  }

  void on_message(NodeId from, const Payload& m) override {
    if (group_.on_message(from, m)) return;
    if (auto* g = payload_as<LeaseGrant>(m)) {
      if (is_app_) granted(*g);
    } else if (auto* b = payload_as<LeaseBusy>(m)) {
      if (is_app_) busy(*b);
    } else if (auto* d = payload_as<DocRead>(m)) {
      if (storage_) storage_->read(from, *d);
    } else if (auto* doc = payload_as<Doc>(m)) {
      if (is_app_) got_doc(*doc);
    } else if (auto* s = payload_as<DocStore>(m)) {
      if (storage_) storage_->store(from, *s);
    } else if (auto* a = payload_as<StoreAck>(m)) {
      if (is_app_) stored(*a);
    }
  }

  void on_timer(std::uint64_t tag) override {
    if (group_.owns_timer(tag)) return group_.on_timer(tag);
    switch (timer_kind(tag)) {
      case kRenew:
        return ask_for_lease();
      case kExpiry:
        return check_expiry();
      case kProcessing:
        return finish_processing(timer_id(tag));
      case kStorageTimeout:
        return storage_timed_out(timer_id(tag));
    }
  }

  void on_crash() override {
    group_.on_crash();
    holding_ = false;
    expiry_.reset();
    queue_.clear();
    current_.reset();
    reads_.clear();
  }

  void on_recover() override {
    group_.on_recover();
    if (!is_app_) return;
    ctx_.role("follower", token_);
    ctx_.set_timer(0, timer_tag(kRenew, 0));
  }

 private:
  // ---- application: the lease, measured on the local clock ----

  void ask_for_lease() {
    auto r = std::make_shared<LeaseRequest>();
    r->app = ctx_.self();
    r->token = holding_ ? token_ : 0;
    r->sent_at = ctx_.local_clock();
    for (NodeId member : config_.coordination) ctx_.send(member, r);
    ctx_.set_timer(config_.renew_interval, timer_tag(kRenew, 0));
  }

  void granted(const LeaseGrant& g) {
    Time until = g.sent_at + config_.lease;
    if (until <= ctx_.local_clock() || (holding_ && g.token < token_)) return;  // too late, or old
    if (!holding_ || g.token != token_) {
      holding_ = true;
      token_ = g.token;
      lease_until_ = until;
      ctx_.role("leader", token_);
    }
    lease_until_ = std::max(lease_until_, until);
    known_holder_ = ctx_.self();
    if (expiry_) ctx_.cancel_timer(*expiry_);
    expiry_ = ctx_.set_timer(lease_until_ - ctx_.local_clock(), timer_tag(kExpiry, 0));
  }

  void busy(const LeaseBusy& b) {
    known_holder_ = b.holder;
    if (holding_ && b.token > token_)
      step_down(std::string(ctx_.node_name(b.holder)) + " holds token " + std::to_string(b.token));
  }

  void check_expiry() {
    expiry_.reset();
    if (!holding_) return;
    Time now = ctx_.local_clock();
    if (now < lease_until_) {
      expiry_ = ctx_.set_timer(lease_until_ - now, timer_tag(kExpiry, 0));
      return;
    }
    step_down("lease expired on the local clock");
  }

  void step_down(const std::string& why) {
    if (!holding_) return;
    holding_ = false;
    if (known_holder_ == ctx_.self()) known_holder_.reset();
    if (expiry_) ctx_.cancel_timer(*expiry_);
    expiry_.reset();
    ctx_.note("lease-lost", "token " + std::to_string(token_) + ": " + why);
    ctx_.role("follower", token_);
    while (!queue_.empty()) {  // not started: the lease is checked when one starts
      ctx_.reply(queue_.front(), Reply::redirect(hint()));
      queue_.pop_front();
    }
  }

  std::optional<NodeId> hint() const {
    if (known_holder_ && *known_holder_ != ctx_.self()) return known_holder_;
    if (group_.member() && group_.holder() && *group_.holder() != ctx_.self())
      return group_.holder();
    return std::nullopt;
  }

  // Why this node cannot start an operation now, if it cannot.
  std::optional<Reply> lease_refusal() const {
    if (!is_app_ || !holding_) return Reply::redirect(hint());
    Time left = lease_until_ - ctx_.local_clock();
    if (left < config_.lease / 2)
      return Reply::fail("lease renewal overdue: " + format_duration(std::max<Time>(left, 0)) +
                         " of the lease left");
    return std::nullopt;
  }

  // ---- application: operations against the storage ----

  struct Current {
    Request request;
    std::uint64_t op = 0;
    std::uint64_t token = 0;  // the lease it was started under
    TimerId timeout = 0;
    bool store_sent = false;
    Document doc;
  };
  struct PendingRead {
    Request request;
    TimerId timeout = 0;
  };

  void start_next() {
    while (!current_ && !queue_.empty()) {
      Request r = queue_.front();
      queue_.pop_front();
      if (auto refusal = lease_refusal()) {
        ctx_.reply(r, *refusal);
        continue;
      }
      std::uint64_t op = next_op_++;
      current_ = Current{r, op, token_, send_doc_read(op), false, {}};
    }
  }

  // Returns the operation's timer: it is abandoned if the storage has not
  // answered within half a lease (the time an operation may take).
  TimerId send_doc_read(std::uint64_t op) {
    auto d = std::make_shared<DocRead>();
    d->op = op;
    ctx_.send(config_.storage, d);
    return ctx_.set_timer(config_.lease / 2, timer_tag(kStorageTimeout, op));
  }

  // Noted for every operation (the client may have timed out already, so
  // the reason would reach nobody): a storage on the other side of a
  // partition shows in the report's model notes.
  void storage_timed_out(std::uint64_t op) {
    std::string why = "the storage did not answer within " + format_duration(config_.lease / 2);
    auto note = [&](const char* to) {
      ctx_.note("storage-timeout", "op " + std::to_string(op) + ": " + why + " to " + to);
    };
    if (auto it = reads_.find(op); it != reads_.end()) {
      note("a read");
      ctx_.reply(it->second.request, Reply::fail(why));
      reads_.erase(it);
      return;
    }
    if (!current_ || current_->op != op) return;
    if (current_->store_sent) {  // it may yet land: no answer, the client times out (info)
      note("a store");
    } else {
      note("the document read of a write");
      ctx_.reply(current_->request, Reply::fail(why));
    }
    current_.reset();
    start_next();
  }

  void got_doc(const Doc& d) {
    if (auto it = reads_.find(d.op); it != reads_.end()) {
      ctx_.cancel_timer(it->second.timeout);
      auto v = d.doc.find(it->second.request.key);
      ctx_.reply(it->second.request,
                 Reply::ok(v == d.doc.end() ? std::nullopt : std::optional<Value>(v->second)));
      reads_.erase(it);
      return;
    }
    if (!current_ || current_->op != d.op) return;
    current_->doc = d.doc;
    ctx_.set_timer(config_.processing_time, timer_tag(kProcessing, d.op));
  }

  // The computation is done: write the new document, whatever has happened
  // to the lease meanwhile (the check-then-act window a pause falls into).
  void finish_processing(std::uint64_t op) {
    if (!current_ || current_->op != op) return;
    Current& c = *current_;
    const Request& r = c.request;
    auto found = c.doc.find(r.key);
    std::optional<Value> old =
        found == c.doc.end() ? std::nullopt : std::optional<Value>(found->second);
    if (r.type == OpType::Cas && old.value_or(0) != r.expected) {
      ctx_.reply(r, Reply::cas_miss(old));
      ctx_.cancel_timer(c.timeout);
      current_.reset();
      return start_next();
    }
    auto s = std::make_shared<DocStore>();
    s->op = c.op;
    s->token = c.token;
    s->app = ctx_.self();
    s->doc = c.doc;
    s->doc[r.key] = r.value;
    c.store_sent = true;
    ctx_.send(config_.storage, s);
  }

  void stored(const StoreAck& a) {
    if (!current_ || current_->op != a.op) return;
    Current c = std::move(*current_);
    current_.reset();
    ctx_.cancel_timer(c.timeout);
    if (a.stored) {
      ctx_.reply(c.request, Reply::ok());
    } else {
      ctx_.reply(c.request,
                 Reply::fail("fenced: the storage has seen token " + std::to_string(a.seen_token) +
                             ", this write carried " + std::to_string(c.token)));
      step_down("fenced by the storage (token " + std::to_string(a.seen_token) + ")");
    }
    start_next();
  }

  const Config config_;
  Context& ctx_;
  const bool is_app_;
  // Application (volatile).
  bool holding_ = false;
  std::uint64_t token_ = 0;
  Time lease_until_ = 0;  // local clock
  std::optional<NodeId> known_holder_;
  std::optional<TimerId> expiry_;
  std::deque<Request> queue_;  // writes waiting to start
  std::optional<Current> current_;
  std::map<std::uint64_t, PendingRead> reads_;
  std::uint64_t next_op_ = 1;
  std::optional<DocumentStorage> storage_;  // on the storage node (durable)
  LeaseGroup group_;                        // on every node; acts on the group's members
};

}  // namespace
}  // namespace leader_lease

std::unique_ptr<Replica> make_leader_lease(const ModelConfig& config, Context& ctx) {
  return std::make_unique<leader_lease::LeaderLeaseReplica>(
      dynamic_cast<const leader_lease::Config&>(config), ctx);
}

}  // namespace consim
