// The quorum model's register coordinator and replica class (shared by its
// .cc files; not a public header): quorum_wire.h has the parameters, ring
// and messages, quorum_coordinator.h the coordinator's steps shared with
// sets and counters (quorum_crdt.h).
//
// Invariants: the operations (QuorumCoordinator::ops_) and the suspected
// nodes are volatile; the store, the counters and the hints are durable.
// A key's state here is visible (ctx.applied_versions) except a hint's,
// which is held for its owner only.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/anti_entropy.h"
#include "models/conflict.h"
#include "models/model.h"
#include "models/model_support.h"
#include "models/quorum_coordinator.h"
#include "models/quorum_crdt.h"
#include "models/quorum_wire.h"
#include "models/retry_queue.h"

namespace consim::quorum {

// An operation this node coordinates on a register (OpCore has the phases).
struct Op : OpCore {
  // Reads and queries: the states of the first `needed` replies, joined;
  // and each responder's siblings, for read repair.
  conflict::KeyState joined;
  std::map<NodeId, std::vector<conflict::Sibling>> seen;
  conflict::KeyState writing;             // the state being written or repaired
  conflict::CausalContext write_context;  // a write's new context (its client's + its dot)
};

class QuorumReplica : public Replica,
                      private AntiEntropyHost,
                      private QuorumCoordinator<QuorumReplica, Op> {
 public:
  QuorumReplica(const Config& config, Context& ctx);
  void on_request(const Request& request) override;
  void on_message(NodeId from, const Payload& message) override;
  void on_timer(std::uint64_t tag) override;
  void on_crash() override;
  void on_recover() override;

 private:
  friend class CrdtQuorum;  // sets and counters share the ring and the replica choice
  friend class QuorumCoordinator<QuorumReplica, Op>;
  // Coordinator (quorum.cc).
  std::vector<NodeId> preferred(Key key) const;
  std::vector<NodeId> choose(Key key, std::size_t count);
  void start_write(std::uint64_t id, Op& op);
  void send_write(std::uint64_t id, Op& op, NodeId to, std::optional<NodeId> hint_for);
  void query_done(std::uint64_t id, Op& op);
  void on_suspect_timer(std::uint64_t id);
  void substitute(std::uint64_t id, Op& op, NodeId owner);
  // What QuorumCoordinator asks of a register (quorum.cc).
  static void remember(Op& op, NodeId from, const conflict::KeyState& state) {
    op.seen[from] = state.siblings;
  }
  void join(Op& op, const conflict::KeyState& state) const {
    conflict::merge(config_.conflict, op.joined, state);
  }
  static const std::vector<conflict::Sibling>& joined_view(const Op& op) {
    return op.joined.siblings;
  }
  // A read that found no value answers at once: there is nothing to hold.
  static bool read_nothing(const Op& op) { return op.joined.siblings.empty(); }
  Reply read_reply(const Op& op) const;
  Reply write_reply(const Op& op) const;
  PayloadPtr repair_message(std::uint64_t id, const Op& op) const;
  static constexpr std::string_view kUpdate = "write";  // for the timeout's reasons
  static constexpr std::string_view kHeld = "value";
  // The fields every message carrying `s` shares.
  void fill(StatePayload& m, conflict::KeyState s) const {
    m.bytes = bytes_of(s);
    m.vv = vv_of(s);
    m.state = std::move(s);
  }

  // Replica side (quorum_replica.cc).
  bool merge_local(Key key, const conflict::KeyState& incoming);
  conflict::KeyState state_of(Key key) const;
  void hold_hint(NodeId owner, Key key, const conflict::KeyState& state);
  void hint_acked(NodeId from, std::uint64_t id);
  // What a message carrying `s` shows on its send line: version-vectors
  // and mv-register only.
  std::optional<conflict::CausalContext> vv_of(const conflict::KeyState& s) const {
    if (config_.conflict == conflict::Strategy::Lww) return std::nullopt;
    return s.causal_context();
  }
  // lww's per-key context is ghost metadata (the overwrite report), not sent.
  // Anti-entropy (quorum_replica.cc): peers compare the keys both are
  // preferred replicas of.
  void anti_entropy_changed(Key key);
  std::vector<NodeId> anti_entropy_peers() const override;
  bool shares_key(NodeId peer, Key key) const override;
  KeyVersionsPtr key_versions(Key key) override;
  void merge_key_versions(Key key, const KeyVersions& versions) override;
  std::size_t bytes_of(const conflict::KeyState& s) const {
    if (config_.conflict != conflict::Strategy::Lww)
      return conflict::wire_bytes(config_.conflict, s);
    conflict::KeyState shipped;
    shipped.siblings = s.siblings;
    return conflict::wire_bytes(config_.conflict, shipped);
  }

  const Config& config_;
  Context& ctx_;
  Ring ring_;
  // Durable: the store, the counters (and QuorumCoordinator's next_op_), the hints.
  std::map<Key, conflict::KeyState> store_;
  std::uint64_t write_counter_ = 0;
  // version-vectors, mv-register: the last dot counter of this coordinator
  // per key (a write's dot is (self, ++key_dots_[key])).
  std::map<Key, std::uint64_t> key_dots_;
  std::uint64_t next_hint_ = 1;
  std::map<std::uint64_t, std::string> hints_;  // id -> what it carries, for the note
  RetryQueue handoff_;
  std::optional<AntiEntropy> anti_entropy_;  // trees durable, as the store
  std::unique_ptr<CrdtQuorum> crdt_;         // sets and counters; null for registers
  // Volatile (and QuorumCoordinator's ops_).
  std::set<NodeId> suspected_;  // preferred replicas this coordinator believes unreachable
};

}  // namespace consim::quorum
