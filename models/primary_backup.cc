// The primary-backup store model (master-slave): one primary orders every
// write in a log and replicates it to the backups; a failure detector and a
// view change promote the most up-to-date reachable backup when the primary
// goes silent. This file: the common state and the backups;
// primary_backup_view_change.cc: the view change; primary_backup_primary.cc:
// the primary.
//
//   write at the primary P of epoch e: append (e, k, v) to the log; send it
//     to every backup; reply ok once committed:
//       sync: every backup of the configuration has it (and, with fencing
//             epoch, a majority of all nodes does);
//       semi-sync: one backup has it; async: at once
//   on append(e, prev, entries, commit) at a backup:
//     e older than mine -> fencing epoch: answer fenced(mine); none: ignore
//     e newer -> adopt e, follow the sender
//     log not synced with e -> ack "not synced": P sends its whole log (sync)
//     else append the entries past my log; learn commit; hot: apply
//     committed entries now; warm: at the next refresh (every warm_refresh)
//   read: at P (read_from primary) -> fencing epoch: confirm with a round of
//     heartbeats acknowledged by a majority in e, then reply the committed
//     value; none: reply the committed value at once
//     at a backup: read_from any -> its applied value; else redirect to P
//   failure detector: P sends heartbeats every heartbeat_interval; a backup
//     that has not heard P for suspicion_timeout (+ a random jitter) suspects
//     it and starts a view change
//   view change by candidate C: propose e' = e + 1 to all; a node promises
//     e' (unless it heard its primary within suspicion_timeout) and answers
//     with (log epoch, log length); after every node answered or
//     2 x heartbeat_interval, C picks the most up-to-date answer (needs a
//     majority with fencing epoch) and promotes it; the new primary resyncs
//     every backup to its log
//
// Why sync + fencing epoch is linearizable and loses no acknowledged write
// (the argument of Viewstamped Replication): a write is acknowledged only
// once a majority holds it in the primary's epoch; a new epoch needs a
// majority of promises, and a node that promised stops accepting the old
// epoch; the two majorities share a node, which holds the write, and the
// new primary's log is at least as up to date as that node's (log epoch
// first, then length), so it holds the write too. Example: n1 (epoch 1)
// commits x=5 on n1 and n2; n3 misses it. n1 crashes; n3 proposes epoch 2;
// n2 and n3 answer, n2 with (1, 6 entries), n3 with (1, 5): n2 is promoted
// and still has x=5.
//
// Durable: epoch, promise, log, log epoch, store, applied index. Volatile:
// the role (a node recovers as a backup without a primary), commit index,
// what a primary knows of its backups, waiting requests.
#include "models/primary_backup.h"

#include <algorithm>

#include "models/primary_backup_replica.h"

