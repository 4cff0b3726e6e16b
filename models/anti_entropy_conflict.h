// Anti-entropy (anti_entropy.h) for the models whose keys hold a
// conflict::KeyState (models/conflict.h): what a key's versions digest to in
// the Merkle tree and how they travel.
//
// The digest covers what a read and later merges depend on: each sibling's
// value and dot, its lww stamp (lww) or its writer's context
// (version-vectors; a causal context: its vector and the dots past it),
// and the key's context (mv-register). Under lww the
// ghost "what the writer had seen" metadata is left out, as it is on the
// wire: two replicas holding the same winning version are in sync.
// Worked example (version-vectors): n1 holds x = [1 (n1:1), 2 (n2:1)] and
// n2 holds x = [2 (n2:1)]: the digests differ, anti-entropy ships both
// states, each side merges the other's, and both end on [1, 2] with equal
// digests.
#pragma once

#include <cstdint>

#include "models/anti_entropy.h"
#include "models/conflict.h"

namespace consim {

std::uint64_t conflict_digest(conflict::Strategy strategy, const conflict::KeyState& state);

// A key's state as anti-entropy ships it.
struct ConflictVersions : KeyVersions {
  ConflictVersions(conflict::Strategy s, conflict::KeyState st)
      : strategy(s), state(std::move(st)) {}
  conflict::Strategy strategy;
  conflict::KeyState state;
  std::size_t size_bytes() const override;
};

}  // namespace consim
