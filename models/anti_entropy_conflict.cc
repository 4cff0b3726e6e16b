// Digests and wire form of conflict states for anti-entropy; see
// anti_entropy_conflict.h.
#include "models/anti_entropy_conflict.h"

#include "models/merkle_tree.h"

namespace consim {
namespace {

std::uint64_t vv_digest(const VersionVector& vv) {
  std::uint64_t h = hash_words({vv.size()});
  for (const auto& [node, counter] : vv) h = hash_words({h, node, counter});  // a std::map: ordered
  return h;
}

// The vector, then the dots past it (a std::set: ordered).
std::uint64_t context_digest(const conflict::CausalContext& c) {
  std::uint64_t h = vv_digest(c.vv);
  if (c.dots.empty()) return h;  // as before dotted contexts: same digests for the same vectors
  h = hash_words({h, c.dots.size()});
  for (const auto& [node, counter] : c.dots) h = hash_words({h, node, counter});
  return h;
}

}  // namespace

std::uint64_t conflict_digest(conflict::Strategy strategy, const conflict::KeyState& state) {
  using conflict::Strategy;
  std::uint64_t h = hash_words({state.siblings.size()});
  for (const conflict::Sibling& s : state.siblings) {
    h = hash_words({h, static_cast<std::uint64_t>(s.value), s.dot.node, s.dot.counter});
    if (strategy == Strategy::Lww)
      h = hash_words({h, static_cast<std::uint64_t>(s.stamp.clock), s.stamp.node, s.stamp.seq});
    if (strategy == Strategy::VersionVectors) h = hash_words({h, context_digest(s.context)});
  }
  if (strategy == Strategy::MvRegister) h = hash_words({h, context_digest(state.context)});
  return h;
}

std::size_t ConflictVersions::size_bytes() const {
  // lww: value, dot, stamp; the ghost context is not on the wire.
  if (strategy == conflict::Strategy::Lww) return (8 + 12 + 16) * state.siblings.size();
  return conflict::wire_bytes(strategy, state);
}

}  // namespace consim
