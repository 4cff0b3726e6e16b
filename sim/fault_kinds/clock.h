// Fault kind "clock": "at" a time a node's clock jumps to a new "offset"
// and/or runs at a new "drift_ppm"; it stays so (no end). The nemesis
// draws an offset uniformly in [-max_clock_offset, max_clock_offset).
// Trace: "node", "offset" (ns) and "drift_ppm" as now in effect.
#pragma once

#include <charconv>

#include "sim/fault_kinds/node_fault.h"

namespace consim::kinds {

class ClockEffect final : public FaultEffect {
 public:
  ClockEffect(std::string node, std::optional<Time> offset, std::optional<double> drift)
      : node_(std::move(node)), offset_(offset), drift_(drift) {}
  void begin(FaultContext& ctx, FaultLine& line) const override {
    FaultNode node = ctx.node(node_);
    ctx.nodes().set_clock(node, offset_, drift_);
    Time offset = ctx.nodes().clock_offset(node);
    double drift = ctx.nodes().drift_ppm(node);
    line.label = "clock of " + node_ + " " + (offset < 0 ? "-" : "+") +
                 format_duration(offset < 0 ? -offset : offset);
    line.add_string("node", node_);
    line.add_int("offset", offset);
    line.add_double("drift_ppm", drift);
    ctx.trace(line);
  }
  void end(FaultContext&, FaultLine&) const override {}  // never scheduled: no end key
  std::string summary() const override { return "of " + node_; }
  const std::string& node() const { return node_; }
  std::optional<Time> offset() const { return offset_; }
  std::optional<double> drift_ppm() const { return drift_; }

 private:
  std::string node_;
  std::optional<Time> offset_;
  std::optional<double> drift_;
};

inline EffectPtr parse_clock(const JsonReader& f, const FaultParseContext& ctx) {
  std::string node = parse_node_key(f, ctx, {"offset", "drift_ppm"});
  std::optional<Time> offset;
  std::optional<double> drift;
  if (f.has("offset")) offset = loader::signed_duration(f.at("offset"));
  if (f.has("drift_ppm")) drift = f.number("drift_ppm", -1e5, 1e5);
  if (!offset && !drift) f.fail("a clock fault sets \"offset\", \"drift_ppm\" or both");
  return std::make_shared<ClockEffect>(std::move(node), offset, drift);
}

inline EffectPtr draw_clock(const NemesisDraw& d, Rng& rng) {
  const Time max = d.nemesis.max_clock_offset;
  double span = static_cast<double>(2 * max);
  Time offset = static_cast<Time>(rng.next_double() * span) - max;
  return std::make_shared<ClockEffect>(d.node, offset, std::nullopt);
}

inline void clock_nemesis_params(const JsonReader& value, bool listed, NemesisSpec& n) {
  if (!listed) {
    if (value.has("max_clock_offset"))
      value.fail_at("max_clock_offset", "only used when \"kinds\" include \"clock\"");
    return;
  }
  if (!value.has("max_clock_offset"))
    value.fail_at("max_clock_offset", "required when \"kinds\" include \"clock\"");
  n.max_clock_offset = value.duration("max_clock_offset");
  if (n.max_clock_offset <= 0 || n.max_clock_offset > loader::kMaxClockOffset)
    value.fail_at("max_clock_offset",
                  "must be more than 0s and at most " + format_duration(loader::kMaxClockOffset));
}

inline const FaultKindEntry kClock = {
    "clock",
    "\"at\" a time a node's clock jumps by \"offset\" and/or drifts by \"drift_ppm\"; no end",
    "at",
    nullptr,
    "clock",
    nullptr,
    nullptr,
    nullptr,
    1,
    parse_clock,
    draw_clock,
    "max_clock_offset",
    clock_nemesis_params,
    R"({"type":"clock","node":"n1","at":"2s","offset":"-50ms","drift_ppm":20})",
    R"("100ms")",
};

}  // namespace consim::kinds
