// A replica's sets or counters (workload.type "set" or "counter"), one CRDT
// state per key (models/crdt/), wired to its Context: client adds, removes,
// increments and reads, and merges of states shipped by peers. Used by the
// models that accept concurrent writes (eventual-async, multi-leader,
// quorum); the model decides when to ship a key's state and to whom.
//
// The merge comes from the model's parameters: "set" is a name from
// crdt::set_kinds() ("or-set", "naive-union", "naive-tombstones",
// "lww-whole", "lww-element-set"; default "or-set"), "counter" one of
// "pn-counter", "g-counter" or "lww-register" (default "pn-counter"). The
// last is the counter a register store gives: read, add, write back, the
// later write (by the writer's clock) wins the whole value, so concurrent
// increments overwrite each other.
//
// Items are integers inside the simulator (Request::value); the CRDTs hold
// their decimal text, which is also their canonical JSON, so a read's items
// come back in the order the trace writes them. Last-writer-wins kinds stamp
// a write with the serving node's clock (Context::local_clock), so clock
// skew decides which side of a partition wins.
//
// Invariants: every key holds the run's one data type and kind; merge is a
// join (the CRDT laws, tests/unit/crdt_laws_test.cc), so replicas that have
// exchanged states in any order hold equal states; a reply's items are
// exactly the key's items at this replica when it replied.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <variant>

#include "models/anti_entropy.h"
#include "models/crdt/any_counter.h"
#include "models/crdt/any_set.h"
#include "models/model_info.h"

namespace consim {

class JsonReader;

// A counter kept as one last-writer-wins register: an increment reads the
// local value, adds the delta and writes the sum with a fresh stamp; merge
// keeps the state with the later stamp. Loses concurrent increments.
struct LwwCounter {
  std::int64_t value = 0;
  std::optional<crdt::Stamp> stamp;
  void apply(std::int64_t delta, crdt::Replica replica, std::int64_t now);
  void merge(const LwwCounter& other);
  std::string to_string() const;
  bool operator==(const LwwCounter&) const = default;
};

enum class CounterMode : std::uint8_t { G, PN, LwwRegister };

// The data type and merge of a run's keys, from the model's parameters.
struct CrdtParams {
  WorkloadType type = WorkloadType::Register;
  crdt::SetKind set = crdt::SetKind::OrSet;
  CounterMode counter = CounterMode::PN;
  bool holds_crdts() const { return type == WorkloadType::Set || type == WorkloadType::Counter; }
  // Adds "set" or "counter" to a model's header params (nothing for
  // registers, so register traces keep their bytes).
  void to_json(nlohmann::json& params) const;
};

// Reads "set" / "counter" for `type`. Giving the parameter of another data
// type (e.g. "set" for a counter workload) is an error at its path.
CrdtParams crdt_params(const JsonReader& params, WorkloadType type);
// The same for a scenario: a "g-counter" whose workload decrements is an
// error at "counter".
CrdtParams crdt_params(const JsonReader& params, const ModelScenario& scenario);
// Every "counter" parameter value, in CounterMode order.
std::span<const std::string_view> counter_mode_names();

using CrdtValue = std::variant<crdt::AnySet, crdt::AnyCounter, LwwCounter>;

class CrdtStore {
 public:
  CrdtStore(const CrdtParams& params, Context& ctx) : params_(params), ctx_(ctx) {}

  // Whether `request` is served here (an add, remove or incr, or any read:
  // every key is a set or a counter).
  bool handles() const { return params_.holds_crdts(); }
  // Applies a client operation at this replica; the reply to send. A write
  // or cas, or an op of the other data type, fails (nothing applied).
  // `changed` tells whether the key's state changed (ship it).
  Reply apply(const Request& request, bool& changed);
  // Merges a peer's state of `key`; true if this replica's state changed.
  bool merge(Key key, const CrdtValue& incoming);
  const CrdtValue& state(Key key);
  // A digest of the key's state for anti-entropy (nonzero).
  std::uint64_t digest(Key key);
  // Bytes of the key's state on the wire: the length of its to_string()
  // spelling (items, dots, stamps), a fair estimate of a compact encoding.
  static std::size_t wire_bytes(const CrdtValue& value);

  // For a coordinator that joins replicas' states (quorum): the state of a
  // key never written, the join of `incoming` into `into`, and the read
  // reply a state gives (a set's items, a counter's value).
  CrdtValue empty_value() const { return empty(); }
  static void join(CrdtValue& into, const CrdtValue& incoming);
  static Reply read_reply(const CrdtValue& value);
  // Whether `request` must see the key's current state before it applies
  // (a coordinator reads a quorum first): a remove (it removes what it
  // observed) and any update of a register counter (read, add, write back).
  bool reads_first(const Request& request) const;

 private:
  CrdtValue empty() const;
  Reply read(Key key);

  CrdtParams params_;
  Context& ctx_;
  std::map<Key, CrdtValue> store_;  // durable
};

// A key's CRDT state as replication and anti-entropy ship it.
struct CrdtVersions : KeyVersions {
  explicit CrdtVersions(CrdtValue v) : value(std::move(v)) {}
  CrdtValue value;
  std::size_t size_bytes() const override { return CrdtStore::wire_bytes(value); }
};

// A key's whole state pushed to a peer ("replicate", as the register
// models' replication); the receiver merges it and acknowledges `seq` (the
// origin's write seq) with the model's own ack.
struct CrdtReplicate : Payload {
  Key key = 0;
  std::uint64_t seq = 0;
  std::shared_ptr<const CrdtValue> value;
  std::size_t bytes = 0;  // CrdtStore::wire_bytes(*value), computed once
  std::string_view type() const override { return "replicate"; }
  std::size_t size_bytes() const override;
};
// The message shipping `key`'s current state, acknowledged by `seq`.
std::shared_ptr<CrdtReplicate> crdt_replicate(CrdtStore& store, Key key, std::uint64_t seq);

}  // namespace consim
