// The narrow interfaces through which the engine's parts reach each other.
// A part's constructor takes exactly the ports it uses, so its header says
// what it may touch:
//
//   Transport   -> MessageInbox (deliver a copy to a node)
//   NodeRuntime -> MessageOutbox (send, liveness), ReplyInbox (reply to a
//                  client)
//   Clients     -> RequestInbox (hand a request to a node)
//   Faults      -> NodeControl (crash, restart, pause, resume, clocks),
//                  FaultNetwork (sim/fault_kind.h: install cuts, read the
//                  sides, extra loss)
//
// plus, for each, the EventLoop (time and scheduling its own events), the
// TraceWriter and read-only configuration. The World (sim/world.h) owns the
// parts, implements the ports by wiring them together, and dispatches each
// event kind to its part.
//
// Invariant: every port call happens inside the dispatch of one event, at
// the loop's current time; no port schedules or traces on another's behalf
// except as documented here.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "models/model.h"

namespace consim {

// Transport -> nodes: a copy of a message arrives at `to` (which may be
// down or paused: the node decides).
class MessageInbox {
 public:
  virtual void deliver(NodeId to, NodeId from, PayloadPtr message, std::uint64_t msg_id) = 0;

 protected:
  ~MessageInbox() = default;
};

// Nodes -> transport: a node sends a message (traced and delivered, lost,
// held or dropped by the transport), and tells when it goes down (crash,
// pause) or comes back, so that routing stops or resumes relaying through it.
class MessageOutbox {
 public:
  virtual void send(NodeId from, NodeId to, PayloadPtr message) = 0;
  virtual void liveness_changed(NodeId node, bool can_relay) = 0;

 protected:
  ~MessageOutbox() = default;
};

// Clients -> nodes: a request reaches `node` (lost if it is down).
class RequestInbox {
 public:
  virtual void request(NodeId node, const Request& req) = 0;

 protected:
  ~RequestInbox() = default;
};

// Nodes -> clients: `node` replies to a request (ignored if the client has
// given up on it).
class ReplyInbox {
 public:
  virtual void on_reply(NodeId node, const Request& request, Reply reply) = 0;

 protected:
  ~ReplyInbox() = default;
};

// Faults -> nodes: liveness and clocks. Each call is idempotent where the
// node is already in the target state (crashing a crashed node does
// nothing). The fault kinds (sim/fault_kind.h) use this same interface.
class NodeControl {
 public:
  virtual ~NodeControl() = default;
  virtual void crash(NodeId node) = 0;
  virtual void restart(NodeId node) = 0;
  virtual void pause(NodeId node) = 0;
  virtual void resume(NodeId node) = 0;
  // Sets the clock's offset from true time and/or its drift, from now on.
  virtual void set_clock(NodeId node, std::optional<Time> offset,
                         std::optional<double> drift_ppm) = 0;
  virtual Time clock_offset(NodeId node) const = 0;  // local clock - true time
  virtual double drift_ppm(NodeId node) const = 0;
};

// The nodes' names, by id (read-only, shared by the parts that print or
// resolve names).
class NodeNames {
 public:
  explicit NodeNames(std::vector<std::string> names);
  std::size_t size() const { return names_.size(); }
  const std::string& name(NodeId id) const { return names_.at(id); }
  const std::vector<std::string>& all() const { return names_; }
  std::optional<NodeId> find(std::string_view name) const;

 private:
  std::vector<std::string> names_;
  std::map<std::string, NodeId, std::less<>> ids_;
};

}  // namespace consim
