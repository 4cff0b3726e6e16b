// Versions of each key through a trace; see version_tracker.h.
#include "analysis/trace/version_tracker.h"

#include <algorithm>

namespace consim {

std::uint32_t VersionTracker::version(std::uint32_t key, std::int64_t value) {
  auto [it, fresh] =
      index_.emplace(std::pair{key, value}, static_cast<std::uint32_t>(facts_.versions.size()));
  if (fresh) {
    VersionFacts::Version v;
    v.key = key;
    v.value = value;
    facts_.versions.push_back(std::move(v));
  }
  return it->second;
}

// The pointwise minimum of every vector seen for the version: each source
// gives the version's vector or more (a replica's state may know more).
void VersionTracker::learn_vv(std::uint32_t v, const VersionFacts::Vector& vv) {
  VersionFacts::Version& version = facts_.versions[v];
  if (!version.vv_known) {
    version.vv = vv;
    version.vv_known = true;
    return;
  }
  VersionFacts::Vector min;
  for (const auto& [node, count] : version.vv) {
    auto it = std::lower_bound(vv.begin(), vv.end(), std::pair{node, std::uint64_t{0}});
    if (it != vv.end() && it->first == node) min.emplace_back(node, std::min(count, it->second));
  }
  version.vv = std::move(min);
}

void VersionTracker::apply(const TraceEvent& e) {
  ++facts_.apply_lines;
  if (!e.has_vv) return;
  ++facts_.apply_lines_vv;
  std::vector<std::uint32_t> now;
  if (!e.siblings.empty()) {
    for (std::int64_t value : e.siblings) now.push_back(version(e.key, value));
  } else if (e.value) {
    now.push_back(version(e.key, *e.value));
  }
  if (now.size() == 1) learn_vv(now.front(), e.vv);
  std::sort(now.begin(), now.end());
  std::vector<std::uint32_t>& before = held_[{e.node, e.key}];
  for (std::uint32_t v : before) {
    if (std::binary_search(now.begin(), now.end(), v)) continue;
    facts_.versions[v].left_node = e.node;
    facts_.versions[v].left_line = e.line;
  }
  before = std::move(now);
}

void VersionTracker::acknowledged(const TraceEvent& ok, std::uint32_t key, std::int64_t value,
                                  std::uint64_t invoke_line) {
  const std::uint32_t v = version(key, value);
  facts_.versions[v].write_line = invoke_line;
  facts_.versions[v].ack_line = ok.line;
  learn_vv(v, ok.vv);
}

void VersionTracker::note(const TraceEvent& e, const TraceNames& names) {
  if (e.what < names.notes.size() && names.notes[e.what] == "lww-overwrote") ++facts_.lww_overwrote;
}

VersionFacts VersionTracker::finish() {
  for (const auto& [replica, versions] : held_)
    for (std::uint32_t v : versions) facts_.versions[v].held_at_end = true;
  VersionFacts out = std::move(facts_);
  facts_ = VersionFacts{};
  index_.clear();
  held_.clear();
  return out;
}

}  // namespace consim
