// The causal store model (causal+convergent): every write carries the
// causal context it depends on; a replica applies a remote write only after
// everything that write depends on; clients carry their context in a
// session token so a client that switches nodes never goes back in time.
//
//   write(k, v) at node N, session context S:
//     wait until N has applied S (at most session_wait_timeout, else fail)
//     w := (origin N, seq applied[N]+1, stamp, k, v, deps S); apply w
//     stamp := max(lamport+1, local clock) with timestamps "hybrid" (the
//     default), lamport+1 with timestamps "lamport"
//     reply ok with session S ∪ {N: seq}; replicate w to every peer as in
//     eventual-async (resent with backoff until acknowledged)
//   on replicate(w): if w is the next write of its origin and every dep is
//     applied here, apply it and acknowledge, then release any buffered
//     write that has become applicable; otherwise buffer it (noted "buffered"
//     and, later, "released"); acknowledge only once applied
//   read(k) with session S: wait until N has applied S, then reply every
//     version of k held here (siblings), with session S joined with each
//     version's (origin, seq) and deps: the session stays closed under
//     dependencies
//   cas(k, e, v) with session S: wait as a read; if N holds exactly one
//     version of k and it is e, write(k, v) as above, else reply ok, not
//     matched, as a read of the value found would
//
// A replica's `applied` vector clock counts, per origin, the writes it has
// applied; they are applied in origin order, so applied[o] = 3 means o's
// writes 1..3 and, transitively, all their dependencies. A session context
// is the same kind of vector. Example: client c wrote x=1 at n1 (write n1.1)
// and gets session {n1:1}; it then reads y at n2. n2 has applied nothing
// from n1, so the read waits until replicate(n1.1) arrives and is applied;
// only then does c see y, never a state that lacks its own write.
//
// Convergence: conflict "version-vectors" (the default) keeps concurrent
// writes of a key as siblings; conflict "lww" keeps the one with the larger
// (stamp, origin). causal_versions.h has the rules and examples. The default
// "hybrid" stamp (a hybrid logical clock in ns) also follows the local
// clocks, so with clocks in step a write made after another completed wins
// over it under lww; under clock skew an older write can win, and a client
// then reads a value older than its own write (which no single-value store
// can avoid).
//
// Delivery (the applied vector, buffering, session waits, the retry queue)
// is causal_delivery.h's, shared with the set and counter replica
// (causal_crdt.cc).
//
// Durable: the store (with each key's covered vector), the applied vector,
// the lamport clock and the retry queue of this node's own writes (always:
// a write lost from it would leave a gap in its origin's sequence and block
// every later write from that origin forever). Volatile: buffered remote
// writes (their senders keep resending until they are applied) and
// requests waiting on a session.
#include "models/causal.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "models/causal_delivery.h"
#include "models/causal_versions.h"
#include "models/model_support.h"

namespace consim {
namespace {

using causal::CausalWrite;
using causal::VectorClock;
using causal::Version;
using causal::Versions;

struct CausalConfig : ModelConfig {
  Time session_wait_timeout = 500 * kMillisecond;
  Time retry_initial = 50 * kMillisecond;
  Time retry_max = 2 * kSecond;
  bool hybrid_stamps = true;  // "timestamps": "hybrid" (true) or "lamport"
  bool siblings = true;       // "conflict": "version-vectors" (true) or "lww"

  nlohmann::json to_json() const override {
    return {{"session_wait_timeout", format_duration(session_wait_timeout)},
            {"retry_initial", format_duration(retry_initial)},
            {"retry_max", format_duration(retry_max)},
            {"timestamps", hybrid_stamps ? "hybrid" : "lamport"},
            {"conflict", siblings ? "version-vectors" : "lww"}};
  }
};

class CausalReplica : public causal::DeliveringReplica<CausalReplica, CausalWrite> {
 public:
  CausalReplica(const CausalConfig& config, Context& ctx)
      : DeliveringReplica(
            *this, ctx,
            {config.session_wait_timeout, config.retry_initial, config.retry_max, "write"}),
        config_(config),
        ctx_(ctx),
        store_(ctx, config.siblings) {}

 private:
  friend Delivery;

  // ---- client requests (the delivery calls serve once `seen` is applied) ----

