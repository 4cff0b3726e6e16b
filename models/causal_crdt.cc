// The causal model for sets and counters: a CRDT per key (models/
// crdt_store.h), each update replicated with causal delivery, so a replica
// never shows an update before the updates its client had seen.
//
//   update(k, op) at node N, session context S (an add, remove or incr):
//     wait until N has applied S (at most session_wait_timeout, else fail)
//     apply op to N's state of k; u := (origin N, seq applied[N]+1, k,
//       the state of k after op, deps S ∪ seen[k]); applied[N] := u.seq
//       (the state carries every update of k applied here, so u depends
//       on them as well as on what its client saw)
//     reply ok with session S ∪ {N: seq}; replicate u to every peer (resent
//       with backoff until acknowledged)
//   on replicate(u): if u is the next update of its origin and every dep is
//     applied here, merge u's state into k's and acknowledge, then release
//     any buffered update that has become applicable; else buffer it
//     (noted "buffered", later "released"); acknowledge only once applied
//   read(k) with session S: wait until N has applied S, then reply k's
//     state (a set's items, a counter's value) with session S ∪ seen[k],
//     where seen[k] counts, per origin, the updates of k applied here
//
// Example: Alice adds "hat" to cart 0 at n1 (update n1.1, session {n1:1}),
// then reads the cart at n2 (her fallback). Until n2 has applied n1.1 the
// read waits ("session-wait"), so she never sees a cart without her hat.
// Bob, who never saw n1.1, reads cart 0 at n2 at once, without it.
//
// Convergence: an update ships the whole state of its key, and states merge
// by the CRDT's join (commutative, associative, idempotent), so replicas
// that applied the same updates hold equal states, whatever the order;
// causal delivery decides only when an update becomes visible.
//
// Durable: the states, the applied vector, seen[k], the retry queue of this
// node's own updates (an update lost from it would block its origin's later
// updates everywhere). Volatile: buffered remote updates (their senders
// resend) and requests waiting on a session.
#include "models/causal_crdt.h"

#include <map>
#include <nlohmann/json.hpp>

#include "models/causal.h"
#include "models/crdt_store.h"
#include "models/model_support.h"
#include "models/retry_queue.h"

namespace consim {
namespace {

struct CausalCrdtConfig : ModelConfig {
  Time session_wait_timeout = 500 * kMillisecond;
  Time retry_initial = 50 * kMillisecond;
  Time retry_max = 2 * kSecond;
  CrdtParams crdt;

  nlohmann::json to_json() const override {
    nlohmann::json j = {{"session_wait_timeout", format_duration(session_wait_timeout)},
                        {"retry_initial", format_duration(retry_initial)},
                        {"retry_max", format_duration(retry_max)}};
    crdt.to_json(j);
    return j;
  }
};

using VectorClock = std::vector<std::uint64_t>;  // [origin] = updates covered

bool covers(const VectorClock& have, const VectorClock& need) {
  for (std::size_t i = 0; i < need.size(); ++i)
    if (have[i] < need[i]) return false;
  return true;
}

struct Update {
  NodeId origin = 0;
  std::uint64_t seq = 0;  // this origin's seq-th update
  Key key = 0;
  std::shared_ptr<const CrdtValue> state;  // the key's state after the update, at the origin
  std::size_t bytes = 0;                   // CrdtStore::wire_bytes(*state)
  VectorClock deps;                        // the updater's session context
};

struct Replicate : Payload {
  Update update;
  std::string_view type() const override { return "replicate"; }
  std::size_t size_bytes() const override {
    return kEnvelopeBytes + 4 + 8 + 8 + update.bytes + 8 * update.deps.size();
  }
};

struct ReplicateAck : Payload {
  NodeId origin = 0;
  std::uint64_t seq = 0;
  std::string_view type() const override { return "replicate-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 4 + 8; }
};

// The client's causal context: the updates it has seen or made.
struct CausalSession : Payload {
  VectorClock seen;
  std::string_view type() const override { return "session"; }
  std::size_t size_bytes() const override { return 8 * seen.size(); }
};

enum TimerKind : std::uint8_t { kReplicateRetry = 1, kSessionWait = 2 };

class CausalCrdtReplica : public Replica {
 public:
  CausalCrdtReplica(const CausalCrdtConfig& config, Context& ctx)
      : config_(config),
        ctx_(ctx),
        store_(config.crdt, ctx),
        applied_(ctx.node_count(), 0),
        outbox_(ctx, config.retry_initial, config.retry_max, kReplicateRetry) {}

