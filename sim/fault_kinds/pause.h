// Fault kind "pause": a node freezes "at" a time (keeps its state, handles
// nothing) and goes on at "resume". Trace lines carry "node".
#pragma once

#include "sim/fault_kinds/node_fault.h"

namespace consim::kinds {

class PauseEffect final : public NodeEffect {
 public:
  using NodeEffect::NodeEffect;
  void begin(FaultContext& ctx, FaultLine& line) const override {
    FaultNode node = mark(ctx, line, "pause");
    ctx.trace(line);
    ctx.nodes().pause(node);
  }
  void end(FaultContext& ctx, FaultLine& line) const override {
    FaultNode node = mark(ctx, line, "resume");
    ctx.trace(line);
    ctx.nodes().resume(node);
  }
};

inline const FaultKindEntry kPause = {
    "pause",
    "a node pauses \"at\" a time and resumes at \"resume\" (or stays paused)",
    "at",
    "resume",
    "pause",
    "resume",
    "paused",
    "pauses",
    1,
    [](const JsonReader& f, const FaultParseContext& ctx) -> EffectPtr {
      return std::make_shared<PauseEffect>(parse_node_key(f, ctx));
    },
    [](const NemesisDraw& d, Rng&) -> EffectPtr { return std::make_shared<PauseEffect>(d.node); },
    nullptr,
    nullptr,
    R"({"type":"pause","node":"n4","at":"1s","resume":"4s"})",
};

}  // namespace consim::kinds
