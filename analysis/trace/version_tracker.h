// Follows the versions of each key through a consim trace, for
// History::versions (history.h, VersionFacts) and the siblings-kept checker.
//
// Fed by HistoryBuilder: every apply line (those with "vv" are followed),
// every write or cas acknowledgement with "vv", and every note. Invariants:
// a version is identified by (key, value) (the simulator writes each value
// once); a replica's set for a key is its last apply line's "siblings" (or
// "value", or nothing when null); a version "leaves" a replica when an apply
// line of that replica and key no longer holds it. Worked example: n1 applies
// key 7 = [11] then [11, 12] then [13]: 11 and 12 left n1 at the third line;
// at the end n1 holds 13 only.
#pragma once

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "analysis/trace/history.h"
#include "analysis/trace/trace_event.h"

namespace consim {

class VersionTracker {
 public:
  void apply(const TraceEvent& e);
  // An ok write or cas of `value` to `key` whose ok line carried "vv".
  void acknowledged(const TraceEvent& ok, std::uint32_t key, std::int64_t value,
                    std::uint64_t invoke_line);
  void note(const TraceEvent& e, const TraceNames& names);
  // The facts; the tracker is left empty.
  VersionFacts finish();

 private:
  std::uint32_t version(std::uint32_t key, std::int64_t value);
  void learn_vv(std::uint32_t v, const VersionFacts::Vector& vv);

  VersionFacts facts_;
  std::map<std::pair<std::uint32_t, std::int64_t>, std::uint32_t>
      index_;  // (key, value) -> version
  // (node, key) -> the versions it holds, ascending.
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::vector<std::uint32_t>> held_;
};

}  // namespace consim
