// A reusable Raft group (leader election, log replication, commitment by
// majority, log compaction) that a store model embeds on some or all of
// its nodes. It acts only through the model's Context (send, timers, role
// lines, notes) and hands committed commands to a RaftStateMachine the
// model provides; commands are opaque Payloads.
//
// How a model embeds it (models/raft.cc is the full example):
//   ctor:        core_ = RaftCore(ctx, *this /*machine*/, options, members, kind);
//                core_.start();
//   on_message:  if (core_.on_message(from, msg)) return;  ...own messages...
//   on_timer:    if (core_.owns_timer(tag)) return core_.on_timer(tag);
//   on_crash:    core_.on_crash();    on_recover: core_.on_recover();
//   a request:   if (!core_.is_leader()) redirect to core_.leader_hint();
//                else index = *core_.propose(command); wait for apply(index).
//
// Invariants (Raft, Ongaro & Ousterhout 2014):
//  - at most one leader per term; a node votes at most once per term;
//  - apply() sees committed entries only, each index once and in order
//    since the last restore(); every member applies the same command at
//    the same index;
//  - a leader commits by counting replicas only entries of its own term;
//  - durable (kept by a crash): term, vote, log and snapshot; volatile:
//    role, leader, commit index, what was applied (the machine is rebuilt
//    from the snapshot on recovery and re-applies committed entries),
//    replication progress, pending read-index requests;
//  - a node that heard from a live leader (or leads with a recent majority)
//    within election_timeout_min ignores vote requests (leader stickiness),
//    and a leader that hears from no majority for election_timeout_max
//    steps down: this is what makes leases sound while clocks behave.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "models/model.h"
#include "models/raft_log.h"

namespace consim {

class JsonReader;

struct RaftOptions {
  Time election_timeout_min = 150 * kMillisecond;  // drawn uniformly in [min, max)
  Time election_timeout_max = 300 * kMillisecond;
  Time heartbeat_interval = 50 * kMillisecond;  // < election_timeout_min
  Time lease_margin = 30 * kMillisecond;        // lease = election_timeout_min - margin
  std::uint64_t max_entries_per_append = 64;
  std::uint64_t snapshot_every = 1000;  // applied entries between two compactions
  bool announce_roles = true;           // ctx.role() lines (off for a second group)
};

// The option keys read_raft_options() accepts, for a parser's allow_only().
std::vector<std::string> raft_option_keys();
// Reads the optional keys of raft_option_keys() from `params` strictly,
// with the defaults in `options` on entry; any error names its JSON path.
void read_raft_options(const JsonReader& params, RaftOptions& options);
// Writes every option (defaults included) into `out`, an object.
void write_raft_options(const RaftOptions& options, nlohmann::json& out);

enum class RaftRole : std::uint8_t { Follower, Candidate, Leader };
std::string_view raft_role_name(RaftRole role);  // "follower", "candidate", "leader"

// What the embedding model provides: its state machine.
class RaftStateMachine {
 public:
  virtual ~RaftStateMachine() = default;
  // Entry `index`, committed, carries `command`.
  virtual void apply(std::uint64_t index, const Payload& command) = 0;
  // Entry `index`, committed, is a leader's no-op: nothing to apply, but a
  // model waiting on that index learns its own entry was replaced.
  virtual void apply_noop(std::uint64_t /*index*/) {}
  // The state after everything applied so far, immutable (compaction keeps it).
  virtual PayloadPtr snapshot() const = 0;
  // Replace the state by `snapshot` (null: the initial empty state).
  virtual void restore(const Payload* snapshot) = 0;
  // This node's role or term changed (not called for a crash; called on
  // recovery). A model typically redirects the requests it was waiting on.
  virtual void role_changed(RaftRole /*role*/, std::uint64_t /*term*/) {}
};

class RaftCore {
 public:
  // Timer kinds first_timer_kind and first_timer_kind + 1 are the core's.
  static constexpr std::uint8_t kTimerKinds = 2;
  // `members`: the group's nodes (sorted, unique, non-empty). On a node not
  // in `members` the core does nothing and is never leader.
  RaftCore(Context& ctx, RaftStateMachine& machine, const RaftOptions& options,
           std::vector<NodeId> members, std::uint8_t first_timer_kind);
  RaftCore(const RaftCore&) = delete;
  RaftCore& operator=(const RaftCore&) = delete;

