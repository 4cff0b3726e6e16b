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
// causal delivery decides only when an update becomes visible. That
// delivery (the applied vector, buffering, session waits, the retry queue)
// is models/causal_delivery.h's, shared with the register replica.
//
// Durable: the states, the applied vector, seen[k], the retry queue of this
// node's own updates (an update lost from it would block its origin's later
// updates everywhere). Volatile: buffered remote updates (their senders
// resend) and requests waiting on a session.
#include "models/causal_crdt.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "models/causal.h"
#include "models/causal_delivery.h"
#include "models/crdt_store.h"
#include "models/model_support.h"

namespace consim {
namespace {

using causal::VectorClock;  // [origin] = updates covered

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

struct Update {
  NodeId origin = 0;
  std::uint64_t seq = 0;  // this origin's seq-th update
  Key key = 0;
  std::shared_ptr<const CrdtValue> state;  // the key's state after the update, at the origin
  std::size_t bytes = 0;                   // CrdtStore::wire_bytes(*state)
  VectorClock deps;                        // the updater's session context

  std::size_t wire_bytes() const { return 4 + 8 + 8 + bytes + 8 * deps.size(); }
};

class CausalCrdtReplica : public causal::DeliveringReplica<CausalCrdtReplica, Update> {
 public:
  CausalCrdtReplica(const CausalCrdtConfig& config, Context& ctx)
      : DeliveringReplica(
            *this, ctx,
            {config.session_wait_timeout, config.retry_initial, config.retry_max, "update"}),
        ctx_(ctx),
        store_(config.crdt, ctx) {}

 private:
  friend Delivery;

  // The delivery calls serve once `seen` is applied here.
  void serve(const Request& request, VectorClock seen) {
    bool changed = false;
    Reply reply = store_.apply(request, changed);
    if (reply.outcome != Reply::Outcome::Ok) return ctx_.reply(request, std::move(reply));
    VectorClock& key_seen = seen_of(request.key);
    if (request.type != OpType::Read && changed) {
      Update u;
      u.origin = ctx_.self();
      u.seq = delivery_.next_own_seq();
      u.key = request.key;
      u.state = std::make_shared<const CrdtValue>(store_.state(request.key));
      u.bytes = CrdtStore::wire_bytes(*u.state);
      // The state shipped holds every update of the key applied here, so
      // the update depends on them too, not only on what its client saw.
      u.deps = seen;
      for (NodeId n = 0; n < seen.size(); ++n) u.deps[n] = std::max(seen[n], key_seen[n]);
      key_seen[u.origin] = u.seq;
      delivery_.replicate(std::move(u));
    }
    for (NodeId n = 0; n < seen.size(); ++n) seen[n] = std::max(seen[n], key_seen[n]);
    reply.session = Delivery::session_token(std::move(seen));
    ctx_.reply(request, std::move(reply));
  }

  // A remote update, counted in the applied vector already.
  void apply(const Update& u) {
    seen_of(u.key)[u.origin] = u.seq;
    store_.merge(u.key, *u.state);
  }

  VectorClock& seen_of(Key key) {
    auto it = seen_.find(key);
    if (it == seen_.end()) it = seen_.emplace(key, VectorClock(ctx_.node_count(), 0)).first;
    return it->second;
  }

  Context& ctx_;
  // Durable, with the delivery's applied vector and retry queue.
  CrdtStore store_;
  std::map<Key, VectorClock> seen_;
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
