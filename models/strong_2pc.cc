// The strong-2pc store model: the node that receives a write coordinates a
// two-phase commit with every replica, itself included; reads are local
// unless the key is in doubt here, in which case they wait for the decision.
//
//   write(k, v) at coordinator C:
//     txn := (C, next seq); vote locally; send prepare(txn, k, v) to every peer
//     all yes within prepare_timeout  -> decide commit, reply ok
//     a no, or the timeout            -> decide abort, reply fail(who refused / timed out)
//     decision: logged, applied locally, sent to each peer until acknowledged
//   on prepare(txn, k, v): vote no if k holds another prepared, undecided txn;
//     else record it as prepared ("in doubt") and vote yes
//   on commit/abort(txn): apply (commit only), leave doubt, acknowledge
//   read(k): if k is in doubt here, wait up to read_wait_timeout for the
//     decision (then fail "in doubt"); else reply the local value
//   cas(k, expected, v) at C: if k is in doubt here, refused like a write;
//     else compare with C's value: unequal -> reply ok, not matched; equal ->
//     write(k, v) as above
//
// Why reads are linearizable: commit is sent only after every replica has
// prepared. So once any replica shows the new value, every other replica
// either shows it too or holds it in doubt, and a read there waits. Example:
// n1 commits x=7 and n2's read of x returns 7; n3 has not yet received the
// commit, but it has x prepared, so a later read of x at n3 waits and
// returns 7, never the old value.
//
// Durable (survives a crash): the store, the participant log (prepared and
// decided transactions), the coordinator's log of begun transactions and of
// decisions not yet acknowledged, the transaction counter. Volatile: votes
// being collected, the client requests awaiting a reply, waiting reads. On
// recovery a coordinator resends every logged decision and aborts every
// transaction it had begun but not decided.
//
// With "cooperative_termination": true, a participant in doubt for
// termination_timeout asks the other replicas for the outcome
// (strong_2pc_termination.h); without it, nothing of that protocol runs and
// traces are as before. The parameters live in strong_2pc_config.h and
// strong_2pc_params.cc.
#include "models/strong_2pc.h"

#include <map>
#include <set>

#include "models/model_support.h"
#include "models/retry_queue.h"
#include "models/strong_2pc_config.h"
#include "models/strong_2pc_termination.h"
#include "models/strong_2pc_txn.h"

namespace consim {
namespace {

struct Prepare : Payload {
  TxnId txn;
  Key key = 0;
  Value value = 0;
  std::string_view type() const override { return "prepare"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + kTxnIdBytes + 8 + 8; }
};

struct Vote : Payload {
  TxnId txn;
  bool yes = false;
  std::optional<TxnId> holder;  // on no: the transaction holding the key
  std::string_view type() const override { return "vote"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + kTxnIdBytes + 1 + kTxnIdBytes; }
};

struct Decision : Payload {
  TxnId txn;
  Key key = 0;
  bool commit = false;
  std::string_view type() const override { return commit ? "commit" : "abort"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + kTxnIdBytes + 8 + 1; }
};

struct DecisionAck : Payload {
  TxnId txn;
  std::string_view type() const override { return "decision-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + kTxnIdBytes; }
};

enum TimerKind : std::uint8_t {
  kPrepareTimeout = 1,
  kReadWait = 2,
  kDecisionRetry = 3,
  kTermination = 4
};

class Strong2pcReplica : public Replica, private CooperativeTermination::Host {
 public:
  Strong2pcReplica(const Strong2pcConfig& config, Context& ctx)
      : config_(config),
        ctx_(ctx),
        decisions_(ctx, config.retry_initial, config.retry_max, kDecisionRetry) {
    if (config.cooperative_termination)
      termination_.emplace(ctx, static_cast<CooperativeTermination::Host&>(*this),
                           config.termination_timeout, config.retry_max, kTermination);
  }

