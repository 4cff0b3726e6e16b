// The part loss and duplicate share: for the fault's window, each message
// from one node to another on a different side meets an extra probability
// (of being dropped, or delivered twice); without sides, every pair of
// distinct nodes. The kind adds its matrix at begin; end traces
// "<what> ends" and removes the matrix (ctx.remove_own()).
//
// Invariants: 0 < probability <= 1 (checked at parse); a node never meets
// the probability towards itself; the nemesis draws it uniformly in
// [0.1, 0.5) with one draw from its stream.
#pragma once

#include <string>
#include <vector>

#include "sim/fault_kinds/common.h"
#include "sim/scenario_parts.h"

namespace consim::kinds {

// "30%": a probability as a whole percentage, for labels and summaries.
inline std::string percent(double p) {
  return std::to_string(static_cast<int>(p * 100 + 0.5)) + "%";
}

class MessageFaultEffect : public FaultEffect {
 public:
  MessageFaultEffect(double p, std::string what) : p_(p), what_(std::move(what)) {}
  void end(FaultContext& ctx, FaultLine& line) const override {
    line.label = what_ + " ends";
    ctx.trace(line);
    ctx.remove_own();
  }
  std::string summary() const override { return percent(p_); }

 protected:
  // p_ from a to b where side[a] != side[b] (a node per entry of `side`).
  LossMatrix between_sides(const std::vector<int>& side) const {
    const std::size_t n = side.size();
    LossMatrix m(n, std::vector<double>(n, 0));
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b)
        if (a != b && side[a] != side[b]) m[a][b] = p_;
    return m;
  }
  // Every node on a side of its own: p_ between every pair.
  static std::vector<int> own_sides(std::size_t n) {
    std::vector<int> side(n);
    for (std::size_t a = 0; a < n; ++a) side[a] = static_cast<int>(a);
    return side;
  }

  double p_;
  std::string what_;
};

// Checks the keys (the common ones, "probability", then `extra`) and reads
// "probability", which must be more than 0.
inline double parse_message_fault(const JsonReader& f, const FaultParseContext& ctx,
                                  const std::vector<std::string>& extra = {}) {
  std::vector<std::string> allowed = ctx.common_keys;
  allowed.emplace_back("probability");
  allowed.insert(allowed.end(), extra.begin(), extra.end());
  f.allow_only(allowed);
  double p = f.probability("probability");
  if (!(p > 0)) f.fail_at("probability", "must be more than 0");
  return p;
}

inline double draw_message_fault_probability(Rng& rng) { return 0.1 + 0.4 * rng.next_double(); }

}  // namespace consim::kinds
