// Fault kind "loss": extra message loss with "probability" from "start"
// until "end", between every pair of nodes, or with "groups" only between
// nodes of different groups (nodes in no group form one more group). The
// nemesis draws a probability uniformly in [0.1, 0.5) between every pair.
// Trace: begin carries "probability" and, with groups, "groups".
#pragma once

#include "sim/fault_kinds/common.h"
#include "sim/partition.h"
#include "sim/scenario_parts.h"

namespace consim::kinds {

class LossEffect final : public FaultEffect {
 public:
  LossEffect(double p, std::vector<std::vector<std::string>> groups)
      : p_(p), groups_(std::move(groups)) {}
  void begin(FaultContext& ctx, FaultLine& line) const override {
    const auto& names = ctx.node_names();
    const std::size_t n = names.size();
    std::vector<int> side(n, static_cast<int>(groups_.size()));
    for (std::size_t g = 0; g < groups_.size(); ++g)
      for (const auto& name : groups_[g]) side[ctx.node(name)] = static_cast<int>(g);
    LossMatrix loss(n, std::vector<double>(n, 0));
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b)
        if (a != b && side[a] != side[b]) loss[a][b] = p_;
    ctx.add_loss(std::move(loss));
    line.label = std::to_string(static_cast<int>(p_ * 100 + 0.5)) + "% loss";
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
  void end(FaultContext& ctx, FaultLine& line) const override {
    line.label = "loss ends";
    ctx.trace(line);
    ctx.remove_own();
  }
  std::string summary() const override {
    return std::to_string(static_cast<int>(p_ * 100 + 0.5)) + "%";
  }

 private:
  double p_;
  std::vector<std::vector<std::string>> groups_;
};

inline EffectPtr parse_loss(const JsonReader& f, const FaultParseContext& ctx) {
  std::vector<std::string> allowed = ctx.common_keys;
  allowed.insert(allowed.end(), {"probability", "groups"});
  f.allow_only(allowed);
  double p = f.probability("probability");
  if (!(p > 0)) f.fail_at("probability", "must be more than 0");
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
  return std::make_shared<LossEffect>(0.1 + 0.4 * rng.next_double(),
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