  // Call once, from the model's constructor: the first role line and
  // election timer.
  void start();
  // True if `message` was the core's (and it is handled).
  bool on_message(NodeId from, const Payload& message);
  bool owns_timer(std::uint64_t tag) const;
  void on_timer(std::uint64_t tag);
  void on_crash();
  void on_recover();

  // Leader only: appends `command` and starts replicating it; returns its
  // index, or nullopt when this node is not the leader. The command is
  // applied (everywhere) once committed; if leadership is lost first it may
  // still commit under a later leader, or be dropped. The index is always
  // log().last_index() + 1 as of the call, and a group of one commits and
  // applies it before propose() returns.
  std::optional<std::uint64_t> propose(PayloadPtr command);
  // Read-index (Raft thesis §6.4): `done(true)` once a majority has confirmed
  // this node still leads, and everything committed when the call was made
  // is applied here; `done(false)` if leadership is lost first.
  void read_index(std::function<void(bool confirmed)> done);
  // Leader lease: a majority confirmed this leader within the last
  // (election_timeout_min - lease_margin), measured on ctx.local_clock(),
  // and this term's first entry is applied. Sound only while clocks drift
  // less than the margin allows.
  bool lease_valid() const;

  bool member() const { return member_; }
  RaftRole role() const { return role_; }
  bool is_leader() const { return role_ == RaftRole::Leader; }
  std::uint64_t term() const { return term_; }
  std::optional<NodeId> leader_hint() const { return leader_; }
  std::uint64_t commit_index() const { return commit_; }
  std::uint64_t last_applied() const { return applied_; }
  const RaftLog& log() const { return log_; }
  const std::vector<NodeId>& members() const { return members_; }

 private:
  struct Progress {
    std::uint64_t next = 1, match = 0, round = 0;
  };
  struct PendingRead {
    std::uint64_t index = 0, round = 0;
    std::function<void(bool)> done;
  };

  void handle_request_vote(NodeId from, const Payload& m);
  void handle_vote(NodeId from, const Payload& m);
  void handle_append(NodeId from, const Payload& m);
  void handle_snapshot(NodeId from, const Payload& m);
  void handle_append_reply(NodeId from, const Payload& m);

  void start_election();
  void become_follower(std::uint64_t term, std::optional<NodeId> leader);
  void become_leader();
  void set_role(RaftRole role);
  void broadcast();  // one round: entries (or a heartbeat) to every follower
  void send_append(NodeId to);
  void advance_commit();
  void apply_committed();
  void advance_rounds();
  void serve_reads();
  void fail_reads();
  void reset_election_timer();
  void arm_heartbeat();
  std::size_t majority() const { return members_.size() / 2 + 1; }
  bool heard_leader_recently() const;

  Context& ctx_;
  RaftStateMachine& machine_;
  RaftOptions options_;
  std::vector<NodeId> members_;
  std::uint8_t timer_kind_;
  bool member_ = false;
  // Durable.
  std::uint64_t term_ = 0;
  std::optional<NodeId> voted_for_;
  RaftLog log_;
  // Volatile.
  RaftRole role_ = RaftRole::Follower;
  std::optional<NodeId> leader_;
  std::uint64_t commit_ = 0, applied_ = 0;
  std::vector<NodeId> votes_;
  std::map<NodeId, Progress> progress_;
  std::uint64_t term_start_ = 0;  // index of this leader's no-op
  std::uint64_t round_ = 0, confirmed_round_ = 0;
  std::map<std::uint64_t, Time> round_sent_;  // round -> local clock when sent
  // Local clock: a leader's lease end; when the leader was last confirmed
  // by a majority, or a follower last heard its leader.
  Time lease_until_ = 0, last_contact_ = 0;
  std::vector<PendingRead> reads_;
  std::optional<TimerId> election_timer_, heartbeat_timer_;
  std::uint64_t election_gen_ = 0, heartbeat_gen_ = 0;
  std::optional<Time> electing_since_;  // true time the current election began
};

}  // namespace consim
