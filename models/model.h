// The store-model interface: what every replicated-store model implements,
// and the context through which it acts on the simulated world.
//
// A model is sans-IO. It never touches the network, the clock or a random
// generator directly: it receives a request, a message or a timer, and emits
// effects (send, set_timer, reply, applied) through its Context. The
// simulator turns each effect into traced, delayable, droppable events, so a
// model file reads like the protocol's pseudocode.
//
// One Replica object runs on each node. Node ids are dense: 0..node_count-1.
// Invariants a model must keep:
//  - Every Request gets at most one reply (the client may time out first;
//    a late reply is then ignored by the simulator).
//  - ctx.applied(key, value) is called exactly when this replica's visible
//    value for key changes (the ground truth staleness is measured against).
//  - on_crash() discards whatever the model declares volatile; the simulator
//    has already cancelled the node's timers and drops its inbound traffic
//    until on_recover().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/rng.h"
#include "base/time.h"

namespace consim {

using NodeId = std::uint32_t;
using Key = std::uint64_t;
// Written values (by writes and by cas) are unique across a run and
// positive; a read of a key never written returns no value (std::nullopt).
using Value = std::int64_t;
using TimerId = std::uint64_t;
// A version vector: for each node, how many of its writes (to one key, by
// the node's own write counter) are covered. Entries are never zero; an
// absent node counts 0. Ordered, so it prints the same way every run.
// Models that resolve conflicts with version vectors or CRDT registers
// (models/conflict.h) report them in replies, applies and messages.
using VersionVector = std::map<std::uint32_t, std::uint64_t>;
// Dots past a version vector: (node, counter) writes a causal context holds
// that its vector cannot say without claiming others (dotted version
// vectors, models/conflict.h). Usually empty; ordered like the vector.
using DotSet = std::set<std::pair<std::uint32_t, std::uint64_t>>;

// A message between replicas, or an opaque session token carried by a
// client. Models derive their own message structs from it.
class Payload {
 public:
  virtual ~Payload() = default;
  // The message type shown in the trace ("prepare", "replicate", ...).
  virtual std::string_view type() const = 0;
  // The size the message would have on the wire, for bytes-per-operation.
  virtual std::size_t size_bytes() const = 0;
  // The version vector this message carries, if any: written as "vv" on its
  // send line so a message diagram can label it. Null for most messages.
  virtual const VersionVector* trace_vv() const { return nullptr; }
  // The dots past that vector ("dots" on the send line); null or empty: none.
  virtual const DotSet* trace_dots() const { return nullptr; }
};
using PayloadPtr = std::shared_ptr<const Payload>;

// Cas is compare-and-set: write `value` if the key holds `expected`.
// Transfer (the bank workload, models/bank/) moves `amount` from account
// `key` to account `to_key`; a Read of an account returns its balance.
// Add, Remove and Incr act on sets and counters (models/crdt_store.h): Add
// and Remove carry the item in Request::value, Incr the delta (negative: a
// decrement); a Read of a set returns Reply::items.
enum class OpType : std::uint8_t { Read, Write, Cas, Transfer, Add, Remove, Incr };
std::string_view op_name(OpType t);

// The scenario's workload.type, which fixes what every key of the run
// holds: a register (read, write, cas), a set (add, remove, read), a
// counter (incr, read) or a bank account (transfer, read of the balance).
// One type per run; a model lists the types it serves (ModelInfo::workloads,
// by workload_type_name).
enum class WorkloadType : std::uint8_t { Register, Set, Counter, Bank };
std::string_view workload_type_name(WorkloadType t);

struct Request {
  std::uint64_t op_id = 0;  // unique per run; the trace's "op"
  std::uint32_t client = 0;
  OpType type = OpType::Read;
  Key key = 0;
  Value value = 0;     // for writes and cas: the value to write
  Value expected = 0;  // for cas: the value the key must hold (0: never written, never held)
  PayloadPtr session;  // the token from this client's last reply, if any
  Key to_key = 0;           // transfer: the account credited (`key` is debited)
  std::int64_t amount = 0;  // transfer: how much, > 0
};

// A cas whose comparison fails is an Ok reply with cas_matched false (it
// ran, and wrote nothing); Fail means the operation did not take effect.
// Redirect means "not here, I am not the leader": the operation did not take
// effect at this node, and the client re-sends the same operation to
// leader_hint (or, without a hint, to its next node). The client, not the
// model, bounds the number of redirects. Unknown means the model gave up
// without knowing whether the operation took effect (a write that reached
// some replicas but not a quorum in time): the client records `info`, as
// after its own timeout, and carries on as a new process.
struct Reply {
  enum class Outcome : std::uint8_t { Ok, Fail, Redirect, Unknown };
  Outcome outcome = Outcome::Ok;
  std::optional<Value> value;         // reads: what was read; a cas miss: the value found, if any
  std::string reason;                 // for Fail: one line, e.g. "prepare refused by n3"
  PayloadPtr session;                 // new session token for the client; null keeps the old one
  bool cas_matched = true;            // cas, Ok only: false when the key did not hold `expected`
  std::optional<NodeId> leader_hint;  // Redirect only: who this node believes leads
  // Reads, Ok only: every concurrent version (sibling) the replica holds,
  // when there is more than one; `value` is then siblings.front(). Empty
  // for a single value (the usual case: every existing checker reads
  // `value`).
  std::vector<Value> siblings;
  // With `context`: the dots it holds past its vector (models/conflict.h).
  DotSet context_dots;
  // Models with version vectors (models/conflict.h): a read's causal context
  // (the merged vector of its siblings), a write's new version vector.
  std::optional<VersionVector> context;
  // A read of a set, Ok only: its items, in the order of their decimal text
  // (the order of their canonical JSON in the trace).
  std::vector<Value> items;
  // A remove, Ok only: whether the replica that served it held the item (an
  // observed remove); false: it removed nothing.
  bool held = false;

