// The eventual-async store model: a write is applied where it lands and
// acknowledged at once, then replicated to every peer in the background;
// replicas converge by the chosen conflict resolution (models/conflict.h).
//
//   write(k, v) at node N, client context C (its session):
//     seq := next write seq; d := N:seq (lww), else N:(N's next counter
//       for k); apply write(k, v, dot d, stamp (local_clock(), N, seq),
//       context C) to the local state of k; reply ok, context C + d
//     for each peer: queue replicate(k, state), resent with backoff
//       (retry_initial, doubling, capped at retry_max) until acknowledged
//   on replicate(k, state): merge it into the local state of k; acknowledge
//   on replicate-ack: drop that entry from the retry queue
//   read(k): reply the local value(s) (with "version-vectors" and
//     "mv-register": every sibling and their context, kept in the session)
//
// "conflict": "lww" (the default) ships the one version written and keeps
// the newer on (timestamp, node id, write seq); the seq only breaks a tie
// between two writes of one node in one clock tick. Timestamps come from
// each node's own clock, so a node whose clock is behind loses: if n2
// (clock 900ms) writes x=5 after n1 (clock 1000ms) wrote x=4, every replica
// ends with x=4, and n2's own write is acknowledged yet never visible, not
// even on n2 (noted "lww-hidden"); a write replaced at its origin by one
// whose writer had not seen it is noted "lww-overwrote". "version-vectors"
// and "mv-register" ship the key's whole state (every sibling) and merge it:
// concurrent writes stay as siblings until a write carrying a context that
// covers them supersedes them.
//
// "anti_entropy" (default "off"; a duration: the interval): each replica
// also compares its keys with one peer per interval by Merkle trees and both
// ship the states of the keys that differ (models/anti_entropy.h), which
// repairs what the retry queue cannot (durable_outbox false, a crash).
//
// Sets and counters (workload.type "set" or "counter"): every key holds a
// CRDT (models/crdt_store.h, parameters "set" and "counter"); an add,
// remove or incr is applied where it lands and acknowledged at once, and the
// key's whole state is replicated the same way (retried until acknowledged)
// and merged on receipt; anti-entropy compares and ships the same states.
//
// Durable: the store with its versions, the write counter, and, when
// durable_outbox is true (the default), the retry queue. With
// durable_outbox false a crash loses every write not yet acknowledged by
// its peers: the crashed node keeps it, the others may never see it.
#include "models/eventual_async.h"

#include <nlohmann/json.hpp>

#include "models/anti_entropy_conflict.h"
#include "models/conflict_store.h"
#include "models/crdt_store.h"
#include "models/model_support.h"
#include "models/retry_queue.h"

namespace consim {
namespace {

struct EventualAsyncConfig : ModelConfig {
  Time retry_initial = 50 * kMillisecond;
  Time retry_max = 2 * kSecond;
  bool durable_outbox = true;
  conflict::Strategy conflict = conflict::Strategy::Lww;
  std::optional<Time> anti_entropy;  // the interval; nullopt: off
  CrdtParams crdt;                   // sets and counters

  nlohmann::json to_json() const override {
    nlohmann::json j = {{"retry_initial", format_duration(retry_initial)},
                        {"retry_max", format_duration(retry_max)},
                        {"durable_outbox", durable_outbox},
                        {"conflict", std::string(conflict::strategy_name(conflict))}};
    // Written only when on, so traces without anti-entropy keep their bytes.
    if (anti_entropy) j["anti_entropy"] = anti_entropy_param_text(anti_entropy);
    crdt.to_json(j);
    return j;
  }
};

struct Replicate : Payload {
  conflict::Strategy strategy = conflict::Strategy::Lww;
  Key key = 0;
  std::uint64_t seq = 0;  // the origin's write seq: the retry queue's id
  conflict::KeyState state;
  conflict::CausalContext vv;  // the state's causal context (not lww), for the trace
  std::string_view type() const override { return "replicate"; }
  std::size_t size_bytes() const override {
    // lww: key, timestamp, origin, seq, value (its ghost context is not sent).
    if (strategy == conflict::Strategy::Lww) return kEnvelopeBytes + 8 + 8 + 4 + 8 + 8;
    return kEnvelopeBytes + 8 + 8 + conflict::wire_bytes(strategy, state);
  }
  const VersionVector* trace_vv() const override {
    return strategy == conflict::Strategy::Lww ? nullptr : &vv.vv;
  }
  const DotSet* trace_dots() const override { return &vv.dots; }
};

struct ReplicateAck : Payload {
  NodeId origin = 0;
  std::uint64_t seq = 0;
  std::string_view type() const override { return "replicate-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 4 + 8; }
};

enum TimerKind : std::uint8_t { kReplicateRetry = 1, kAntiEntropy = 2 };

class EventualAsyncReplica : public Replica, private AntiEntropyHost {
 public:
  EventualAsyncReplica(const EventualAsyncConfig& config, Context& ctx)
      : config_(config),
        ctx_(ctx),
        store_(config.conflict, ctx),
        crdts_(config.crdt, ctx),
        outbox_(ctx, config.retry_initial, config.retry_max, kReplicateRetry) {
    if (!config.anti_entropy) return;
    anti_entropy_.emplace(static_cast<AntiEntropyHost&>(*this), ctx,
                          AntiEntropyConfig{*config.anti_entropy}, kAntiEntropy);
    anti_entropy_->start();
  }

