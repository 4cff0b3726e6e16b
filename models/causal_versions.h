// The causal register store's data (causal.cc): each key's visible
// versions, and how an applied write changes them under each conflict rule.
// Causal delivery (causal_delivery.h) decides when a write is applied; this
// file decides what it then supersedes.
//
// Conflict "version-vectors" (the default): a write carries what its origin
// had applied when it was made (seen_at_origin) and supersedes exactly
// those versions of its key; the others stay beside it as siblings.
// Example: n1 writes x=1 and n3 writes x=3 before either hears of the
// other: every replica ends with [1, 3]; a write of x at n2 after both
// arrived there supersedes both. A write happens after everything it
// supersedes, so no read ever returns something older, in real time, than
// the client's own write or an earlier read (docs/models.md, "causal").
//
// Conflict "lww": concurrent writes to one key are ordered by (stamp,
// origin node id) and the larger wins on every replica. A write's stamp
// exceeds that of everything its node had applied, so a write never loses
// to one it causally follows. Example (timestamps "lamport"): n1 writes x=1
// (stamp 1) and n2 writes x=2 (stamp 1) concurrently; every replica ends
// with x=2 (tie broken by node id n2 > n1).
//
// Invariants: a key's versions are exactly one under lww; under
// version-vectors they are the applied writes no applied write has
// superseded, sorted by (origin, seq), whatever order the writes arrived
// in. Every change is reported to the context as ground truth. Durable:
// all of it.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "models/causal_delivery.h"
#include "models/model.h"

namespace consim::causal {

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

  std::size_t wire_bytes() const {
    return 4 + 8 + 8 + 8 + 8 + 8 * deps.size() + 8 * seen_at_origin.size();
  }
};

// One version of a key: a write as applied here.
struct Version {
  Value value = 0;
  std::uint64_t stamp = 0;
  NodeId origin = 0;
  std::uint64_t seq = 0;
  VectorClock deps;  // what its writer had seen
};
using Versions = std::vector<Version>;

class VersionStore {
 public:
  // `siblings`: conflict "version-vectors" (true) or "lww".
  VersionStore(Context& ctx, bool siblings) : ctx_(ctx), siblings_(siblings) {}

  // The key's versions; null if it has none.
  const Versions* find(Key key) const;
  // Makes an applied write visible as its conflict rule says.
  void apply(const CausalWrite& w);

 private:
  void apply_lww(const CausalWrite& w, Versions& versions);
  void apply_siblings(const CausalWrite& w, Versions& versions);
  void report_versions(Key key, const Versions& versions);

  Context& ctx_;
  const bool siblings_;
  std::map<Key, Versions> store_;
  std::map<Key, VectorClock> covered_;  // version-vectors: what the key's writes had seen
};

}  // namespace consim::causal
