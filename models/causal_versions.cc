// The causal register store's versions under lww and version-vectors
// (causal_versions.h has the rules, examples and invariants).
#include "models/causal_versions.h"

#include <algorithm>
#include <tuple>

namespace consim::causal {

const Versions* VersionStore::find(Key key) const {
  auto it = store_.find(key);
  return it == store_.end() || it->second.empty() ? nullptr : &it->second;
}

void VersionStore::apply(const CausalWrite& w) {
  Versions& versions = store_[w.key];
  if (siblings_) return apply_siblings(w, versions);
  apply_lww(w, versions);
}

// The write replaces the key's version if it wins on (stamp, origin).
void VersionStore::apply_lww(const CausalWrite& w, Versions& versions) {
  if (!versions.empty() &&
      std::tie(versions.front().stamp, versions.front().origin) > std::tie(w.stamp, w.origin))
    return;
  versions.assign(1, Version{w.value, w.stamp, w.origin, w.seq, w.deps});
  ctx_.applied(w.key, w.value);
}

// The write supersedes exactly the versions its origin had applied when it
// was made (w.seen_at_origin covers them: they happened before it) and is
// kept beside the others as a sibling. A write that arrives after one that
// superseded it (the key's `covered` vector, the join of every applied
// write's seen_at_origin and dot, covers it) is born superseded. So every
// replica ends with the writes of the key no other write had seen, whatever
// order they arrive in.
void VersionStore::apply_siblings(const CausalWrite& w, Versions& versions) {
  VectorClock& covered = covered_[w.key];
  covered.resize(ctx_.node_count(), 0);
  const bool superseded = covered[w.origin] >= w.seq;
  for (std::size_t n = 0; n < covered.size(); ++n)
    covered[n] = std::max(covered[n], w.seen_at_origin[n]);
  covered[w.origin] = std::max(covered[w.origin], w.seq);
  if (superseded) return;
  std::erase_if(versions, [&](const Version& v) { return w.seen_at_origin[v.origin] >= v.seq; });
  auto at = std::find_if(versions.begin(), versions.end(), [&](const Version& v) {
    return std::tie(v.origin, v.seq) > std::tie(w.origin, w.seq);
  });
  versions.insert(at, Version{w.value, w.stamp, w.origin, w.seq, w.deps});
  report_versions(w.key, versions);
}

// Ground truth for version-vectors: the siblings, and the key's version
// vector (every sibling's dot and dependencies joined).
void VersionStore::report_versions(Key key, const Versions& versions) {
  std::vector<Value> values;
  VersionVector vv;
  for (const Version& v : versions) {
    values.push_back(v.value);
    for (NodeId n = 0; n < v.deps.size(); ++n)
      if (v.deps[n] > 0) vv[n] = std::max(vv[n], v.deps[n]);
    vv[v.origin] = std::max(vv[v.origin], v.seq);
  }
  ctx_.applied_versions(key, values, &vv, nullptr);
}

}  // namespace consim::causal