  void on_request(const Request& request) override {
    VectorClock need = session_of(request);
    if (covers(applied_, need)) return serve(request, std::move(need));
    std::uint64_t id = next_wait_id_++;
    ctx_.note("session-wait", "op " + std::to_string(request.op_id) + " needs " + missing(need));
    TimerId timer = ctx_.set_timer(config_.session_wait_timeout, timer_tag(kSessionWait, id));
    waiting_[id] = {request, std::move(need), timer};
  }

  void on_message(NodeId from, const Payload& message) override {
    if (auto* r = payload_as<Replicate>(message)) {
      receive(r->update);
    } else if (auto* a = payload_as<ReplicateAck>(message)) {
      if (a->origin == ctx_.self()) outbox_.acknowledged(from, a->seq);
    }
    outbox_.heard_from(from);
  }

  void on_timer(std::uint64_t tag) override {
    if (outbox_.owns_timer(tag)) return outbox_.on_timer(tag);
    if (timer_kind(tag) == kSessionWait) session_wait_expired(timer_id(tag));
  }

  void on_crash() override {
    buffered_.clear();
    waiting_.clear();
    outbox_.on_crash(/*durable=*/true);
  }

  void on_recover() override { outbox_.on_recover(); }

 private:
  struct Waiting {
    Request request;
    VectorClock need;
    TimerId timer = 0;
  };
  struct Buffered {
    Update update;
    Time since = 0;
  };

  void serve(const Request& request, VectorClock seen) {
    bool changed = false;
    Reply reply = store_.apply(request, changed);
    if (reply.outcome != Reply::Outcome::Ok) return ctx_.reply(request, std::move(reply));
    VectorClock& key_seen = seen_of(request.key);
    if (request.type != OpType::Read && changed) {
      Update u;
      u.origin = ctx_.self();
      u.seq = ++applied_[ctx_.self()];
      u.key = request.key;
      u.state = std::make_shared<const CrdtValue>(store_.state(request.key));
      u.bytes = CrdtStore::wire_bytes(*u.state);
      // The state shipped holds every update of the key applied here, so
      // the update depends on them too, not only on what its client saw.
      u.deps = seen;
      for (NodeId n = 0; n < seen.size(); ++n) u.deps[n] = std::max(seen[n], key_seen[n]);
      key_seen[u.origin] = u.seq;
      auto msg = std::make_shared<Replicate>();
      msg->update = std::move(u);
      for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
        if (peer != ctx_.self()) outbox_.send(peer, msg->update.seq, msg);
    }
    for (NodeId n = 0; n < seen.size(); ++n) seen[n] = std::max(seen[n], key_seen[n]);
    reply.session = session_token(std::move(seen));
    ctx_.reply(request, std::move(reply));
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
      serve(w.request, std::move(w.need));
    }
  }

  void session_wait_expired(std::uint64_t id) {
    auto it = waiting_.find(id);
    if (it == waiting_.end()) return;
    ctx_.reply(it->second.request, Reply::fail("session context not applied here within " +
                                               format_duration(config_.session_wait_timeout) +
                                               ": missing " + missing(it->second.need)));
    waiting_.erase(it);
  }

  void receive(const Update& u) {
    if (applied_[u.origin] >= u.seq) return acknowledge(u);  // a duplicate
    if (!applicable(u)) {
      if (buffered_.contains({u.origin, u.seq})) return;
      buffered_[{u.origin, u.seq}] = {u, ctx_.now()};
      ctx_.note("buffered", describe(u) + " waits for " + missing(dependencies(u)));
      return;
    }
    apply(u);
    acknowledge(u);
    release_buffered();
    serve_ready_requests();
  }

