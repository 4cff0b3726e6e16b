// Fault kind "duplicate": from "start" until "end", each message between two
// nodes is delivered twice with "probability" (on top of each link's own
// `duplicate`); the second copy takes its own latency, drawn from the link.
// The nemesis draws a probability uniformly in [0.1, 0.5)
// (message_fault.h). Trace: begin carries "probability"; each extra copy is
// a "duplicate" network line.
#pragma once

#include "sim/fault_kinds/message_fault.h"

namespace consim::kinds {

class DuplicateEffect final : public MessageFaultEffect {
 public:
  explicit DuplicateEffect(double p) : MessageFaultEffect(p, "duplication") {}
  void begin(FaultContext& ctx, FaultLine& line) const override {
    ctx.add_duplicate(between_sides(own_sides(ctx.node_names().size())));
    line.label = percent(p_) + " duplicated";
    line.add_double("probability", p_);
    ctx.trace(line);
  }
};

inline EffectPtr parse_duplicate(const JsonReader& f, const FaultParseContext& ctx) {
  return std::make_shared<DuplicateEffect>(parse_message_fault(f, ctx));
}

inline EffectPtr draw_duplicate(const NemesisDraw&, Rng& rng) {
  return std::make_shared<DuplicateEffect>(draw_message_fault_probability(rng));
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
