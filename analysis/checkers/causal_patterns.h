// The bad-pattern searches behind check_causal (causal.h), internal to
// causal.cc and causal_memory.cc.
//
// Invariants: each search adds violations to a Reporter in history order and
// builds a violation's slice only while the Reporter still lists (slices
// cost a graph search; counted-only violations do not need one).
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "analysis/checkers/causal_order.h"
#include "analysis/checkers/check_result.h"

namespace consim::causal {

// The causal order of one history, shared by the three models.
struct Analysis {
  explicit Analysis(Sessions sessions);
  Sessions s;
  Graph g;  // so ∪ wr
  Components comps;
  Clocks clocks;
};

class Reporter {
 public:
  explicit Reporter(std::size_t cap) : cap_(cap) {}
  bool listing() const { return listed.size() < cap_; }
  // Counts a violation; lists it if there is room (build it only if listing()).
  void add(Violation v) {
    ++count;
    if (listing()) listed.push_back(std::move(v));
  }
  void count_only() { ++count; }

  std::vector<Violation> listed;
  std::uint64_t count = 0;

 private:
  std::size_t cap_;
};

// `ops` and `slice` are nodes; `key` is a key name (or several, joined).
Violation make_violation(const Sessions& s, std::string key, const std::vector<std::uint32_t>& ops,
                         std::string reason, std::set<std::uint32_t> slice);
// Distinct key names of the nodes, sorted, joined with ", ".
std::string keys_of(const Sessions& s, const std::set<std::uint32_t>& nodes);
std::string lines_text(const Sessions& s, const std::vector<std::uint32_t>& nodes);

// CyclicCO, ThinAirRead, WriteCOInitRead, WriteCORead.
void find_cc(const Analysis& a, Reporter& out);
// CyclicCF. Meaningful only when find_cc found nothing.
void find_cyclic_cf(const Analysis& a, Reporter& out);
// WriteHBInitRead and CyclicHB, one session at a time. Meaningful only when
// find_cc found nothing. Returns false if `budget` ran out first.
bool find_cm(const Analysis& a, Reporter& out, std::uint64_t& budget);

}  // namespace consim::causal