namespace consim {
namespace pb {

PrimaryBackupReplica::PrimaryBackupReplica(const Config& config, Context& ctx)
    : config_(config), ctx_(ctx) {
  jitter_ = static_cast<Time>(ctx_.rng().below(config_.suspicion_timeout / 2 + 1));
  start_timers();
  if (ctx_.self() == config_.primary) {
    become_primary();
  } else {
    follow(config_.primary);
  }
}

void PrimaryBackupReplica::announce(std::string_view role) {
  std::pair<std::string, std::uint64_t> now{std::string(role), epoch_};
  if (announced_ == now) return;
  announced_ = now;
  ctx_.role(role, epoch_);
}

void PrimaryBackupReplica::start_timers() {
  ctx_.set_timer(config_.heartbeat_interval, timer_tag(kTick, 0));
  if (config_.standby == Standby::Warm)
    ctx_.set_timer(config_.warm_refresh, timer_tag(kRefresh, 0));
}

void PrimaryBackupReplica::on_request(const Request& request) {
  if (role_ != Role::Primary) return serve_as_backup(request);
  if (catching_up_)
    return ctx_.reply(request,
                      Reply::fail("catching up: replaying " + std::to_string(length() - applied_) +
                                  " log entries before serving"));
  if (request.type == OpType::Read) return read(request, std::nullopt);
  if (request.type == OpType::Cas) {
    std::optional<Value> tip = tip_value(request.key);
    if (tip != request.expected) return read(request, tip);  // expected 0 never matches
  }
  write(request);
}

void PrimaryBackupReplica::serve_as_backup(const Request& request) {
  if (request.type == OpType::Read && config_.read_from == ReadFrom::Any)
    return ctx_.reply(request, Reply::ok(value_of(request.key)));
  if (primary_) return ctx_.reply(request, Reply::redirect(*primary_));
  ctx_.reply(request, Reply::fail("no primary known in epoch " + std::to_string(epoch_)));
}

void PrimaryBackupReplica::on_message(NodeId from, const Payload& message) {
  if (auto* a = payload_as<Append>(message)) return on_append(from, *a);
  if (auto* k = payload_as<AppendAck>(message)) return on_append_ack(from, *k);
  if (auto* f = payload_as<Fenced>(message)) {
    if (f->epoch <= epoch_) return;
    if (role_ == Role::Primary)
      ctx_.note("fenced", std::string(ctx_.node_name(from)) + " has seen epoch " +
                              std::to_string(f->epoch) + ": primary of epoch " +
                              std::to_string(epoch_) + " steps down");
    return adopt_epoch(f->epoch, "fenced");
  }
  if (auto* v = payload_as<ViewChange>(message)) return on_view_change(from, *v);
  if (auto* va = payload_as<ViewAck>(message)) return on_view_ack(from, *va);
  if (auto* p = payload_as<Promote>(message)) return on_promote(from, *p);
}

void PrimaryBackupReplica::on_timer(std::uint64_t tag) {
  switch (timer_kind(tag)) {
    case kTick:
      ctx_.set_timer(config_.heartbeat_interval, timer_tag(kTick, 0));
      if (role_ == Role::Primary) {
        check_backups();
        broadcast();
      } else if (role_ == Role::Backup) {
        check_primary();
      }
      break;
    case kRefresh:
      ctx_.set_timer(config_.warm_refresh, timer_tag(kRefresh, 0));
      if (role_ != Role::Primary) apply_up_to(commit_);
      break;
    case kCollect:
      collect_timer_.reset();
      if (pre_voting_) {
        pre_voting_ = false;
        last_heard_ = ctx_.now();
        ctx_.note("view-change-failed", "pre-vote for epoch " + std::to_string(epoch_ + 1) + ": " +
                                            std::to_string(pre_grants_.size()) + " of " +
                                            std::to_string(majority()) + " needed would promise");
      } else {
        decide();
      }
      break;
    case kSuspect:
      if (role_ == Role::Backup) check_primary();
      break;
    case kCatchUp:
      catch_up_timer_.reset();
      finish_catch_up();
      break;
  }
}

void PrimaryBackupReplica::on_crash() {
  role_ = Role::Backup;
  primary_.reset();
  commit_ = applied_;
  announced_.reset();  // the crash ended every role
  collect_timer_.reset();
  votes_.clear();
  followers_.clear();
  pending_writes_.clear();
  reads_.clear();
  early_.clear();
  catching_up_ = false;
  catch_up_timer_.reset();
}

void PrimaryBackupReplica::on_recover() {
  last_heard_ = ctx_.now();
  announce("backup");
  start_timers();
}

void PrimaryBackupReplica::apply_up_to(std::uint64_t index) {
  index = std::min(index, length());
  for (; applied_ < index; ++applied_) {
    const Entry& e = log_[applied_];
    store_[e.key] = e.value;
    ctx_.applied(e.key, e.value);
  }
}

// Replace my log with the primary's: entries past the first difference are
// discarded; if applied ones are among them, the store is rebuilt and each
// changed key re-announced (a rollback: those writes are gone here).
void PrimaryBackupReplica::install(const std::vector<Entry>& entries) {
  std::uint64_t same = 0;
  while (same < log_.size() && same < entries.size() && log_[same] == entries[same]) ++same;
  if (same < log_.size())
    ctx_.note("discarded", std::to_string(log_.size() - same) + " log entries from index " +
                               std::to_string(same + 1) + " not in the epoch " +
                               std::to_string(epoch_) + " primary's log");
  log_ = entries;
  log_epoch_ = epoch_;
  early_.clear();
  if (applied_ > same) {
    ctx_.note("rolled-back", std::to_string(applied_ - same) + " applied entries undone");
    std::map<Key, Value> old = std::move(store_);
    store_.clear();
    for (std::uint64_t i = 0; i < same; ++i) store_[log_[i].key] = log_[i].value;
    for (const auto& [key, value] : old)
      if (value_of(key) != value) ctx_.applied(key, value_of(key));
    applied_ = same;
  }
  commit_ = std::min(commit_, same);
}

std::optional<Value> PrimaryBackupReplica::value_of(Key key) const {
  auto it = store_.find(key);
  if (it == store_.end()) return std::nullopt;
  return it->second;
}

// A newer epoch exists: whatever I was, I am now a backup without a known
// primary, and I accept nothing of older epochs.
void PrimaryBackupReplica::adopt_epoch(std::uint64_t epoch, std::string_view why) {
  if (role_ == Role::Primary) step_down(why);
  if (collect_timer_) ctx_.cancel_timer(*collect_timer_);
  collect_timer_.reset();
  votes_.clear();
  pre_voting_ = false;
  epoch_ = epoch;
  early_.clear();
  promised_to_.reset();
  role_ = Role::Backup;
  primary_.reset();
  last_heard_ = ctx_.now();
  announce("backup");
}

// ---- backup ----

void PrimaryBackupReplica::on_append(NodeId from, const Append& m) {
  if (m.epoch < epoch_) {
    if (!fencing()) return;
    ctx_.note("refused", "append from " + std::string(ctx_.node_name(from)) + " in epoch " +
                             std::to_string(m.epoch) + ": epoch " + std::to_string(epoch_) +
                             " is current");
    auto f = std::make_shared<Fenced>();
    f->epoch = epoch_;
    return ctx_.send(from, f);
  }
  if (m.epoch > epoch_) adopt_epoch(m.epoch, "a newer epoch's primary was heard");
  if (role_ == Role::Primary) {
    // Two primaries in one epoch (possible only without fencing): the lower id wins.
    if (from > ctx_.self()) return;
    step_down("another primary of this epoch was heard");
    log_epoch_ = 0;  // my log is not the winner's: resync it
  }
  if (role_ != Role::Backup || primary_ != from) follow(from);
  last_heard_ = ctx_.now();
  if (m.reset && log_epoch_ != epoch_) install(m.entries);
  if (log_epoch_ == epoch_) {
    if (m.prev > length() && early_.size() < kMaxEarly) early_[m.prev] = m.entries;
    extend(m.prev, m.entries);
    commit_ = std::max(commit_, std::min(m.commit, length()));
    if (config_.standby == Standby::Hot) apply_up_to(commit_);
  }
  auto ack = std::make_shared<AppendAck>();
  ack->epoch = epoch_;
  ack->length = length();
  ack->round = m.round;
  ack->synced = log_epoch_ == epoch_;
  ctx_.send(from, ack);
}

// Appends the entries past my log if they start within it, then any early
// appends (that overtook an earlier one on the network) that now fit.
void PrimaryBackupReplica::extend(std::uint64_t prev, const std::vector<Entry>& entries) {
  if (prev > length()) return;
  for (std::uint64_t i = length() - prev; i < entries.size(); ++i) log_.push_back(entries[i]);
  while (!early_.empty() && early_.begin()->first <= length()) {
    auto [early_prev, early_entries] = *early_.begin();
    early_.erase(early_.begin());
    extend(early_prev, early_entries);
  }
}

void PrimaryBackupReplica::follow(NodeId primary) {
  if (collect_timer_) ctx_.cancel_timer(*collect_timer_);
  collect_timer_.reset();
  pre_voting_ = false;
  role_ = Role::Backup;
  primary_ = primary;
  last_heard_ = ctx_.now();
  announce("backup");
}

// On every tick, and at the exact deadline when it falls before the next
// tick, so that the jitter separates backups that tick in step.
void PrimaryBackupReplica::check_primary() {
  Time silent = ctx_.now() - last_heard_;
  Time limit = config_.suspicion_timeout + jitter_;
  if (silent < limit) {
    if (limit - silent < config_.heartbeat_interval)
      ctx_.set_timer(limit - silent, timer_tag(kSuspect, 0));
    return;
  }
  ctx_.note(
      "suspect",
      (primary_ ? "primary " + std::string(ctx_.node_name(*primary_)) : std::string("no primary")) +
          " silent for " + format_duration(silent) + " in epoch " + std::to_string(epoch_));
  jitter_ = static_cast<Time>(ctx_.rng().below(config_.suspicion_timeout / 2 + 1));
  fencing() ? start_pre_vote() : start_view_change();
}

// A primary still in touch with a majority, or a backup that heard its
// primary within suspicion_timeout, keeps it: it neither grants a pre-vote
// nor promises a newer epoch, so a node that merely lost its own link
// cannot depose a working primary.
bool PrimaryBackupReplica::keeps_primary() const {
  if (role_ == Role::Primary) return majority_heard_recently();
  return role_ == Role::Backup && primary_ && ctx_.now() - last_heard_ < config_.suspicion_timeout;
}

}  // namespace pb

std::unique_ptr<Replica> make_primary_backup(const ModelConfig& config, Context& ctx) {
  return std::make_unique<pb::PrimaryBackupReplica>(dynamic_cast<const pb::Config&>(config), ctx);
}

}  // namespace consim