  void on_request(const Request& request) override {
    if (crdts_.handles()) return crdt_request(request);
    if (request.type == OpType::Read) return ctx_.reply(request, store_.read(request));
    // A cas compares with this replica's value only: not linearizable (two
    // replicas can both see the expected value and both write).
    if (request.type == OpType::Cas && !store_.cas_matches(request.key, request.expected))
      return ctx_.reply(request, store_.cas_miss(request));
    std::uint64_t seq = next_seq_++;
    ConflictStore::Written written = store_.write(request, seq);
    changed(request.key);
    ctx_.reply(request, std::move(written.reply));
    auto msg = std::make_shared<Replicate>();
    msg->strategy = config_.conflict;
    msg->key = request.key;
    msg->seq = seq;
    msg->state = std::move(written.ship);
    if (config_.conflict != conflict::Strategy::Lww) msg->vv = msg->state.causal_context();
    for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
      if (peer != ctx_.self()) outbox_.send(peer, seq, msg);
  }

  void on_message(NodeId from, const Payload& message) override {
    if (anti_entropy_ && anti_entropy_->on_message(from, message)) {
    } else if (auto* c = payload_as<CrdtReplicate>(message)) {
      if (crdts_.merge(c->key, *c->value)) changed(c->key);
      auto ack = std::make_shared<ReplicateAck>();
      ack->origin = from;
      ack->seq = c->seq;
      ctx_.send(from, ack);
    } else if (auto* r = payload_as<Replicate>(message)) {
      store_.merge(r->key, r->state);
      changed(r->key);
      auto ack = std::make_shared<ReplicateAck>();
      ack->origin = from;
      ack->seq = r->seq;
      ctx_.send(from, ack);
    } else if (auto* a = payload_as<ReplicateAck>(message)) {
      if (a->origin == ctx_.self()) outbox_.acknowledged(from, a->seq);
    }
    outbox_.heard_from(from);  // the link works again: resend what is overdue
  }

  void on_timer(std::uint64_t tag) override {
    if (outbox_.owns_timer(tag)) outbox_.on_timer(tag);
    if (anti_entropy_ && anti_entropy_->owns_timer(tag)) anti_entropy_->on_timer(tag);
  }

  void on_crash() override { outbox_.on_crash(config_.durable_outbox); }
  void on_recover() override {
    outbox_.on_recover();
    if (anti_entropy_) anti_entropy_->on_recover();
  }

 private:
  // An add, remove, incr or read of a set or counter: applied here, the
  // key's state shipped to every peer.
  void crdt_request(const Request& request) {
    bool changed_here = false;
    Reply reply = crdts_.apply(request, changed_here);
    ctx_.reply(request, std::move(reply));
    if (!changed_here) return;
    changed(request.key);
    std::uint64_t seq = next_seq_++;
    auto msg = crdt_replicate(crdts_, request.key, seq);
    for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
      if (peer != ctx_.self()) outbox_.send(peer, seq, msg);
  }

  // Anti-entropy's view of the store: every peer holds every key.
  void changed(Key key) {
    if (!anti_entropy_) return;
    if (crdts_.handles()) return anti_entropy_->key_changed(key, crdts_.digest(key));
    anti_entropy_->key_changed(key, conflict_digest(config_.conflict, store_.state(key)));
  }
  std::vector<NodeId> anti_entropy_peers() const override {
    std::vector<NodeId> peers;
    for (NodeId p = 0; p < ctx_.node_count(); ++p)
      if (p != ctx_.self()) peers.push_back(p);
    return peers;
  }
  bool shares_key(NodeId, Key) const override { return true; }
  KeyVersionsPtr key_versions(Key key) override {
    if (crdts_.handles()) return std::make_shared<CrdtVersions>(crdts_.state(key));
    return std::make_shared<ConflictVersions>(config_.conflict, store_.state(key));
  }
  void merge_key_versions(Key key, const KeyVersions& versions) override {
    if (crdts_.handles()) {
      if (crdts_.merge(key, dynamic_cast<const CrdtVersions&>(versions).value)) changed(key);
      return;
    }
    store_.merge(key, dynamic_cast<const ConflictVersions&>(versions).state);
    changed(key);
  }

  const EventualAsyncConfig config_;
  Context& ctx_;
  // Durable.
  ConflictStore store_;
  CrdtStore crdts_;  // sets and counters; unused for registers
  std::uint64_t next_seq_ = 1;
  // Durable if config_.durable_outbox.
  RetryQueue outbox_;
  std::optional<AntiEntropy> anti_entropy_;  // its trees are durable, as the store
};

}  // namespace

std::shared_ptr<const ModelConfig> parse_eventual_async_params(const JsonReader& params,
                                                               const ModelScenario& scenario) {
  params.allow_only({"retry_initial", "retry_max", "durable_outbox", "conflict", "anti_entropy",
                     "set", "counter"});
  auto c = std::make_shared<EventualAsyncConfig>();
  read_retry_params(params, c->retry_initial, c->retry_max);
  c->durable_outbox = boolean_param(params, "durable_outbox", c->durable_outbox);
  c->conflict = conflict::strategy_param(params);
  c->anti_entropy = anti_entropy_param(params, "anti_entropy", std::nullopt);
  c->crdt = crdt_params(params, scenario);
  return c;
}

std::unique_ptr<Replica> make_eventual_async(const ModelConfig& config, Context& ctx) {
  return std::make_unique<EventualAsyncReplica>(dynamic_cast<const EventualAsyncConfig&>(config),
                                                ctx);
}

}  // namespace consim
