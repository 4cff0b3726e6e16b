// The primary-backup model's view change: a backup that suspects its
// primary runs a pre-vote (fencing epoch), proposes the next epoch,
// collects promises with each voter's log position and promotes the most
// up-to-date voter (see primary_backup.cc for the protocol and its safety
// argument).
//
// Invariants: a node promises an epoch to at most one candidate and, once
// it has, accepts nothing of an older epoch; with fencing epoch a candidate
// promotes only with a majority of promises, so at most one primary exists
// per epoch.
#include <algorithm>

#include "models/primary_backup_replica.h"

namespace consim::pb {

void PrimaryBackupReplica::start_pre_vote() {
  pre_voting_ = true;
  pre_grants_ = {ctx_.self()};
  auto vc = std::make_shared<ViewChange>();
  vc->epoch = epoch_ + 1;
  vc->pre = true;
  for (NodeId n = 0; n < ctx_.node_count(); ++n)
    if (n != ctx_.self()) ctx_.send(n, vc);
  collect_timer_ = ctx_.set_timer(2 * config_.heartbeat_interval, timer_tag(kCollect, epoch_ + 1));
  if (pre_grants_.size() >= majority()) start_view_change();
}

void PrimaryBackupReplica::start_view_change() {
  epoch_ += 1;
  promised_to_ = ctx_.self();
  role_ = Role::Candidate;
  primary_.reset();
  pre_voting_ = false;
  if (collect_timer_) ctx_.cancel_timer(*collect_timer_);
  announce("candidate");
  ctx_.note("view-change",
            std::string(ctx_.node_name(ctx_.self())) + " proposes epoch " + std::to_string(epoch_));
  votes_.clear();
  votes_[ctx_.self()] = {log_epoch_, length()};
  auto vc = std::make_shared<ViewChange>();
  vc->epoch = epoch_;
  for (NodeId n = 0; n < ctx_.node_count(); ++n)
    if (n != ctx_.self()) ctx_.send(n, vc);
  collect_timer_ = ctx_.set_timer(2 * config_.heartbeat_interval, timer_tag(kCollect, epoch_));
  if (votes_.size() == ctx_.node_count()) decide();
}

void PrimaryBackupReplica::on_view_change(NodeId from, const ViewChange& m) {
  if (m.pre) {
    auto ack = std::make_shared<ViewAck>();
    ack->epoch = m.epoch;
    ack->pre = true;
    ack->granted = m.epoch > epoch_ && !keeps_primary();
    return ctx_.send(from, ack);
  }
  if (m.epoch < epoch_ || (m.epoch == epoch_ && promised_to_ != from)) return;
  if (m.epoch > epoch_) {
    if (keeps_primary()) return;
    adopt_epoch(m.epoch, "promised a newer epoch");
    promised_to_ = from;
  }
  auto ack = std::make_shared<ViewAck>();
  ack->epoch = epoch_;
  ack->log_epoch = log_epoch_;
  ack->length = length();
  ctx_.send(from, ack);
}

void PrimaryBackupReplica::on_view_ack(NodeId from, const ViewAck& m) {
  if (m.pre) {
    if (!pre_voting_ || m.epoch != epoch_ + 1 || !m.granted) return;
    if (std::find(pre_grants_.begin(), pre_grants_.end(), from) == pre_grants_.end())
      pre_grants_.push_back(from);
    if (pre_grants_.size() >= majority()) start_view_change();
    return;
  }
  if (role_ != Role::Candidate || m.epoch != epoch_) return;
  votes_[from] = {m.log_epoch, m.length};
  if (votes_.size() == ctx_.node_count()) decide();
}

// Promote the most up-to-date voter: larger log epoch, then longer log;
// on a tie myself, else the lowest id.
void PrimaryBackupReplica::decide() {
  if (role_ != Role::Candidate) return;
  if (collect_timer_) ctx_.cancel_timer(*collect_timer_);
  collect_timer_.reset();
  std::string voters = "";
  for (const auto& [voter, state] : votes_)
    voters += (voters.empty() ? "" : ", ") + std::string(ctx_.node_name(voter));
  if (fencing() && votes_.size() < majority()) {
    ctx_.note("view-change-failed", "epoch " + std::to_string(epoch_) + ": only " + voters +
                                        " answered, " + std::to_string(majority()) + " needed");
    role_ = Role::Backup;
    last_heard_ = ctx_.now();
    votes_.clear();
    return;
  }
  NodeId best = ctx_.self();
  for (const auto& [voter, state] : votes_)
    if (state > votes_.at(best)) best = voter;
  auto [log_epoch, len] = votes_.at(best);
  ctx_.note("promote", std::string(ctx_.node_name(best)) + " for epoch " + std::to_string(epoch_) +
                           ": most up to date of " + voters + " (log epoch " +
                           std::to_string(log_epoch) + ", " + std::to_string(len) + " entries)");
  votes_.clear();
  if (best == ctx_.self()) return become_primary();
  role_ = Role::Backup;
  last_heard_ = ctx_.now();
  auto p = std::make_shared<Promote>();
  p->epoch = epoch_;
  ctx_.send(best, p);
}

void PrimaryBackupReplica::on_promote(NodeId from, const Promote& m) {
  if (m.epoch != epoch_ || promised_to_ != from || role_ == Role::Primary) return;
  become_primary();
}

}  // namespace consim::pb