  static Reply ok(std::optional<Value> v = std::nullopt) {
    Reply r;
    r.value = v;
    return r;
  }
  static Reply fail(std::string why) {
    Reply r;
    r.outcome = Outcome::Fail;
    r.reason = std::move(why);
    return r;
  }
  // Not the leader: try `leader` (if known) instead.
  static Reply redirect(std::optional<NodeId> leader) {
    Reply r;
    r.outcome = Outcome::Redirect;
    r.leader_hint = leader;
    return r;
  }
  // The outcome is unknown: `why` becomes the info line's reason.
  static Reply unknown(std::string why) {
    Reply r;
    r.outcome = Outcome::Unknown;
    r.reason = std::move(why);
    return r;
  }
  // A cas that found `current` instead of its expected value.
  static Reply cas_miss(std::optional<Value> current) {
    Reply r = ok(current);
    r.cas_matched = false;
    return r;
  }
};

class Context {
 public:
  virtual ~Context() = default;
  virtual NodeId self() const = 0;
  virtual std::size_t node_count() const = 0;
  virtual std::string_view node_name(NodeId id) const = 0;
  // Simulated (true) time: for measuring durations, never for ordering
  // writes across nodes.
  virtual Time now() const = 0;
  // This node's clock, with its offset and drift: what a real server would
  // read. Last-writer-wins timestamps come from here.
  virtual Time local_clock() const = 0;

  virtual void send(NodeId to, PayloadPtr message) = 0;
  virtual TimerId set_timer(Time delay, std::uint64_t tag) = 0;
  virtual void cancel_timer(TimerId id) = 0;
  virtual void reply(const Request& request, Reply reply) = 0;
  // This replica's own random stream.
  virtual Rng& rng() = 0;

  // Ground truth: this replica now exposes `value` for `key`.
  virtual void applied(Key key, std::optional<Value> value) = 0;
  // The same for a replica that exposes several concurrent versions
  // (siblings) of `key`: `values` in the order reads return them (empty: no
  // value), and the key's version vector and the dots past it if the model
  // keeps them (null: none). The default forwards the first value to
  // applied().
  virtual void applied_versions(Key key, const std::vector<Value>& values, const VersionVector* vv,
                                const DotSet* dots) {
    (void)vv;
    (void)dots;
    applied(key, values.empty() ? std::nullopt : std::optional<Value>(values.front()));
  }
  // A free-form protocol event for the trace, e.g. ("in-doubt", "txn 12 key 3").
  // A note that ends a state gives `lasted`, how long that state lasted (e.g.
  // "resolved" after 3ms in doubt); the report gives percentiles per `what`.
  virtual void note(std::string_view what, std::string_view detail,
                    std::optional<Time> lasted = std::nullopt) = 0;
  // This node now acts as `role` ("leader", "primary", "follower", "backup",
  // "candidate", ...) in `term` (a Raft term, a primary-backup epoch). Call
  // it on every change of role or term, including stepping down, and on
  // recovery; the analysis derives elections, failover windows and split
  // brain from these lines. A crash ends every role without a call.
  virtual void role(std::string_view role, std::uint64_t term) = 0;
};

class Replica {
 public:
  virtual ~Replica() = default;
  virtual void on_request(const Request& request) = 0;
  virtual void on_message(NodeId from, const Payload& message) = 0;
  virtual void on_timer(std::uint64_t tag) = 0;
  virtual void on_crash() = 0;
  virtual void on_recover() = 0;
};

// Helper for models: the message as its concrete type, or null.
template <class T>
const T* payload_as(const Payload& p) {
  return dynamic_cast<const T*>(&p);
}

}  // namespace consim
