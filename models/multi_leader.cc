// The multi-leader store model (master-master, active-active): one leader
// per region of the topology takes its region's writes, applies them at
// once and replicates them asynchronously to its region's followers and to
// the other regions' leaders; concurrent writes in different regions are
// resolved by the "conflict" strategy (models/conflict.h).
//
//   regions: the scenario's network.topology.regions, each led by its
//     first node; without regions every node is a region of its own (and a
//     leader: the model then behaves as eventual-async)
//   write(k, v) or cas at a follower: redirect to its region's leader
//   write(k, v) at leader L, client context C (its session):
//     seq := next write seq; d := L:seq (lww), else L:(L's next counter
//       for k); apply write(k, v, dot d, stamp (local_clock(), L, seq),
//       context C) locally; reply ok, context C + d
//     queue replicate(k, state) to each follower of L's region and to each
//       other region's leader, resent with backoff (retry_initial,
//       doubling, capped at retry_max) until acknowledged
//   on replicate(k, state) at a leader, from another region's leader:
//     merge it; acknowledge; queue it on to this region's followers
//   on replicate(k, state) at a follower: merge it; acknowledge
//   read(k) anywhere: the local value(s) (with version-vectors or
//     mv-register: every sibling and their context, kept in the session)
//
// Example: regions eu {n1, n2} and us {n3, n4}, leaders n1 and n3. A WAN
// cut separates them; clients write x=1 at n1 and x=2 at n3, both
// acknowledged at once. Reads in eu return 1, in us 2. After the heal the
// leaders exchange their writes: with lww the later clock wins everywhere
// and the other write is noted "lww-overwrote" at its leader; with
// version-vectors or mv-register every node ends with siblings [1, 2] until
// a client writes with the context of a read that returned both.
//
// Sets and counters (workload.type "set" or "counter"): every key holds a
// CRDT (models/crdt_store.h, parameters "set" and "counter"); adds,
// removes and incrs go to the region's leader like writes, and the key's
// whole state travels the same paths as a write's and is merged on
// receipt.
//
// No failover: a crashed leader's region takes no writes until it recovers
// (its followers keep redirecting to it). Durable: the store, the write
// counter and the retry queue.
#include "models/multi_leader.h"

#include <nlohmann/json.hpp>

#include "base/json_input.h"
#include "models/conflict_store.h"
#include "models/crdt_store.h"
#include "models/model_support.h"
#include "models/retry_queue.h"

namespace consim {
namespace {

struct MultiLeaderConfig : ModelConfig {
  Time retry_initial = 50 * kMillisecond;
  Time retry_max = 2 * kSecond;
  conflict::Strategy conflict = conflict::Strategy::Lww;
  std::vector<NodeId> leader_of;  // per node, its region's leader
  CrdtParams crdt;                // sets and counters

  nlohmann::json to_json() const override {
    nlohmann::json j = {{"retry_initial", format_duration(retry_initial)},
                        {"retry_max", format_duration(retry_max)},
                        {"conflict", std::string(conflict::strategy_name(conflict))}};
    crdt.to_json(j);
    return j;
  }
};

struct Replicate : Payload {
  conflict::Strategy strategy = conflict::Strategy::Lww;
  Key key = 0;
  std::uint64_t entry = 0;  // the sender's retry-queue id, echoed by the ack
  conflict::KeyState state;
  conflict::CausalContext vv;  // the state's causal context (not lww), for the trace
  std::string_view type() const override { return "replicate"; }
  std::size_t size_bytes() const override {
    return kEnvelopeBytes + 8 + 8 + conflict::wire_bytes(strategy, state);
  }
  const VersionVector* trace_vv() const override {
    return strategy == conflict::Strategy::Lww ? nullptr : &vv.vv;
  }
  const DotSet* trace_dots() const override { return &vv.dots; }
};

struct ReplicateAck : Payload {
  std::uint64_t entry = 0;
  std::string_view type() const override { return "replicate-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8; }
};

enum TimerKind : std::uint8_t { kReplicateRetry = 1 };

class MultiLeaderReplica : public Replica {
 public:
  MultiLeaderReplica(const MultiLeaderConfig& config, Context& ctx)
      : config_(config),
        ctx_(ctx),
        store_(config.conflict, ctx),
        crdts_(config.crdt, ctx),
        outbox_(ctx, config.retry_initial, config.retry_max, kReplicateRetry) {}

  void on_request(const Request& request) override {
    if (crdts_.handles()) return crdt_request(request);
    if (request.type == OpType::Read) return ctx_.reply(request, store_.read(request));
    if (!is_leader()) return ctx_.reply(request, Reply::redirect(my_leader()));
    if (request.type == OpType::Cas && !store_.cas_matches(request.key, request.expected))
      return ctx_.reply(request, store_.cas_miss(request));
    ConflictStore::Written written = store_.write(request, next_seq_++);
    ctx_.reply(request, std::move(written.reply));
    auto msg = replicate(request.key, std::move(written.ship));
    for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
      if (peer != ctx_.self() && (my_follower(peer) || other_leader(peer))) queue(peer, msg);
  }

