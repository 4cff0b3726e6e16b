// The primary-backup model's primary: it appends writes to its log,
// replicates them, commits by the replication mode, confirms reads, sends
// heartbeats and keeps the configuration (see primary_backup.cc for the
// protocol and its safety argument).
//
// Invariants: a write is answered only once committed (commit_ >= its index),
// and never by a node that has stepped down (its outcome is then unknown: the
// client times out); with fencing epoch a read is answered only after a round
// of heartbeats sent after it arrived was acknowledged by a majority in this
// epoch, and only from committed entries that include every entry of the log
// the primary was promoted with.
#include <algorithm>

#include "models/primary_backup_replica.h"

namespace consim::pb {
namespace {

// At most this many entries per append to a lagging backup.
constexpr std::size_t kMaxBatch = 256;

}  // namespace

void PrimaryBackupReplica::become_primary() {
  role_ = Role::Primary;
  primary_ = ctx_.self();
  log_epoch_ = epoch_;
  announce("primary");
  followers_.assign(ctx_.node_count(), Follower{});
  for (Follower& f : followers_) f.last_ack = ctx_.now();
  pending_writes_.clear();
  reads_.clear();
  round_ = confirmed_round_ = 0;
  std::uint64_t behind = length() - std::min(applied_, length());
  if (epoch_ > 1)
    ctx_.note("promoted", "epoch " + std::to_string(epoch_) + " with " + std::to_string(length()) +
                              " log entries, " + std::to_string(behind) + " not yet applied");
  if (config_.standby == Standby::Warm && behind > 0) {
    if (config_.warm_promotion == WarmPromotion::AsIs) {
      ctx_.note("truncated",
                std::to_string(behind) +
                    " log entries not yet applied are discarded (warm_promotion as-is)");
      log_.resize(applied_);
      commit_ = std::min(commit_, applied_);
    } else {
      catching_up_ = true;
      catch_up_start_ = ctx_.now();
      ctx_.note("catching-up", "replaying " + std::to_string(behind) + " log entries");
      catch_up_timer_ = ctx_.set_timer(config_.replay_cost * static_cast<Time>(behind),
                                       timer_tag(kCatchUp, epoch_));
    }
  }
  promoted_length_ = length();
  commit_ = std::min(commit_, length());
  broadcast();
  advance_commit();
}

void PrimaryBackupReplica::finish_catch_up() {
  if (!catching_up_) return;
  catching_up_ = false;
  Time took = ctx_.now() - catch_up_start_;
  ctx_.note("caught-up", "log replayed in " + format_duration(took), took);
  advance_commit();
}

// No reply to pending writes: each may yet survive in the new primary's log.
void PrimaryBackupReplica::step_down(std::string_view why) {
  ctx_.note("stepped-down", "primary of epoch " + std::to_string(epoch_) + ": " + std::string(why));
  role_ = Role::Backup;
  primary_.reset();
  pending_writes_.clear();
  for (const WaitingRead& r : reads_)
    ctx_.reply(r.request, Reply::fail("deposed: no longer the primary (" + std::string(why) + ")"));
  reads_.clear();
  followers_.clear();
  if (catch_up_timer_) ctx_.cancel_timer(*catch_up_timer_);
  catch_up_timer_.reset();
  catching_up_ = false;
}

void PrimaryBackupReplica::write(const Request& request) {
  log_.push_back(Entry{epoch_, request.key, request.value});
  pending_writes_[length()] = request;
  auto m = std::make_shared<Append>();
  m->epoch = epoch_;
  m->prev = length() - 1;
  m->commit = commit_;
  m->round = round_;
  m->entries.push_back(log_.back());
  for (NodeId n = 0; n < ctx_.node_count(); ++n)
    if (n != ctx_.self() && !followers_[n].need_reset) ctx_.send(n, m);
  advance_commit();
}

void PrimaryBackupReplica::read(const Request& request, std::optional<Value> cas_found) {
  WaitingRead r{request, fencing() ? round_ + 1 : 0, std::max(commit_, promoted_length_),
                cas_found};
  if (request.type == OpType::Cas) r.index = length();  // the tip it compared with
  reads_.push_back(r);
  serve_reads();
}

void PrimaryBackupReplica::serve_reads() {
  if (role_ != Role::Primary || catching_up_) return;
  bool need_round = false;
  for (auto it = reads_.begin(); it != reads_.end();) {
    if (it->round <= confirmed_round_ && it->index <= applied_) {
      ctx_.reply(it->request, it->cas_found || it->request.type == OpType::Cas
                                  ? Reply::cas_miss(it->cas_found)
                                  : Reply::ok(value_of(it->request.key)));
      it = reads_.erase(it);
      continue;
    }
    need_round = need_round || it->round > round_;
    ++it;
  }
  if (need_round && confirmed_round_ >= round_) broadcast();
}

void PrimaryBackupReplica::on_append_ack(NodeId from, const AppendAck& m) {
  if (m.epoch > epoch_) return adopt_epoch(m.epoch, "a backup is in a newer epoch");
  if (role_ != Role::Primary || m.epoch != epoch_) return;
  Follower& f = followers_[from];
  f.last_ack = ctx_.now();
  if (!m.synced) {
    if (!f.need_reset) {
      f.need_reset = true;
      send_append(from, true);
    }
    return;
  }
  f.need_reset = false;
  f.match = std::max(f.match, std::min(m.length, length()));
  f.acked_round = std::max(f.acked_round, m.round);
  if (!f.in_config && f.match == length()) {
    f.in_config = true;
    ctx_.note("backup-rejoined", std::string(ctx_.node_name(from)) + " caught up at " +
                                     std::to_string(f.match) + " entries");
  }
  std::vector<std::uint64_t> rounds;
  for (NodeId n = 0; n < ctx_.node_count(); ++n)
    if (n != ctx_.self()) rounds.push_back(followers_[n].acked_round);
  std::sort(rounds.rbegin(), rounds.rend());
  std::size_t others = majority() - 1;
  if (others > 0) confirmed_round_ = std::max(confirmed_round_, rounds[others - 1]);
  advance_commit();
}

// A new round of heartbeats: each backup gets what it lacks (its whole log
// if it is not synced with this epoch), the commit index and the round.
void PrimaryBackupReplica::broadcast() {
  ++round_;
  for (NodeId n = 0; n < ctx_.node_count(); ++n) {
    if (n == ctx_.self()) continue;
    bool heard = ctx_.now() - followers_[n].last_ack <= config_.suspicion_timeout;
    send_append(n, heard);
  }
  if (majority() == 1) confirmed_round_ = round_;
  serve_reads();
}

// What `to` lacks: entries from its match index on (at most kMaxBatch; none
// unless `with_entries`), or, if its log is not synced with this epoch, my
// whole log (only when it was heard recently: a silent node gets an empty
// heartbeat until it answers).
void PrimaryBackupReplica::send_append(NodeId to, bool with_entries) {
  const Follower& f = followers_[to];
  auto m = std::make_shared<Append>();
  m->epoch = epoch_;
  m->commit = commit_;
  m->round = round_;
  if (f.need_reset) {
    m->reset = with_entries;
    if (with_entries) m->entries = log_;
  } else {
    m->prev = f.match;
    std::uint64_t end =
        with_entries ? std::min<std::uint64_t>(length(), f.match + kMaxBatch) : f.match;
    m->entries.assign(log_.begin() + static_cast<std::ptrdiff_t>(f.match),
                      log_.begin() + static_cast<std::ptrdiff_t>(end));
  }
  ctx_.send(to, m);
}

// The failure detector's other half: a backup silent for suspicion_timeout
// leaves the configuration (with fencing epoch, only while a majority of
// the nodes stays in it), so sync writes stop waiting for it.
void PrimaryBackupReplica::check_backups() {
  std::size_t members = 1;
  for (NodeId n = 0; n < ctx_.node_count(); ++n)
    if (n != ctx_.self() && followers_[n].in_config) ++members;
  for (NodeId n = 0; n < ctx_.node_count(); ++n) {
    Follower& f = followers_[n];
    Time silent = ctx_.now() - f.last_ack;
    if (n == ctx_.self() || !f.in_config || silent <= config_.suspicion_timeout) continue;
    if (fencing() && members - 1 < majority()) continue;
    f.in_config = false;
    --members;
    ctx_.note("suspect", "backup " + std::string(ctx_.node_name(n)) + " silent for " +
                             format_duration(silent) + " in epoch " + std::to_string(epoch_) +
                             ": removed from the configuration");
  }
  advance_commit();
}

std::uint64_t PrimaryBackupReplica::commit_target() const {
  if (config_.replication == Replication::Async) return length();
  std::vector<std::uint64_t> config, all;
  for (NodeId n = 0; n < ctx_.node_count(); ++n) {
    if (n == ctx_.self()) continue;
    all.push_back(followers_[n].match);
    if (followers_[n].in_config) config.push_back(followers_[n].match);
  }
  std::uint64_t target = length();
  if (!config.empty())
    target = config_.replication == Replication::Sync
                 ? *std::min_element(config.begin(), config.end())
                 : *std::max_element(config.begin(), config.end());
  std::size_t others = majority() - 1;
  if (fencing() && config_.replication == Replication::Sync && others > 0) {
    std::sort(all.rbegin(), all.rend());
    target = std::min(target, all[others - 1]);
  }
  return std::min(target, length());
}

void PrimaryBackupReplica::advance_commit() {
  if (role_ != Role::Primary) return;
  commit_ = std::max(commit_, commit_target());
  if (catching_up_) return;
  apply_up_to(commit_);
  while (!pending_writes_.empty() && pending_writes_.begin()->first <= commit_) {
    ctx_.reply(pending_writes_.begin()->second, Reply::ok());
    pending_writes_.erase(pending_writes_.begin());
  }
  serve_reads();
}

bool PrimaryBackupReplica::majority_heard_recently() const {
  std::size_t heard = 1;
  for (NodeId n = 0; n < followers_.size(); ++n)
    if (n != ctx_.self() && ctx_.now() - followers_[n].last_ack <= config_.suspicion_timeout)
      ++heard;
  return heard >= majority();
}

std::optional<Value> PrimaryBackupReplica::tip_value(Key key) const {
  for (std::uint64_t i = length(); i > applied_; --i)
    if (log_[i - 1].key == key) return log_[i - 1].value;
  return value_of(key);
}

}  // namespace consim::pb
