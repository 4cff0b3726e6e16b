// Fault kind "loss": extra message loss with "probability" from "start"
// until "end", between every pair of nodes, or with "groups" only between
// nodes of different groups (nodes in no group form one more group). The
// nemesis draws a probability uniformly in [0.1, 0.5) between every pair
// (message_fault.h).
// Trace: begin carries "probability" and, with groups, "groups".
#pragma once

#include "sim/fault_kinds/message_fault.h"
#include "sim/partition.h"

namespace consim::kinds {

class LossEffect final : public MessageFaultEffect {
 public:
  LossEffect(double p, std::vector<std::vector<std::string>> groups)
      : MessageFaultEffect(p, "loss"), groups_(std::move(groups)) {}
  void begin(FaultContext& ctx, FaultLine& line) const override {
    const auto& names = ctx.node_names();
    const std::size_t n = names.size();
    // Without groups every pair of nodes; with groups, a side per group and
    // one more for the nodes in none.
    std::vector<int> side = own_sides(n);
    if (!groups_.empty()) {
      side.assign(n, static_cast<int>(groups_.size()));
      for (std::size_t g = 0; g < groups_.size(); ++g)
        for (const auto& name : groups_[g]) side[ctx.node(name)] = static_cast<int>(g);
    }
    ctx.add_loss(between_sides(side));
    line.label = percent(p_) + " loss";
    if (!groups_.empty()) {
      // the groups as sides, the unlisted nodes as one more
      std::vector<std::vector<FaultNode>> sides(groups_.size() + 1);
      for (FaultNode a = 0; a < n; ++a) sides[static_cast<std::size_t>(side[a])].push_back(a);
      if (sides.back().empty()) sides.pop_back();
      line.label += " between " + sides_label(sides, names);
    }
    line.add_double("probability", p_);
    if (!groups_.empty()) line.add_raw("groups", groups_json(groups_));
    ctx.trace(line);
  }

 private:
  std::vector<std::vector<std::string>> groups_;
};

inline EffectPtr parse_loss(const JsonReader& f, const FaultParseContext& ctx) {
  double p = parse_message_fault(f, ctx, {"groups"});
  std::vector<std::vector<std::string>> groups;
  if (f.has("groups")) {
    auto elements = f.at("groups").as_array();
    if (elements.empty()) f.fail_at("groups", "expected at least 1 group");
    std::vector<std::string> seen;
    for (const auto& e : elements) {
      groups.push_back(ctx.nodes.list(e, 1));
      for (std::size_t i = 0; i < groups.back().size(); ++i) {
        const std::string& name = groups.back()[i];
        if (std::find(seen.begin(), seen.end(), name) != seen.end())
          e.element(i).fail("node \"" + name + "\" is in two groups");
        seen.push_back(name);
      }
    }
  }
  return std::make_shared<LossEffect>(p, std::move(groups));
}

inline EffectPtr draw_loss(const NemesisDraw&, Rng& rng) {
  return std::make_shared<LossEffect>(draw_message_fault_probability(rng),
                                      std::vector<std::vector<std::string>>{});
}

inline const FaultKindEntry kLoss = {
    "loss",
    "extra message loss (\"probability\") from \"start\" until \"end\", optionally only "
    "between \"groups\"",
    "start",
    "end",
    "loss",
    "restore",
    nullptr,
    nullptr,
    2,
    parse_loss,
    draw_loss,
    nullptr,
    nullptr,
    R"({"type":"loss","probability":0.3,"groups":[["n1","n2"]],"start":"1s","end":"4s"})",
};

}  // namespace consim::kinds
