// The eventual-async store model: a write is applied where it lands and
// acknowledged at once, then replicated to every peer in the background;
// replicas converge by last-writer-wins.
//
//   write(k, v) at node N:
//     version := (local_clock(), N, next write seq); apply it; reply ok
//     for each peer: queue replicate(k, v, version), resent with backoff
//       (retry_initial, doubling, capped at retry_max) until acknowledged
//   on replicate(k, v, version): apply it if version is newer; acknowledge
//   on replicate-ack: drop that entry from the retry queue
//   read(k): reply the local value
//
// "Newer" is last-writer-wins on (timestamp, node id, write seq); the seq
// only breaks a tie between two writes of one node in one clock tick.
// Timestamps come from each node's own clock, so a node whose clock is
// behind loses: if n2 (clock 900ms) writes x=5 after n1 (clock 1000ms)
// wrote x=4, every replica ends with x=4, and n2's own write is
// acknowledged yet never visible, not even on n2 (noted "lww-hidden").
//
// Durable: the store with its versions, the write counter, and, when
// durable_outbox is true (the default), the retry queue. With
// durable_outbox false a crash loses every write not yet acknowledged by
// its peers: the crashed node keeps it, the others may never see it.
#include "models/eventual_async.h"

#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "models/model_support.h"
#include "models/retry_queue.h"

namespace consim {
namespace {

struct EventualAsyncConfig : ModelConfig {
  Time retry_initial = 50 * kMillisecond;
  Time retry_max = 2 * kSecond;
  bool durable_outbox = true;

  nlohmann::json to_json() const override {
    return {{"retry_initial", format_duration(retry_initial)},
            {"retry_max", format_duration(retry_max)},
            {"durable_outbox", durable_outbox}};
  }
};

struct Version {
  Time timestamp = 0;
  NodeId origin = 0;
  std::uint64_t seq = 0;
  Value value = 0;
  bool newer_than(const Version& o) const {
    return std::tie(timestamp, origin, seq) > std::tie(o.timestamp, o.origin, o.seq);
  }
};

struct Replicate : Payload {
  Key key = 0;
  Version version;
  std::string_view type() const override { return "replicate"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + 4 + 8 + 8; }
};

struct ReplicateAck : Payload {
  NodeId origin = 0;
  std::uint64_t seq = 0;
  std::string_view type() const override { return "replicate-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 4 + 8; }
};

enum TimerKind : std::uint8_t { kReplicateRetry = 1 };

class EventualAsyncReplica : public Replica {
 public:
  EventualAsyncReplica(const EventualAsyncConfig& config, Context& ctx)
      : config_(config),
        ctx_(ctx),
        outbox_(ctx, config.retry_initial, config.retry_max, kReplicateRetry) {}

  void on_request(const Request& request) override {
    if (request.type == OpType::Read) return ctx_.reply(request, Reply::ok(value_of(request.key)));
    Version v{ctx_.local_clock(), ctx_.self(), next_seq_++, request.value};
    if (!apply(request.key, v))
      ctx_.note("lww-hidden", "write of " + std::to_string(v.value) + " to key " +
                                  std::to_string(request.key) + " is older than the value here");
    ctx_.reply(request, Reply::ok());
    auto msg = std::make_shared<Replicate>();
    msg->key = request.key;
    msg->version = v;
    for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
      if (peer != ctx_.self()) outbox_.send(peer, v.seq, msg);
  }

  void on_message(NodeId from, const Payload& message) override {
    if (auto* r = payload_as<Replicate>(message)) {
      apply(r->key, r->version);
      auto ack = std::make_shared<ReplicateAck>();
      ack->origin = r->version.origin;
      ack->seq = r->version.seq;
      ctx_.send(from, ack);
    } else if (auto* a = payload_as<ReplicateAck>(message)) {
      if (a->origin == ctx_.self()) outbox_.acknowledged(from, a->seq);
    }
    outbox_.heard_from(from);  // the link works again: resend what is overdue
  }

  void on_timer(std::uint64_t tag) override {
    if (outbox_.owns_timer(tag)) outbox_.on_timer(tag);
  }

  void on_crash() override { outbox_.on_crash(config_.durable_outbox); }
  void on_recover() override { outbox_.on_recover(); }

 private:
  // Last-writer-wins: keep `v` if it is newer than what is stored. Returns
  // whether it became the visible value.
  bool apply(Key key, const Version& v) {
    auto it = store_.find(key);
    if (it != store_.end() && !v.newer_than(it->second)) return false;
    store_[key] = v;
    ctx_.applied(key, v.value);
    return true;
  }

  std::optional<Value> value_of(Key key) const {
    auto it = store_.find(key);
    if (it == store_.end()) return std::nullopt;
    return it->second.value;
  }

  const EventualAsyncConfig config_;
  Context& ctx_;
  // Durable.
  std::map<Key, Version> store_;
  std::uint64_t next_seq_ = 1;
  // Durable if config_.durable_outbox.
  RetryQueue outbox_;
};

}  // namespace

std::shared_ptr<const ModelConfig> parse_eventual_async_params(const JsonReader& params,
                                                               const ModelScenario& /*scenario*/) {
  params.allow_only({"retry_initial", "retry_max", "durable_outbox"});
  auto c = std::make_shared<EventualAsyncConfig>();
  read_retry_params(params, c->retry_initial, c->retry_max);
  c->durable_outbox = boolean_param(params, "durable_outbox", c->durable_outbox);
  return c;
}

std::unique_ptr<Replica> make_eventual_async(const ModelConfig& config, Context& ctx) {
  return std::make_unique<EventualAsyncReplica>(dynamic_cast<const EventualAsyncConfig&>(config),
                                                ctx);
}

}  // namespace consim