  void on_message(NodeId from, const Payload& message) override {
    if (auto* c = payload_as<CrdtReplicate>(message)) {
      bool changed = crdts_.merge(c->key, *c->value);
      auto ack = std::make_shared<ReplicateAck>();
      ack->entry = c->seq;
      ctx_.send(from, ack);
      if (changed && is_leader() && other_leader(from)) ship_crdt(c->key, true);
    } else if (auto* r = payload_as<Replicate>(message)) {
      store_.merge(r->key, r->state);
      auto ack = std::make_shared<ReplicateAck>();
      ack->entry = r->entry;
      ctx_.send(from, ack);
      if (is_leader() && other_leader(from)) relay_to_followers(*r);
    } else if (auto* a = payload_as<ReplicateAck>(message)) {
      outbox_.acknowledged(from, a->entry);
    }
    outbox_.heard_from(from);  // the link works again: resend what is overdue
  }

  void on_timer(std::uint64_t tag) override {
    if (outbox_.owns_timer(tag)) outbox_.on_timer(tag);
  }

  void on_crash() override { outbox_.on_crash(true); }
  void on_recover() override { outbox_.on_recover(); }

 private:
  // Sets and counters: reads anywhere, updates at the region's leader.
  void crdt_request(const Request& request) {
    if (request.type != OpType::Read && !is_leader())
      return ctx_.reply(request, Reply::redirect(my_leader()));
    bool changed = false;
    Reply reply = crdts_.apply(request, changed);
    ctx_.reply(request, std::move(reply));
    if (changed) ship_crdt(request.key, false);
  }

  // The key's state to this region's followers, and (unless relaying a
  // remote leader's state) to the other regions' leaders.
  void ship_crdt(Key key, bool relay) {
    for (NodeId peer = 0; peer < ctx_.node_count(); ++peer) {
      if (peer == ctx_.self() || !(my_follower(peer) || (!relay && other_leader(peer)))) continue;
      std::uint64_t entry = next_entry_++;
      outbox_.send(peer, entry, crdt_replicate(crdts_, key, entry));
    }
  }

  NodeId my_leader() const { return config_.leader_of[ctx_.self()]; }
  bool is_leader() const { return my_leader() == ctx_.self(); }
  bool my_follower(NodeId n) const {
    return config_.leader_of[n] == ctx_.self() && n != ctx_.self();
  }
  bool other_leader(NodeId n) const { return config_.leader_of[n] == n && n != my_leader(); }

  std::shared_ptr<Replicate> replicate(Key key, conflict::KeyState state) {
    auto msg = std::make_shared<Replicate>();
    msg->strategy = config_.conflict;
    msg->key = key;
    msg->state = std::move(state);
    if (config_.conflict != conflict::Strategy::Lww) msg->vv = msg->state.causal_context();
    return msg;
  }

  // Each queued message gets its own entry id (the ack names it).
  void queue(NodeId peer, const std::shared_ptr<Replicate>& msg) {
    auto copy = std::make_shared<Replicate>(*msg);
    copy->entry = next_entry_++;
    outbox_.send(peer, copy->entry, copy);
  }

  // The remote write as it came (lww: the one version; otherwise that
  // leader's state of the key), so followers see exactly what the leader
  // merged.
  void relay_to_followers(const Replicate& r) {
    auto msg = replicate(r.key, r.state);
    for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
      if (my_follower(peer)) queue(peer, msg);
  }

  const MultiLeaderConfig config_;
  Context& ctx_;
  // Durable.
  ConflictStore store_;
  CrdtStore crdts_;  // sets and counters; unused for registers
  std::uint64_t next_seq_ = 1;
  std::uint64_t next_entry_ = 1;
  RetryQueue outbox_;
};

}  // namespace

std::shared_ptr<const ModelConfig> parse_multi_leader_params(const JsonReader& params,
                                                             const ModelScenario& scenario) {
  params.allow_only({"retry_initial", "retry_max", "conflict", "set", "counter"});
  auto c = std::make_shared<MultiLeaderConfig>();
  read_retry_params(params, c->retry_initial, c->retry_max);
  c->conflict = conflict::strategy_param(params);
  c->crdt = crdt_params(params, scenario);
  c->leader_of.resize(scenario.node_count());
  for (NodeId n = 0; n < scenario.node_count(); ++n) c->leader_of[n] = n;
  for (const auto& region : scenario.regions) {
    if (region.empty()) continue;
    for (NodeId n : region) c->leader_of[n] = region.front();
  }
  return c;
}

std::unique_ptr<Replica> make_multi_leader(const ModelConfig& config, Context& ctx) {
  return std::make_unique<MultiLeaderReplica>(dynamic_cast<const MultiLeaderConfig&>(config), ctx);
}

}  // namespace consim
