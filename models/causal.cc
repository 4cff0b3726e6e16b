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
// Convergence, conflict "version-vectors" (the default): a write carries
// what its origin had applied when it was made (seen_at_origin) and
// supersedes exactly those versions of its key; the others stay beside it
// as siblings. Example: n1 writes x=1 and n3 writes x=3 before either hears
// of the other: every replica ends with [1, 3]; a write of x at n2 after
// both arrived there supersedes both. A write happens after everything it
// supersedes, so no read ever returns something older, in real time, than
// the client's own write or an earlier read (docs/models.md, "causal").
//
// Convergence, conflict "lww": concurrent writes to one key are ordered by
// (stamp, origin node id) and the larger wins on every replica. A write's
// stamp exceeds that of everything its node had applied, so a write never
// loses to one it causally follows. Example (timestamps "lamport"): n1
// writes x=1 (stamp 1) and n2 writes x=2 (stamp 1) concurrently; every
// replica ends with x=2 (tie broken by node id n2 > n1). The default
// "hybrid" stamp (a hybrid logical clock in ns) also follows the local
// clocks, so with clocks in step a write made after another completed wins
// over it; under clock skew an older write can win, and a client then reads
// a value older than its own write (which no single-value store can avoid).
//
// Durable: the store (with each key's covered vector), the applied vector,
// the lamport clock and the retry
// queue of this node's own writes (always: a write lost from it would leave
// a gap in its origin's sequence and block every later write from that
// origin forever). Volatile: buffered remote writes (their senders keep
// resending until they are applied) and requests waiting on a session.
#include "models/causal.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "models/model_support.h"
#include "models/retry_queue.h"

namespace consim {
namespace {

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

// [origin] = how many of that origin's writes are covered.
using VectorClock = std::vector<std::uint64_t>;

bool covers(const VectorClock& have, const VectorClock& need) {
  for (std::size_t i = 0; i < need.size(); ++i)
    if (have[i] < need[i]) return false;
  return true;
}

struct CausalWrite {
  NodeId origin = 0;
  std::uint64_t seq = 0;    // this origin's seq-th write
  std::uint64_t stamp = 0;  // orders concurrent writes to a key
  Key key = 0;
  Value value = 0;
  VectorClock deps;  // the writer's session context
  // version-vectors only: what the origin had applied when it made the
  // write (empty under lww); the write supersedes exactly those versions.
  VectorClock seen_at_origin;
};

struct Replicate : Payload {
  CausalWrite write;
  std::string_view type() const override { return "replicate"; }
  std::size_t size_bytes() const override {
    return kEnvelopeBytes + 4 + 8 + 8 + 8 + 8 + 8 * write.deps.size() +
           8 * write.seen_at_origin.size();
  }
};

struct ReplicateAck : Payload {
  NodeId origin = 0;
  std::uint64_t seq = 0;
  std::string_view type() const override { return "replicate-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 4 + 8; }
};

// The client's causal context: what it has seen or written.
struct CausalSession : Payload {
  VectorClock seen;
  std::string_view type() const override { return "session"; }
  std::size_t size_bytes() const override { return 8 * seen.size(); }
};

enum TimerKind : std::uint8_t { kReplicateRetry = 1, kSessionWait = 2 };

class CausalReplica : public Replica {
 public:
  CausalReplica(const CausalConfig& config, Context& ctx)
      : config_(config),
        ctx_(ctx),
        applied_(ctx.node_count(), 0),
        outbox_(ctx, config.retry_initial, config.retry_max, kReplicateRetry) {}

  void on_request(const Request& request) override {
    VectorClock need = session_of(request);
    if (covers(applied_, need)) return serve(request, need);
    std::uint64_t id = next_wait_id_++;
    ctx_.note("session-wait", "op " + std::to_string(request.op_id) + " needs " + missing(need));
    TimerId timer = ctx_.set_timer(config_.session_wait_timeout, timer_tag(kSessionWait, id));
    waiting_[id] = {request, std::move(need), timer};
  }

