// Fault kind "crash": a node stops and loses its volatile state "at" a
// time, and comes back at "restart". Trace lines carry "node" and
// "down": true (the node's replicas do not count while it is down).
#pragma once

#include "sim/fault_kinds/node_fault.h"

namespace consim::kinds {

class CrashEffect final : public NodeEffect {
 public:
  using NodeEffect::NodeEffect;
  void begin(FaultContext& ctx, FaultLine& line) const override {
    FaultNode node = mark(ctx, line, "crash");
    line.add_raw("down", "true");
    ctx.trace(line);
    ctx.nodes().crash(node);
  }
  void end(FaultContext& ctx, FaultLine& line) const override {
    FaultNode node = mark(ctx, line, "restart");
    line.add_raw("down", "true");
    ctx.trace(line);
    ctx.nodes().restart(node);
  }
};

inline const FaultKindEntry kCrash = {
    "crash",
    "a node crashes \"at\" a time and restarts at \"restart\" (or stays down)",
    "at",
    "restart",
    "crash",
    "restart",
    "crashed",
    "crashes",
    1,
    [](const JsonReader& f, const FaultParseContext& ctx) -> EffectPtr {
      return std::make_shared<CrashEffect>(parse_node_key(f, ctx));
    },
    [](const NemesisDraw& d, Rng&) -> EffectPtr { return std::make_shared<CrashEffect>(d.node); },
    nullptr,
    nullptr,
    R"({"type":"crash","node":"n2","at":"3s","restart":"6s"})",
};

}  // namespace consim::kinds
