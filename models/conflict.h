// Conflict resolution for replicated keys: a per-key versioned state and its
// merge, shared by the models that accept concurrent writes (eventual-async,
// multi-leader, quorum). Pure data: no Context, no time, no randomness; the
// model decides when to write, what to ship and what to trace.
//
// Three strategies (the scenario's "conflict" parameter):
//  - lww: one version per key; the larger (writer's local clock, node id,
//    write seq) wins everywhere. Each version also carries, as ghost
//    metadata never counted on the wire, what its writer had seen of the
//    key, so a write discarded in favour of one whose writer never saw it is
//    reported (MergeOutcome::overwritten): the "concurrent writes
//    overwritten by lww".
//  - version-vectors: dotted version vectors (Riak, Preguica et al.). A
//    sibling is (value, dot, context): its dot names the write, its context
//    is what the client had read before writing. A sibling is superseded by
//    one whose context covers its dot; concurrent ones are all kept. States
//    are shipped whole (every sibling of the key), merged by sync.
//  - mv-register: the multi-value register CRDT with dots: entries (value,
//    dot) and one causal context per key; merge is the join (keep an entry
//    both sides have, or one the other side has not seen). Same observable
//    behaviour as version-vectors, one vector per key instead of one per
//    sibling.
//
// Worked example (version-vectors or mv-register): n1 and n2 both hold x
// with no value. Client a writes x=1 at n1 with no context: sibling 1 has
// dot n1:1. Client b writes x=2 at n2, no context: dot n2:1. After
// replication both replicas hold siblings [1, 2] and a read returns both
// with context {n1:1, n2:1}. A write x=3 carrying that context supersedes
// both: every replica ends with [3] (dot n1:2 at n1). With lww the same
// writes end on one value and the other is reported overwritten.
//
// Invariants: a state's siblings are sorted by dot (node, counter) and no
// two share a dot; merge is idempotent, commutative and associative (on the
// siblings and the context); a write is superseded only by a write whose
// context covers its dot (version-vectors, mv-register) or by lww.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "models/model.h"

namespace consim {

class JsonReader;

namespace conflict {

enum class Strategy : std::uint8_t { Lww, VersionVectors, MvRegister };
std::string_view strategy_name(Strategy s);
// The names, in Strategy order: "lww", "version-vectors", "mv-register".
const std::vector<std::string>& strategy_names();
// The optional "conflict" parameter of `params` (default lww); an unknown
// name is an InputError at its path listing the valid ones.
Strategy strategy_param(const JsonReader& params);

// One write: the counter-th write of `node` (counters are per node, over all
// keys, starting at 1).
struct Dot {
  NodeId node = 0;
  std::uint64_t counter = 0;
  auto operator<=>(const Dot&) const = default;
};

bool covers(const VersionVector& vv, const Dot& d);
void add(VersionVector& vv, const Dot& d);                        // vv := vv ∪ {d}
void join_into(VersionVector& into, const VersionVector& other);  // pointwise max

// Last-writer-wins order: (writer's local clock, node, write seq).
struct Stamp {
  Time clock = 0;
  NodeId node = 0;
  std::uint64_t seq = 0;
  auto operator<=>(const Stamp&) const = default;
};

struct Sibling {
  Value value = 0;
  Dot dot;
  // version-vectors: the writer's causal context (not including `dot`);
  // lww: what the writer's replica had seen of the key (ghost); mv-register:
  // empty.
  VersionVector context;
  Stamp stamp;  // lww only
  bool operator==(const Sibling&) const = default;
};

// The state of one key on one replica.
struct KeyState {
  std::vector<Sibling> siblings;  // sorted by dot; lww: at most one
  // mv-register: the causal context (every dot seen); lww: every dot seen
  // (ghost); version-vectors: unused (empty).
  VersionVector context;
  bool operator==(const KeyState&) const = default;

  std::vector<Value> values() const;  // in sibling order
  // The merged version vector: every sibling's dot and context, and the
  // state's context. A read's causal context.
  VersionVector version_vector() const;
};

struct WriteInput {
  Value value = 0;
  Dot dot;                // a fresh dot of the writing replica
  Stamp stamp;            // lww only
  VersionVector context;  // the client's context for the key (ignored by lww)
};

struct MergeOutcome {
  bool visible_changed = false;  // the values a read returns changed
  // lww: the writes discarded here in favour of a write whose writer had not
  // seen them (each dot once per call).
  std::vector<Dot> overwritten;
};

// Applies a client write at the replica holding `state`.
MergeOutcome write(Strategy s, KeyState& state, const WriteInput& w);
// Merges `incoming` (another replica's state of the key, or a single lww
// version) into `state`.
MergeOutcome merge(Strategy s, KeyState& state, const KeyState& incoming);
// Pure form of merge, for the algebraic laws.
KeyState join(Strategy s, KeyState a, const KeyState& b);

// Bytes of a state on the wire: 8 per value, 12 per dot, 12 per vector
// entry, 16 per lww stamp.
std::size_t wire_bytes(Strategy s, const KeyState& state);

// The client's causal contexts, one per key, carried in its session token
// (Request::session / Reply::session). Immutable: with() returns a copy.
class Session : public Payload {
 public:
  std::string_view type() const override { return "conflict-session"; }
  std::size_t size_bytes() const override { return 0; }
  // The context for `key` in `token` (empty if the token is null, of another
  // type, or has none for the key).
  static VersionVector context_of(const PayloadPtr& token, Key key);
  // `token` with the context of `key` replaced by `vv`.
  static PayloadPtr with(const PayloadPtr& token, Key key, VersionVector vv);

 private:
  std::map<Key, VersionVector> contexts_;
};

// "{n1:2, n2:1}" for notes.
std::string format_vv(const VersionVector& vv, const Context& ctx);
std::string format_dot(const Dot& d, const Context& ctx);

}  // namespace conflict
}  // namespace consim