  void on_request(const Request& request) override {
    if (request.type == OpType::Read) return read(request);
    // A cas compares here, at the coordinator, and only while no txn holds
    // the key here: then every committed write of the key has been applied
    // here (a commit needs this node's yes, and the key stays held until the
    // decision arrives), so the comparison sees the latest value and, within
    // this one step, nothing can commit in between. If it matches, the cas
    // commits like a write; if the key is held, begin_write refuses it.
    if (request.type == OpType::Cas && !prepared_.contains(request.key) &&
        value_of(request.key) != request.expected)
      return ctx_.reply(request, Reply::cas_miss(value_of(request.key)));
    begin_write(request);
  }

  void on_message(NodeId from, const Payload& message) override {
    if (auto* p = payload_as<Prepare>(message)) {
      ctx_.send(from, std::make_shared<Vote>(prepare(*p)));
    } else if (auto* v = payload_as<Vote>(message)) {
      if (v->txn.coordinator == ctx_.self()) record_vote(v->txn.seq, from, *v);
    } else if (auto* d = payload_as<Decision>(message)) {
      resolve(d->txn, d->key, d->commit);
      auto ack = std::make_shared<DecisionAck>();
      ack->txn = d->txn;
      ctx_.send(from, ack);
    } else if (auto* a = payload_as<DecisionAck>(message)) {
      if (a->txn.coordinator == ctx_.self()) decisions_.acknowledged(from, a->txn.seq);
    } else if (termination_) {
      termination_->on_message(from, message);
    }
    decisions_.heard_from(from);  // the link works again: resend what is overdue
  }

  void on_timer(std::uint64_t tag) override {
    if (decisions_.owns_timer(tag)) return decisions_.on_timer(tag);
    if (termination_ && termination_->owns_timer(tag)) return termination_->on_timer(tag);
    if (timer_kind(tag) == kPrepareTimeout) prepare_timed_out(timer_id(tag));
    if (timer_kind(tag) == kReadWait) read_wait_expired(timer_id(tag));
  }

  void on_crash() override {
    for (auto& [seq, t] : begun_) t.forget_volatile();
    waiting_reads_.clear();
    decisions_.on_crash(/*durable=*/true);
    if (termination_) termination_->on_crash();
  }

  void on_recover() override {
    decisions_.on_recover();
    if (termination_)
      for (const auto& [key, p] : prepared_) termination_->entered_doubt(p.txn, key, p.since);
    std::vector<std::uint64_t> undecided;
    for (const auto& [seq, t] : begun_) undecided.push_back(seq);
    for (std::uint64_t seq : undecided) {
      ctx_.note("recovery-abort", describe({ctx_.self(), seq}) + " was never decided");
      decide(seq, false, "coordinator crashed before deciding");
    }
  }

 private:
  // ---- coordinator ----

  struct Begun {
    Key key = 0;
    Value value = 0;
    // Volatile: lost in a crash.
    std::optional<Request> client;
    std::set<NodeId> yes_votes;
    std::optional<TimerId> timeout;
    void forget_volatile() {
      client.reset();
      yes_votes.clear();
      timeout.reset();
    }
  };

  void begin_write(const Request& request) {
    auto prepare_msg = std::make_shared<Prepare>();
    // The id is taken only if this node votes yes, so every id a coordinator
    // uses reaches every peer with its decision (DecidedLog relies on it).
    prepare_msg->txn = {ctx_.self(), next_seq_};
    prepare_msg->key = request.key;
    prepare_msg->value = request.value;
    Vote mine = prepare(*prepare_msg);
    if (!mine.yes) {  // nobody else has been asked: the write simply fails
      ctx_.reply(request, Reply::fail(refusal(ctx_.self(), mine)));
      return;
    }
    ++next_seq_;
    std::uint64_t seq = prepare_msg->txn.seq;
    Begun& t = begun_[seq];
    t.key = request.key;
    t.value = request.value;
    t.client = request;
    t.yes_votes.insert(ctx_.self());
    for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
      if (peer != ctx_.self()) ctx_.send(peer, prepare_msg);
    t.timeout = ctx_.set_timer(config_.prepare_timeout, timer_tag(kPrepareTimeout, seq));
    if (t.yes_votes.size() == ctx_.node_count()) decide(seq, true, "");
  }

