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
//  - version-vectors: dotted version vectors (Preguica, Baquero et al.,
//    "Dotted Version Vectors", 2010/2012; Riak's DVV). A sibling is (value,
//    dot, context): its dot names the write, kept apart from its context,
//    the dots its client had seen of the key before writing. A sibling is
//    superseded by one whose context covers its dot; concurrent ones are all
//    kept. States are shipped whole (every sibling of the key), merged by
//    sync.
//  - mv-register: the multi-value register CRDT with dots: entries (value,
//    dot) and one causal context per key; merge is the join (keep an entry
//    both sides have, or one the other side has not seen). Same observable
//    behaviour as version-vectors, one context per key instead of one per
//    sibling.
//
// Dots and contexts (version-vectors, mv-register): a dot (n, c) is the
// c-th write of key k coordinated by node n (counters per node and key). A
// causal context is a set of dots: a version vector (every (n, c') with
// c' <= vv[n]) plus the dots past it that are not contiguous with it
// (CausalContext::dots). It holds only dots its client observed: a read
// returns the dots of the siblings read and of their contexts; a write
// returns its client's context plus its own dot, nothing more. A compact
// vector alone cannot say "n1:2 but not n1:1": after a blind write n1:2 a
// vector {n1:2} would also claim a concurrent n1:1 this client never read,
// and its next write would discard that sibling silently.
//
// Worked example (version-vectors or mv-register): n1 and n2 both hold x
// with no value. Client a writes x=1 at n1 with no context: sibling 1 has
// dot n1:1. Client b writes x=2 at n2, no context: dot n2:1. After
// replication both replicas hold siblings [1, 2] and a read returns both
// with context {n1:1, n2:1}. A write x=3 carrying that context supersedes
// both: every replica ends with [3] (dot n1:2 at n1). With lww the same
// writes end on one value and the other is reported overwritten.
// Non-contiguous: then client c writes x=4 at n1 without reading: dot
// n1:3, context {}; c's new context is {} + n1:3 (not {n1:3}). Client d,
// also blind, writes x=5 at n1: dot n1:4, and n1 holds [3, 4, 5] (no blind
// write covers another). d writes x=6 with its context {} + n1:4: 5 goes,
// 3 and 4 stay. A vector {n1:4} would have claimed n1:2 and n1:3 as well,
// and discarded 3 and 4, which d never read.
//
// Invariants: a state's siblings are sorted by dot (node, counter) and no
// two share a dot; a CausalContext is compact (no dot of `dots` is covered
// by `vv` or next after it), so equal sets of dots compare equal; merge is
// idempotent, commutative and associative (on the siblings and the
// context); a write is superseded only by a write whose context covers its
// dot (version-vectors, mv-register) or by lww.
#pragma once

#include <memory>
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

// One write: the counter-th write of `node` (version-vectors, mv-register:
// counters per node and key; lww: the node's write counter over all keys),
// counters starting at 1.
struct Dot {
  NodeId node = 0;
  std::uint64_t counter = 0;
  auto operator<=>(const Dot&) const = default;
};

// A set of dots of one key: a version vector and the dots past it (see
// above). Compact: every dot of `dots` is past vv[node] + 1.
struct CausalContext {
  VersionVector vv;
  DotSet dots;
  bool operator==(const CausalContext&) const = default;
  bool empty() const { return vv.empty() && dots.empty(); }
};

// Version vectors (lww's ghost contexts): a count per node.
bool covers(const VersionVector& vv, const Dot& d);
void add(VersionVector& vv, const Dot& d);                        // vv := vv ∪ {0..d}
void join_into(VersionVector& into, const VersionVector& other);  // pointwise max
// Causal contexts: exact sets of dots.
bool covers(const CausalContext& c, const Dot& d);
void add(CausalContext& c, const Dot& d);                         // c := c ∪ {d}, compacted
void join_into(CausalContext& into, const CausalContext& other);  // union, compacted
// "{n1:2, n2:1}", then " + n1:5" for each dot past the vector.
std::string format_context(const CausalContext& c, const Context& ctx);

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
  // lww: what the writer's replica had seen of the key (ghost, `vv` only);
  // mv-register: empty.
  CausalContext context;
  Stamp stamp;  // lww only
  bool operator==(const Sibling&) const = default;
};

// The state of one key on one replica.
struct KeyState {
  std::vector<Sibling> siblings;  // sorted by dot; lww: at most one
  // mv-register: the causal context (every dot seen); lww: every dot seen
  // (ghost, `vv` only); version-vectors: unused (empty).
  CausalContext context;
  bool operator==(const KeyState&) const = default;

  std::vector<Value> values() const;  // in sibling order
  // Every dot this state has seen: each sibling's dot and context, and the
  // state's context. A read's causal context.
  CausalContext causal_context() const;
};

struct WriteInput {
  Value value = 0;
  Dot dot;                // a fresh dot of the writing replica for the key
  Stamp stamp;            // lww only
  CausalContext context;  // the client's context for the key (ignored by lww)
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

// Bytes of a state on the wire: 8 per value, 12 per dot (a sibling's, or
// one past a context's vector), 12 per vector entry, 16 per lww stamp
// (lww's ghost contexts count nothing).
std::size_t wire_bytes(Strategy s, const KeyState& state);

// The client's causal contexts, one per key, carried in its session token
// (Request::session / Reply::session). Immutable: with() returns a copy.
class Session : public Payload {
 public:
  std::string_view type() const override { return "conflict-session"; }
  std::size_t size_bytes() const override { return 0; }
  // The context for `key` in `token` (empty if the token is null, of another
  // type, or has none for the key).
  static CausalContext context_of(const PayloadPtr& token, Key key);
  // `token` with the context of `key` replaced by `c`.
  static PayloadPtr with(const PayloadPtr& token, Key key, CausalContext c);

 private:
  // Shared between the tokens of one client: with() copies pointers, not
  // every key's context (a reply per operation, a context per key read).
  std::map<Key, std::shared_ptr<const CausalContext>> contexts_;
};

// Sets `reply`'s context (Reply::context and context_dots, for the trace)
// and its session token: `token` with the context of `key` replaced by `c`.
void reply_with_context(Reply& reply, const PayloadPtr& token, Key key, CausalContext c);

// "{n1:2, n2:1}" for notes.
std::string format_vv(const VersionVector& vv, const Context& ctx);
std::string format_dot(const Dot& d, const Context& ctx);

}  // namespace conflict
}  // namespace consim