  void on_message(NodeId from, const Payload& message) override {
    if (auto* r = payload_as<Replicate>(message)) {
      receive(r->write);
    } else if (auto* a = payload_as<ReplicateAck>(message)) {
      if (a->origin == ctx_.self()) outbox_.acknowledged(from, a->seq);
    }
    outbox_.heard_from(from);  // the link works again: resend what is overdue
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
  // One version of a key: a write as applied here.
  struct Stored {
    Value value = 0;
    std::uint64_t stamp = 0;
    NodeId origin = 0;
    std::uint64_t seq = 0;
    VectorClock deps;  // what its writer had seen
  };
  // A key's visible versions: exactly one under lww; under version-vectors
  // the writes no applied write has superseded, sorted by (origin, seq).
  using Versions = std::vector<Stored>;
  struct Buffered {
    CausalWrite write;
    Time since = 0;
  };
  struct Waiting {
    Request request;
    VectorClock need;
    TimerId timer = 0;
  };

  // ---- client requests ----

  void serve(const Request& request, VectorClock seen) {
    // A cas compares with this replica's value (not linearizable: two
    // replicas can both match and both write); a miss (or siblings, which
    // never match) answers like a read.
    const Versions* held = versions_of(request.key);
    bool miss = request.type == OpType::Cas &&
                (!held || held->size() != 1 || held->front().value != request.expected);
    if (request.type != OpType::Read && !miss) return write(request, std::move(seen));
    Reply reply = miss ? Reply::cas_miss(std::nullopt) : Reply::ok();
    if (held) {
      reply.value = held->front().value;
      if (held->size() > 1 && !miss)
        for (const Stored& v : *held) reply.siblings.push_back(v.value);
      // The client has now seen every sibling (a cas miss: the value found)
      // and, through it, everything its writer had seen: the session stays
      // closed under dependencies, so a write's deps name every write that
      // causally precedes it (version-vectors supersedes by them).
      for (const Stored& v : *held) {
        see(seen, v);
        if (miss) break;
      }
    }
    reply.session = session_token(std::move(seen));
    ctx_.reply(request, std::move(reply));
  }

  // A client write (or matched cas) with session `seen`: its dependencies.
  void write(const Request& request, VectorClock seen) {
    CausalWrite w{
        ctx_.self(), applied_[ctx_.self()] + 1, next_stamp(), request.key, request.value, seen, {}};
    if (config_.siblings) w.seen_at_origin = applied_;
    apply(w);
    seen[w.origin] = w.seq;
    Reply reply = Reply::ok();
    reply.session = session_token(std::move(seen));
    ctx_.reply(request, std::move(reply));
    auto msg = std::make_shared<Replicate>();
    msg->write = std::move(w);
    for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
      if (peer != ctx_.self()) outbox_.send(peer, msg->write.seq, msg);
  }

  static void see(VectorClock& seen, const Stored& v) {
    for (std::size_t n = 0; n < v.deps.size(); ++n) seen[n] = std::max(seen[n], v.deps[n]);
    seen[v.origin] = std::max(seen[v.origin], v.seq);
  }

  const Versions* versions_of(Key key) const {
    auto it = store_.find(key);
    return it == store_.end() || it->second.empty() ? nullptr : &it->second;
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

  // ---- replication ----

  void receive(const CausalWrite& w) {
    if (applied_[w.origin] >= w.seq) return acknowledge(w);  // a duplicate
    if (!applicable(w)) {
      if (buffered_.contains({w.origin, w.seq})) return;
      buffered_[{w.origin, w.seq}] = {w, ctx_.now()};
      ctx_.note("buffered", describe(w) + " waits for " + missing(dependencies(w)));
      return;
    }
    apply(w);
    acknowledge(w);
    release_buffered();
    serve_ready_requests();
  }

  // Apply every buffered write that has become applicable, until none is.
  // Only the next write of each origin can be applicable, so each pass looks
  // up one entry per origin (never scanning the whole buffer, which grows
  // large behind a gap during a partition); passes repeat while any origin
  // advanced, since one origin's write may be another's dependency.
  void release_buffered() {
    bool progress = true;
    while (progress) {
      progress = false;
      for (NodeId origin = 0; origin < applied_.size(); ++origin) {
        for (auto it = buffered_.find({origin, applied_[origin] + 1});
             it != buffered_.end() && applicable(it->second.write);
             it = buffered_.find({origin, applied_[origin] + 1})) {
          Buffered b = std::move(it->second);
          buffered_.erase(it);
          ctx_.note(
              "released",
              describe(b.write) + " after " + format_duration(ctx_.now() - b.since) + " buffered",
              ctx_.now() - b.since);
          apply(b.write);
          acknowledge(b.write);
          progress = true;
        }
      }
    }
  }

  // The next write of its origin, with every dependency applied here.
  bool applicable(const CausalWrite& w) const {
    return applied_[w.origin] + 1 == w.seq && covers(applied_, w.deps);
  }

  // Everything `w` needs: its deps and its origin's earlier writes.
  VectorClock dependencies(const CausalWrite& w) const {
    VectorClock need = w.deps;
    need[w.origin] = std::max(need[w.origin], w.seq - 1);
    return need;
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

  // Record w as applied and make it visible. Under lww it replaces the
  // key's version if it wins on (stamp, origin). Under version-vectors it
  // supersedes exactly the versions its origin had applied when it was
  // made (w.seen_at_origin covers them: they happened before it) and is
  // kept beside the others as a sibling. A write that arrives after one
  // that superseded it (the key's `covered` vector, the join of every
  // applied write's seen_at_origin and dot, covers it) is born superseded.
  // So every replica ends with the writes of the key no other write had
  // seen, whatever order they arrive in.
  void apply(const CausalWrite& w) {
    applied_[w.origin] = w.seq;
    lamport_ = std::max(lamport_, w.stamp);
    Versions& versions = store_[w.key];
    Stored mine{w.value, w.stamp, w.origin, w.seq, w.deps};
    if (!config_.siblings) {
      if (!versions.empty() &&
          std::tie(versions.front().stamp, versions.front().origin) > std::tie(w.stamp, w.origin))
        return;
      versions.assign(1, std::move(mine));
      ctx_.applied(w.key, w.value);
      return;
    }
    VectorClock& covered = covered_[w.key];
    covered.resize(applied_.size(), 0);
    const bool superseded = covered[w.origin] >= w.seq;
    for (std::size_t n = 0; n < covered.size(); ++n)
      covered[n] = std::max(covered[n], w.seen_at_origin[n]);
    covered[w.origin] = std::max(covered[w.origin], w.seq);
    if (superseded) return;
    std::erase_if(versions, [&](const Stored& v) { return w.seen_at_origin[v.origin] >= v.seq; });
    auto at = std::find_if(versions.begin(), versions.end(), [&](const Stored& v) {
      return std::tie(v.origin, v.seq) > std::tie(w.origin, w.seq);
    });
    versions.insert(at, std::move(mine));
    report_versions(w.key, versions);
  }

  // Ground truth for version-vectors: the siblings, and the key's version
  // vector (every sibling's dot and dependencies joined).
  void report_versions(Key key, const Versions& versions) {
    std::vector<Value> values;
    VersionVector vv;
    for (const Stored& v : versions) {
      values.push_back(v.value);
      for (NodeId n = 0; n < v.deps.size(); ++n)
        if (v.deps[n] > 0) vv[n] = std::max(vv[n], v.deps[n]);
      vv[v.origin] = std::max(vv[v.origin], v.seq);
    }
    ctx_.applied_versions(key, values, &vv, nullptr);
  }

  void acknowledge(const CausalWrite& w) {
    auto ack = std::make_shared<ReplicateAck>();
    ack->origin = w.origin;
    ack->seq = w.seq;
    ctx_.send(w.origin, ack);
  }

  // ---- sessions and naming ----

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

  // "n1.3, n2.1": for each origin, the latest needed write not applied here.
  std::string missing(const VectorClock& need) const {
    std::string out;
    for (NodeId n = 0; n < need.size(); ++n) {
      if (applied_[n] >= need[n]) continue;
      if (!out.empty()) out += ", ";
      out += std::string(ctx_.node_name(n)) + "." + std::to_string(need[n]);
    }
    return out;
  }

  // "write n2.5 key 3".
  std::string describe(const CausalWrite& w) const {
    return "write " + std::string(ctx_.node_name(w.origin)) + "." + std::to_string(w.seq) +
           " key " + std::to_string(w.key);
  }

  const CausalConfig config_;
  Context& ctx_;
  // Durable.
  std::map<Key, Versions> store_;
  std::map<Key, VectorClock> covered_;  // version-vectors: what the key's writes had seen
  VectorClock applied_;
  std::uint64_t lamport_ = 0;  // the highest stamp applied here
  RetryQueue outbox_;
  // Volatile.
  std::map<std::pair<NodeId, std::uint64_t>, Buffered> buffered_;
  std::map<std::uint64_t, Waiting> waiting_;
  std::uint64_t next_wait_id_ = 1;
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