  void record_vote(std::uint64_t seq, NodeId voter, const Vote& vote) {
    auto it = begun_.find(seq);
    if (it == begun_.end()) return;  // already decided: a late or duplicate vote
    if (!vote.yes) return decide(seq, false, refusal(voter, vote));
    it->second.yes_votes.insert(voter);
    if (it->second.yes_votes.size() == ctx_.node_count()) decide(seq, true, "");
  }

  void prepare_timed_out(std::uint64_t seq) {
    auto it = begun_.find(seq);
    if (it == begun_.end()) return;
    it->second.timeout.reset();
    std::vector<NodeId> silent;
    for (NodeId n = 0; n < ctx_.node_count(); ++n)
      if (!it->second.yes_votes.contains(n)) silent.push_back(n);
    decide(seq, false,
           "no vote from " + node_list(ctx_, silent) + " within " +
               format_duration(config_.prepare_timeout));
  }

  // Log the decision, tell every peer until it acknowledges, apply it here,
  // then answer the client (if it is still waiting on this node).
  void decide(std::uint64_t seq, bool commit, const std::string& reason) {
    Begun t = std::move(begun_.at(seq));
    begun_.erase(seq);
    if (t.timeout) ctx_.cancel_timer(*t.timeout);
    TxnId txn{ctx_.self(), seq};
    ctx_.note("decided", describe(txn) + (commit ? " commit" : " abort: " + reason));
    auto decision = std::make_shared<Decision>();
    decision->txn = txn;
    decision->key = t.key;
    decision->commit = commit;
    for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
      if (peer != ctx_.self()) decisions_.send(peer, seq, decision);
    resolve(txn, t.key, commit);
    if (t.client) ctx_.reply(*t.client, commit ? Reply::ok() : Reply::fail(reason));
  }

  std::string refusal(NodeId voter, const Vote& vote) const {
    std::string why = "prepare refused by " + std::string(ctx_.node_name(voter));
    if (vote.holder) why += " (key held by " + describe(*vote.holder) + ")";
    return why;
  }

  // ---- participant ----

  struct Prepared {
    TxnId txn;
    Value value = 0;
    Time since = 0;
  };

  Vote prepare(const Prepare& p) {
    Vote vote;
    vote.txn = p.txn;
    if (decided_.contains(p.txn)) return vote;  // a late copy of a finished txn: no
    auto held = prepared_.find(p.key);
    if (held != prepared_.end()) {
      vote.yes = held->second.txn == p.txn;  // a duplicate prepare is a yes again
      if (!vote.yes) vote.holder = held->second.txn;
      return vote;
    }
    prepared_[p.key] = {p.txn, p.value, ctx_.now()};
    ctx_.note("in-doubt", describe(p.txn) + " key " + std::to_string(p.key));
    if (termination_) termination_->entered_doubt(p.txn, p.key, ctx_.now());
    vote.yes = true;
    return vote;
  }

  void resolve(TxnId txn, Key key, bool commit) {
    if (!decided_.insert(txn)) return;  // already applied: duplicate decision
    if (termination_ && !commit) aborted_.insert(txn);
    auto held = prepared_.find(key);
    if (held == prepared_.end() || held->second.txn != txn) return;  // abort before prepare
    Prepared p = held->second;
    prepared_.erase(held);
    if (termination_) termination_->left_doubt(key);
    if (commit) {
      store_[key] = p.value;
      ctx_.applied(key, p.value);
    }
    ctx_.note("resolved",
              describe(txn) + " key " + std::to_string(key) + (commit ? " committed" : " aborted") +
                  " after " + format_duration(ctx_.now() - p.since) + " in doubt",
              ctx_.now() - p.since);
    serve_waiting_reads(key);
  }

  // ---- reads ----

