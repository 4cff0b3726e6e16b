// The primary-backup replica (internal to the model; see primary_backup.cc
// for the protocol and docs/models.md for the pseudocode). Split in three
// files: primary_backup.cc (common state, backups, failure detector),
// primary_backup_view_change.cc (pre-vote, promises, promotion) and
// primary_backup_primary.cc (the primary: writes, commit, reads,
// heartbeats, configuration).
//
// Invariants: entries 1..applied_ are in store_ (the visible state);
// applied_ <= log length; a primary replies ok to a write only once its
// entry is committed (commit_ >= its index) and serves a read only from
// entries that are committed; every role change is announced through
// ctx.role exactly once.
#pragma once

#include <map>
#include <optional>
#include <vector>

#include "models/primary_backup_parts.h"

namespace consim::pb {

enum class Role : std::uint8_t { Backup, Candidate, Primary };

class PrimaryBackupReplica : public Replica {
 public:
  PrimaryBackupReplica(const Config& config, Context& ctx);

  void on_request(const Request& request) override;
  void on_message(NodeId from, const Payload& message) override;
  void on_timer(std::uint64_t tag) override;
  void on_crash() override;
  void on_recover() override;

 private:
  enum TimerKind : std::uint8_t {
    kTick = 1,
    kRefresh = 2,
    kCollect = 3,
    kCatchUp = 4,
    kSuspect = 5
  };

  // ---- common (primary_backup.cc) ----
  std::uint64_t length() const { return log_.size(); }
  std::size_t majority() const { return ctx_.node_count() / 2 + 1; }
  bool fencing() const { return config_.fencing == Fencing::Epoch; }
  void announce(std::string_view role);
  void start_timers();
  void apply_up_to(std::uint64_t index);
  void install(const std::vector<Entry>& entries);
  std::optional<Value> value_of(Key key) const;
  void adopt_epoch(std::uint64_t epoch, std::string_view why);
  void serve_as_backup(const Request& request);

  // ---- backup (primary_backup.cc), view change (primary_backup_view_change.cc) ----
  void on_append(NodeId from, const Append& m);
  void follow(NodeId primary);
  void extend(std::uint64_t prev, const std::vector<Entry>& entries);
  void check_primary();
  void on_view_change(NodeId from, const ViewChange& m);
  void on_view_ack(NodeId from, const ViewAck& m);
  void start_pre_vote();
  void start_view_change();
  bool keeps_primary() const;
  void decide();
  void on_promote(NodeId from, const Promote& m);

  // ---- primary (primary_backup_primary.cc) ----
  void become_primary();
  void step_down(std::string_view why);
  void finish_catch_up();
  void write(const Request& request);
  void read(const Request& request, std::optional<Value> cas_found);
  void on_append_ack(NodeId from, const AppendAck& m);
  void broadcast();
  void send_append(NodeId to, bool with_entries);
  void check_backups();
  void advance_commit();
  std::uint64_t commit_target() const;
  void serve_reads();
  bool majority_heard_recently() const;
  std::optional<Value> tip_value(Key key) const;

  const Config config_;
  Context& ctx_;

  // Durable.
  std::uint64_t epoch_ = 1;
  std::optional<NodeId> promised_to_;  // the candidate my promise of epoch_ went to
  std::vector<Entry> log_;
  std::uint64_t log_epoch_ = 1;  // the epoch whose primary my log was last synced with
  std::map<Key, Value> store_;
  std::uint64_t applied_ = 0;

  // Volatile.
  Role role_ = Role::Backup;
  std::optional<NodeId> primary_;
  std::uint64_t commit_ = 0;
  Time last_heard_ = 0;  // from my primary, or since I stopped having one
  Time jitter_ = 0;      // added to suspicion_timeout, redrawn per suspicion
  std::optional<std::pair<std::string, std::uint64_t>> announced_;
  std::optional<TimerId> collect_timer_;
  bool pre_voting_ = false;
  std::vector<NodeId> pre_grants_;
  std::map<NodeId, std::pair<std::uint64_t, std::uint64_t>> votes_;  // voter -> (log epoch, length)
  // Appends of this epoch that arrived before the one they follow, by prev.
  static constexpr std::size_t kMaxEarly = 256;
  std::map<std::uint64_t, std::vector<Entry>> early_;

  // Volatile, primary only.
  struct Follower {
    std::uint64_t match = 0;  // its log agrees with mine up to here
    std::uint64_t acked_round = 0;
    bool in_config = true;
    bool need_reset = false;
    Time last_ack = 0;
  };
  struct WaitingRead {
    Request request;
    std::uint64_t round = 0;         // needs confirmation by a round >= this (fencing epoch)
    std::uint64_t index = 0;         // and entries up to this applied
    std::optional<Value> cas_found;  // a cas miss: the value it found
  };
  std::vector<Follower> followers_;
  std::map<std::uint64_t, Request> pending_writes_;  // by log index
  std::vector<WaitingRead> reads_;
  std::uint64_t round_ = 0;
  std::uint64_t confirmed_round_ = 0;
  std::uint64_t promoted_length_ = 0;  // reads wait until this much is committed
  bool catching_up_ = false;
  Time catch_up_start_ = 0;
  std::optional<TimerId> catch_up_timer_;
};

}  // namespace consim::pb
