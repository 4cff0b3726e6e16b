// Fault kind "partition": cuts the network by a shape (partition_shapes.cc)
// from "start" until "heal". The nemesis draws one of the shapes that need
// no keys. Trace: begin carries "shape", "sides" (the groups that reach
// each other once the cut is in) and "cuts" (the directed pairs this
// partition cuts); end ("heal") carries nothing more.
#pragma once

#include "sim/fault_kinds/common.h"
#include "sim/partition.h"
#include "sim/scenario_parts.h"
#include "sim/trace_writer.h"

namespace consim::kinds {

class PartitionEffect final : public FaultEffect {
 public:
  explicit PartitionEffect(PartitionSpec spec) : spec_(std::move(spec)) {}
  void begin(FaultContext& ctx, FaultLine& line) const override {
    BlockMatrix m = compile_partition(spec_, ctx.node_names(), ctx.rng());
    const auto& names = ctx.node_names();
    std::string cuts = "[";
    for (std::size_t a = 0; a < m.size(); ++a)
      for (std::size_t b = 0; b < m.size(); ++b)
        if (m[a][b])
          cuts += (cuts.size() > 1 ? ",[" : "[") + json_quote(names[a]) + "," +
                  json_quote(names[b]) + "]";
    ctx.add_cuts(std::move(m));
    auto sides = ctx.sides();
    line.label = sides_label(sides, names);
    line.add_string("shape", spec_.shape->name);
    line.add_raw("sides", sides_json(sides, names));
    line.add_raw("cuts", cuts + "]");
    ctx.trace(line);
  }
  void end(FaultContext& ctx, FaultLine& line) const override {
    line.label = "heal";
    ctx.trace(line);
    ctx.remove_own();
  }
  std::string summary() const override { return std::string("(") + spec_.shape->name + ")"; }
  const PartitionSpec& spec() const { return spec_; }

 private:
  PartitionSpec spec_;
};

inline EffectPtr parse_partition(const JsonReader& fault, const FaultParseContext& ctx) {
  return std::make_shared<PartitionEffect>(
      loader::parse_partition(fault, ctx.nodes, ctx.common_keys));
}

inline EffectPtr draw_partition(const NemesisDraw&, Rng& rng) {
  std::vector<const ShapeEntry*> drawable;
  for (const auto& s : partition_shapes())
    if (s.random) drawable.push_back(&s);
  PartitionSpec spec;
  spec.shape = drawable[rng.below(drawable.size())];
  return std::make_shared<PartitionEffect>(std::move(spec));
}

inline const FaultKindEntry kPartition = {
    "partition",
    "cuts the network by a shape from \"start\" until \"heal\"",
    "start",
    "heal",
    "partition",
    "heal",
    nullptr,
    nullptr,
    2,
    parse_partition,
    draw_partition,
    nullptr,
    nullptr,
    R"({"type":"partition","shape":"majority-minority","minority":["n4","n5"],"start":"2s","heal":"5s"})",
};

}  // namespace consim::kinds