  // As causal.cc: only the next update of each origin can be applicable.
  void release_buffered() {
    bool progress = true;
    while (progress) {
      progress = false;
      for (NodeId origin = 0; origin < applied_.size(); ++origin) {
        for (auto it = buffered_.find({origin, applied_[origin] + 1});
             it != buffered_.end() && applicable(it->second.update);
             it = buffered_.find({origin, applied_[origin] + 1})) {
          Buffered b = std::move(it->second);
          buffered_.erase(it);
          ctx_.note(
              "released",
              describe(b.update) + " after " + format_duration(ctx_.now() - b.since) + " buffered",
              ctx_.now() - b.since);
          apply(b.update);
          acknowledge(b.update);
          progress = true;
        }
      }
    }
  }

  bool applicable(const Update& u) const {
    return applied_[u.origin] + 1 == u.seq && covers(applied_, u.deps);
  }

  VectorClock dependencies(const Update& u) const {
    VectorClock need = u.deps;
    need[u.origin] = std::max(need[u.origin], u.seq - 1);
    return need;
  }

  void apply(const Update& u) {
    applied_[u.origin] = u.seq;
    seen_of(u.key)[u.origin] = u.seq;
    store_.merge(u.key, *u.state);
  }

  void acknowledge(const Update& u) {
    auto ack = std::make_shared<ReplicateAck>();
    ack->origin = u.origin;
    ack->seq = u.seq;
    ctx_.send(u.origin, ack);
  }

  VectorClock& seen_of(Key key) {
    auto it = seen_.find(key);
    if (it == seen_.end()) it = seen_.emplace(key, VectorClock(ctx_.node_count(), 0)).first;
    return it->second;
  }

  VectorClock session_of(const Request& request) const {
    VectorClock seen(ctx_.node_count(), 0);
    if (!request.session) return seen;
    if (auto* s = payload_as<CausalSession>(*request.session))
      for (std::size_t i = 0; i < seen.size() && i < s->seen.size(); ++i) seen[i] = s->seen[i];
    return seen;
  }

  static PayloadPtr session_token(VectorClock seen) {
    auto s = std::make_shared<CausalSession>();
    s->seen = std::move(seen);
    return s;
  }

  // "n1.3, n2.1": for each origin, the latest needed update not applied here.
  std::string missing(const VectorClock& need) const {
    std::string out;
    for (NodeId n = 0; n < need.size(); ++n) {
      if (applied_[n] >= need[n]) continue;
      if (!out.empty()) out += ", ";
      out += std::string(ctx_.node_name(n)) + "." + std::to_string(need[n]);
    }
    return out;
  }

  std::string describe(const Update& u) const {
    return "update " + std::string(ctx_.node_name(u.origin)) + "." + std::to_string(u.seq) +
           " key " + std::to_string(u.key);
  }

  const CausalCrdtConfig config_;
  Context& ctx_;
  // Durable.
  CrdtStore store_;
  VectorClock applied_;
  std::map<Key, VectorClock> seen_;
  RetryQueue outbox_;
  // Volatile.
  std::map<std::pair<NodeId, std::uint64_t>, Buffered> buffered_;
  std::map<std::uint64_t, Waiting> waiting_;
  std::uint64_t next_wait_id_ = 1;
};

}  // namespace

std::shared_ptr<const ModelConfig> parse_causal_store_params(const JsonReader& params,
                                                             const ModelScenario& scenario) {
  if (scenario.workload != WorkloadType::Set && scenario.workload != WorkloadType::Counter)
    return parse_causal_params(params, scenario);
  params.allow_only(
      {"session_wait_timeout", "retry_initial", "retry_max", "timestamps", "set", "counter"});
  if (params.has("timestamps"))
    params.fail_at("timestamps",
                   "stamps order register writes; the keys of a " +
                       std::string(workload_type_name(scenario.workload)) +
                       " workload are CRDTs, which merge by their own rule (\"set\", \"counter\")");
  auto c = std::make_shared<CausalCrdtConfig>();
  c->session_wait_timeout =
      positive_duration_param(params, "session_wait_timeout", c->session_wait_timeout);
  read_retry_params(params, c->retry_initial, c->retry_max);
  c->crdt = crdt_params(params, scenario);
  return c;
}

std::unique_ptr<Replica> make_causal_store(const ModelConfig& config, Context& ctx) {
  if (auto* c = dynamic_cast<const CausalCrdtConfig*>(&config))
    return std::make_unique<CausalCrdtReplica>(*c, ctx);
  return make_causal(config, ctx);
}

}  // namespace consim