  void serve(const Request& request, VectorClock seen) {
    // A cas compares with this replica's value (not linearizable: two
    // replicas can both match and both write); a miss (or siblings, which
    // never match) answers like a read.
    const Versions* held = store_.find(request.key);
    bool miss = request.type == OpType::Cas &&
                (!held || held->size() != 1 || held->front().value != request.expected);
    if (request.type != OpType::Read && !miss) return write(request, std::move(seen));
    Reply reply = miss ? Reply::cas_miss(std::nullopt) : Reply::ok();
    if (held) {
      reply.value = held->front().value;
      if (held->size() > 1 && !miss)
        for (const Version& v : *held) reply.siblings.push_back(v.value);
      // The client has now seen every sibling (a cas miss: the value found)
      // and, through it, everything its writer had seen: the session stays
      // closed under dependencies, so a write's deps name every write that
      // causally precedes it (version-vectors supersedes by them).
      for (const Version& v : *held) {
        see(seen, v);
        if (miss) break;
      }
    }
    reply.session = Delivery::session_token(std::move(seen));
    ctx_.reply(request, std::move(reply));
  }

  // A client write (or matched cas) with session `seen`: its dependencies.
  void write(const Request& request, VectorClock seen) {
    CausalWrite w{ctx_.self(), 0, next_stamp(), request.key, request.value, seen, {}};
    if (config_.siblings) w.seen_at_origin = delivery_.applied();
    w.seq = delivery_.next_own_seq();
    apply(w);
    seen[w.origin] = w.seq;
    Reply reply = Reply::ok();
    reply.session = Delivery::session_token(std::move(seen));
    ctx_.reply(request, std::move(reply));
    delivery_.replicate(std::move(w));
  }

  static void see(VectorClock& seen, const Version& v) {
    for (std::size_t n = 0; n < v.deps.size(); ++n) seen[n] = std::max(seen[n], v.deps[n]);
    seen[v.origin] = std::max(seen[v.origin], v.seq);
  }

  // Greater than every stamp applied here; with hybrid stamps also at least
  // the local clock (in ns; a clock before the epoch counts as 0).
  std::uint64_t next_stamp() const {
    std::uint64_t stamp = lamport_ + 1;
    Time clock = ctx_.local_clock();
    if (config_.hybrid_stamps && clock > 0)
      stamp = std::max(stamp, static_cast<std::uint64_t>(clock));
    return stamp;
  }

  // Make w (counted in the applied vector already) visible.
  void apply(const CausalWrite& w) {
    lamport_ = std::max(lamport_, w.stamp);
    store_.apply(w);
  }

  const CausalConfig config_;
  Context& ctx_;
  // Durable, with the delivery's applied vector and retry queue.
  causal::VersionStore store_;
  std::uint64_t lamport_ = 0;  // the highest stamp applied here
};

}  // namespace

std::shared_ptr<const ModelConfig> parse_causal_params(const JsonReader& params,
                                                       const ModelScenario& /*scenario*/) {
  params.allow_only(
      {"session_wait_timeout", "retry_initial", "retry_max", "timestamps", "conflict"});
  auto c = std::make_shared<CausalConfig>();
  if (params.has("conflict")) {
    std::string kind = params.string("conflict");
    if (kind != "version-vectors" && kind != "lww")
      params.fail_at("conflict",
                     "unknown conflict \"" + kind + "\"; valid: version-vectors or lww");
    c->siblings = kind == "version-vectors";
  }
  if (params.has("timestamps")) {
    std::string kind = params.string("timestamps");
    if (kind != "hybrid" && kind != "lamport")
      params.fail_at("timestamps", "unknown timestamps \"" + kind + "\"; valid: hybrid or lamport");
    c->hybrid_stamps = kind == "hybrid";
  }
  c->session_wait_timeout =
      positive_duration_param(params, "session_wait_timeout", c->session_wait_timeout);
  read_retry_params(params, c->retry_initial, c->retry_max);
  return c;
}

std::unique_ptr<Replica> make_causal(const ModelConfig& config, Context& ctx) {
  return std::make_unique<CausalReplica>(dynamic_cast<const CausalConfig&>(config), ctx);
}

}  // namespace consim
