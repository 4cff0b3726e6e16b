// The part crash and pause share: one node, taken over for the fault's
// window ("node" key; the loader checks that windows of one node do not
// overlap, through occupies()).
#pragma once

#include "sim/fault_kinds/common.h"
#include "sim/scenario_parts.h"

namespace consim::kinds {

class NodeEffect : public FaultEffect {
 public:
  explicit NodeEffect(std::string node) : node_(std::move(node)) {}
  std::optional<std::string> occupies() const override { return node_; }
  std::string summary() const override { return "of " + node_; }
  const std::string& node() const { return node_; }

 protected:
  // Names the node in the line and the label "<verb> <node>".
  FaultNode mark(FaultContext& ctx, FaultLine& line, std::string_view verb) const {
    line.label = std::string(verb) + " " + node_;
    line.add_string("node", node_);
    return ctx.node(node_);
  }
  std::string node_;
};

inline std::string parse_node_key(const JsonReader& fault, const FaultParseContext& ctx,
                                  std::vector<std::string> extra_keys = {}) {
  std::vector<std::string> allowed = ctx.common_keys;
  allowed.emplace_back("node");
  allowed.insert(allowed.end(), extra_keys.begin(), extra_keys.end());
  fault.allow_only(allowed);
  return ctx.nodes.node(fault.at("node"));
}

}  // namespace consim::kinds
