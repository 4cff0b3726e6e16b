// The run's nodes, by id: the one place that reaches a NodeRuntime from
// outside. It implements the ports other parts use to reach nodes (the
// transport's MessageInbox, the clients' RequestInbox, the faults'
// NodeControl) by forwarding to the node with that id.
//
// Invariant: node i is NodeId i (the scenario's node order); ids passed in
// were resolved by the loader or come from the engine itself, so they are
// in range (checked with at(), a bad id being a broken invariant, except on
// the message-delivery hot path, where the transport's ids come from sends).
#pragma once

#include <memory>
#include <vector>

#include "sim/node_runtime.h"
#include "sim/ports.h"

namespace consim {

class Nodes final : public MessageInbox, public RequestInbox, public NodeControl {
 public:
  void add(std::unique_ptr<NodeRuntime> node) { nodes_.push_back(std::move(node)); }
  std::size_t size() const { return nodes_.size(); }
  NodeRuntime& operator[](NodeId id) { return *nodes_.at(id); }
  auto begin() { return nodes_.begin(); }
  auto end() { return nodes_.end(); }

  // MessageInbox, RequestInbox.
  void deliver(NodeId to, NodeId from, PayloadPtr message, std::uint64_t msg_id) override {
    nodes_[to]->deliver(from, std::move(message), msg_id);
  }
  void request(NodeId node, const Request& req) override { nodes_.at(node)->request(req); }

  // NodeControl.
  void crash(NodeId node) override { nodes_.at(node)->crash(); }
  void restart(NodeId node) override { nodes_.at(node)->restart(); }
  void pause(NodeId node) override { nodes_.at(node)->pause(); }
  void resume(NodeId node) override { nodes_.at(node)->resume(); }
  void set_clock(NodeId node, std::optional<Time> offset,
                 std::optional<double> drift_ppm) override {
    nodes_.at(node)->set_clock(offset, drift_ppm);
  }
  Time clock_offset(NodeId node) const override { return nodes_.at(node)->clock_offset(); }
  double drift_ppm(NodeId node) const override { return nodes_.at(node)->drift_ppm(); }

  // The loop: one of a node's timers fires.
  void timer_fires(const events::TimerFires& e) { nodes_[e.node]->timer_fires(e); }

 private:
  std::vector<std::unique_ptr<NodeRuntime>> nodes_;
};

}  // namespace consim
