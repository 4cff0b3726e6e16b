// The leader-lease model's coordination group: the lease table (who holds
// the lease, with which fencing token), replicated by a Raft group
// (models/raft_core.h) on the nodes `coordination` names; its leader L
// alone answers the applications.
//
//   on lease-request(app, token, sent_at) at L:
//     app holds the lease here -> confirm leadership (read-index), then
//       free_after := L's clock + lease; reply lease-grant(token, sent_at)
//     nobody holds it, or L's clock >= free_after
//                              -> append grant(app, current token); when
//       applied: token := its index; free_after := L's clock + lease;
//       reply lease-grant(token, sent_at)
//     else                     -> reply lease-busy(holder, token)
//   L, on becoming leader: free_after := its clock + lease (the previous
//     leader may have renewed the holder just before)
//
// Invariants: a token only grows (it is the index of the grant's log
// entry, and a grant applies only if the token is still the one its leader
// saw); at most one grant is being committed at a time. Durable: the Raft
// state (term, vote, log), from which the lease table is rebuilt; volatile:
// the leader's free_after and its pending grant.
#pragma once

#include <optional>

#include "models/leader_lease_parts.h"

namespace consim::leader_lease {

class LeaseGroup : private RaftStateMachine {
 public:
  // Timer kinds raft_timer_kind .. + RaftCore::kTimerKinds - 1 are the group's.
  LeaseGroup(const Config& config, Context& ctx, std::uint8_t raft_timer_kind);
  LeaseGroup(const LeaseGroup&) = delete;
  LeaseGroup& operator=(const LeaseGroup&) = delete;

  void start() { core_.start(); }
  // Handles the Raft messages and lease-request; false for the others.
  bool on_message(NodeId from, const Payload& m);
  bool owns_timer(std::uint64_t tag) const { return core_.owns_timer(tag); }
  void on_timer(std::uint64_t tag) { core_.on_timer(tag); }
  void on_crash();
  void on_recover() { core_.on_recover(); }

  bool member() const { return core_.member(); }
  // The holder in the lease table as this member has applied it.
  std::optional<NodeId> holder() const { return state_.holder; }

 private:
  struct Pending {
    std::uint64_t index = 0;  // 0 while propose() runs
    NodeId app = 0;
    Time sent_at = 0;
  };

  void serve_lease_request(const LeaseRequest& r);
  void apply(std::uint64_t index, const Payload& command) override;
  PayloadPtr snapshot() const override;
  void restore(const Payload* s) override;
  void role_changed(RaftRole role, std::uint64_t term) override;
  void send_grant(NodeId app, std::uint64_t token, Time sent_at);

  const Config& config_;
  Context& ctx_;
  LeaseState state_;                // rebuilt from the Raft log
  std::optional<Pending> pending_;  // leader: the grant being committed
  Time free_after_ = 0;             // leader, local clock: the lease is surely over
  RaftCore core_;                   // last: built after the state it calls back into
};

}  // namespace consim::leader_lease
