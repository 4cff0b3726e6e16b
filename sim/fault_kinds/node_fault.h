// The part crash and pause share: one node, taken over for the fault's
// window ("node" key; the loader checks that windows of one node do not
// overlap, through occupies()); each edge writes its line "<verb> <node>"
// with "node", then acts on the node. A kind is its NodeFaultSpec.
#pragma once

#include "sim/fault_kinds/common.h"
#include "sim/scenario_parts.h"

namespace consim::kinds {

// What a node fault does at one edge: the verb of its label ("<verb>
// <node>") and the NodeControl operation it performs, after its line.
struct NodeEdge {
  std::string_view verb;
  void (NodeControl::*act)(NodeId);
};

// A kind of node fault: its two edges, and whether both lines carry
// "down": true (the node's replicas do not count while it is down).
struct NodeFaultSpec {
  NodeEdge begin, end;
  bool down = false;
};

class NodeEffect final : public FaultEffect {
 public:
  NodeEffect(std::string node, const NodeFaultSpec& spec) : node_(std::move(node)), spec_(spec) {}
  void begin(FaultContext& ctx, FaultLine& line) const override { at(ctx, line, spec_.begin); }
  void end(FaultContext& ctx, FaultLine& line) const override { at(ctx, line, spec_.end); }
  std::optional<std::string> occupies() const override { return node_; }
  std::string summary() const override { return "of " + node_; }

 private:
  // Names the node in the line, traces it, then acts on the node.
  void at(FaultContext& ctx, FaultLine& line, const NodeEdge& edge) const {
    line.label = std::string(edge.verb) + " " + node_;
    line.add_string("node", node_);
    if (spec_.down) line.add_raw("down", "true");
    ctx.trace(line);
    (ctx.nodes().*edge.act)(ctx.node(node_));
  }
  std::string node_;
  const NodeFaultSpec& spec_;  // a kind's constant
};

inline std::string parse_node_key(const JsonReader& fault, const FaultParseContext& ctx,
                                  std::vector<std::string> extra_keys = {}) {
  std::vector<std::string> allowed = ctx.common_keys;
  allowed.emplace_back("node");
  allowed.insert(allowed.end(), extra_keys.begin(), extra_keys.end());
  fault.allow_only(allowed);
  return ctx.nodes.node(fault.at("node"));
}

// The parse and draw functions of a node fault kind whose edges are `Spec`.
template <const NodeFaultSpec& Spec>
EffectPtr parse_node_fault(const JsonReader& f, const FaultParseContext& ctx) {
  return std::make_shared<NodeEffect>(parse_node_key(f, ctx), Spec);
}
template <const NodeFaultSpec& Spec>
EffectPtr draw_node_fault(const NemesisDraw& d, Rng&) {
  return std::make_shared<NodeEffect>(d.node, Spec);
}

}  // namespace consim::kinds
