// Fault kind "duplicate": from "start" until "end", each message between two
// nodes is delivered twice with "probability" (on top of each link's own
// `duplicate`); the second copy takes its own latency, drawn from the link.
// The nemesis draws a probability uniformly in [0.1, 0.5). Trace: begin
// carries "probability"; each extra copy is a "duplicate" network line.
#pragma once

#include "sim/fault_kinds/common.h"
#include "sim/scenario_parts.h"

namespace consim::kinds {

class DuplicateEffect final : public FaultEffect {
 public:
  explicit DuplicateEffect(double p) : p_(p) {}
  void begin(FaultContext& ctx, FaultLine& line) const override {
    const std::size_t n = ctx.node_names().size();
    LossMatrix duplicate(n, std::vector<double>(n, 0));
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b)
        if (a != b) duplicate[a][b] = p_;
    ctx.add_duplicate(std::move(duplicate));
    line.label = std::to_string(static_cast<int>(p_ * 100 + 0.5)) + "% duplicated";
    line.add_double("probability", p_);
    ctx.trace(line);
  }
  void end(FaultContext& ctx, FaultLine& line) const override {
    line.label = "duplication ends";
    ctx.trace(line);
    ctx.remove_own();
  }
  std::string summary() const override {
    return std::to_string(static_cast<int>(p_ * 100 + 0.5)) + "%";
  }

 private:
  double p_;
};

inline EffectPtr parse_duplicate(const JsonReader& f, const FaultParseContext& ctx) {
  std::vector<std::string> allowed = ctx.common_keys;
  allowed.emplace_back("probability");
  f.allow_only(allowed);
  double p = f.probability("probability");
  if (!(p > 0)) f.fail_at("probability", "must be more than 0");
  return std::make_shared<DuplicateEffect>(p);
}

inline EffectPtr draw_duplicate(const NemesisDraw&, Rng& rng) {
  return std::make_shared<DuplicateEffect>(0.1 + 0.4 * rng.next_double());
}

inline const FaultKindEntry kDuplicate = {
    "duplicate",
    "messages delivered twice with \"probability\" from \"start\" until \"end\"",
    "start",
    "end",
    "duplicate",
    "restore",
    nullptr,
    nullptr,
    2,
    parse_duplicate,
    draw_duplicate,
    nullptr,
    nullptr,
    R"({"type":"duplicate","probability":0.3,"start":"1s","end":"4s"})",
};

}  // namespace consim::kinds