  struct WaitingRead {
    Request request;
    TimerId timer = 0;
  };

  void read(const Request& request) {
    if (!prepared_.contains(request.key))
      return ctx_.reply(request, Reply::ok(value_of(request.key)));
    std::uint64_t id = next_read_id_++;
    TimerId timer = ctx_.set_timer(config_.read_wait_timeout, timer_tag(kReadWait, id));
    waiting_reads_[id] = {request, timer};
  }

  void serve_waiting_reads(Key key) {
    for (auto it = waiting_reads_.begin(); it != waiting_reads_.end();) {
      if (it->second.request.key != key) {
        ++it;
        continue;
      }
      ctx_.cancel_timer(it->second.timer);
      ctx_.reply(it->second.request, Reply::ok(value_of(key)));
      it = waiting_reads_.erase(it);
    }
  }

  void read_wait_expired(std::uint64_t id) {
    auto it = waiting_reads_.find(id);
    if (it == waiting_reads_.end()) return;
    Key key = it->second.request.key;
    std::string holder = prepared_.contains(key) ? describe(prepared_.at(key).txn) : "a txn";
    ctx_.reply(it->second.request, Reply::fail("in doubt: key " + std::to_string(key) +
                                               " awaits the decision on " + holder));
    waiting_reads_.erase(it);
  }

  std::optional<Value> value_of(Key key) const {
    auto it = store_.find(key);
    if (it == store_.end()) return std::nullopt;
    return it->second;
  }

  std::string describe(TxnId txn) const { return describe_txn(ctx_, txn); }

  // ---- cooperative termination (strong_2pc_termination.h) ----

  TxnFate fate_for_peer(TxnId txn, Key key, NodeId asker) override {
    if (decided_.contains(txn))
      return aborted_.contains(txn) ? TxnFate::Aborted : TxnFate::Committed;
    auto held = prepared_.find(key);
    if (held != prepared_.end() && held->second.txn == txn) return TxnFate::InDoubt;
    // Never voted yes: abort it here, so that a late prepare is refused and
    // the coordinator can never commit it.
    ctx_.note("unilateral-abort", describe(txn) + " key " + std::to_string(key) +
                                      ": never voted yes, aborted for " +
                                      std::string(ctx_.node_name(asker)));
    decided_.insert(txn);
    aborted_.insert(txn);
    return TxnFate::Aborted;
  }

  void learned(TxnId txn, Key key, bool commit, NodeId from) override {
    auto held = prepared_.find(key);
    if (held == prepared_.end() || held->second.txn != txn) return;  // already resolved
    ctx_.note("terminated", describe(txn) + " key " + std::to_string(key) +
                                (commit ? " committed" : " aborted") + ", learned from " +
                                std::string(ctx_.node_name(from)));
    resolve(txn, key, commit);
  }

  const Strong2pcConfig config_;
  Context& ctx_;
  // Durable.
  std::map<Key, Value> store_;
  std::map<Key, Prepared> prepared_;  // at most one prepared txn per key
  DecidedLog decided_;                // every decision applied here
  std::uint64_t next_seq_ = 1;
  std::map<std::uint64_t, Begun> begun_;  // coordinator: begun, not yet decided
  RetryQueue decisions_;                  // coordinator: decided, not yet acknowledged
  // With cooperative termination only: the aborted among decided_ (so a
  // replica can tell a peer the outcome), and the questions being asked.
  std::set<TxnId> aborted_;                            // durable; grows with the aborts of the run
  std::optional<CooperativeTermination> termination_;  // its questions are volatile
  // Volatile.
  std::map<std::uint64_t, WaitingRead> waiting_reads_;
  std::uint64_t next_read_id_ = 1;
};

}  // namespace

std::unique_ptr<Replica> make_strong_2pc(const ModelConfig& config, Context& ctx) {
  return std::make_unique<Strong2pcReplica>(dynamic_cast<const Strong2pcConfig&>(config), ctx);
}

}  // namespace consim
