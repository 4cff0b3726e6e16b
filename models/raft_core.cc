// The Raft core's roles, elections, timers and options; replication,
// commitment and reads are in raft_replication.cc. See raft_core.h.
#include "models/raft_core.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "models/model_support.h"
#include "models/raft_messages.h"

namespace consim {

using namespace raft;

std::vector<std::string> raft_option_keys() {
  return {"election_timeout_min", "election_timeout_max",   "heartbeat_interval",
          "lease_margin",         "max_entries_per_append", "snapshot_every"};
}

void read_raft_options(const JsonReader& p, RaftOptions& o) {
  o.election_timeout_min =
      positive_duration_param(p, "election_timeout_min", o.election_timeout_min);
  o.election_timeout_max =
      positive_duration_param(p, "election_timeout_max", o.election_timeout_max);
  if (o.election_timeout_max <= o.election_timeout_min)
    p.fail_at(p.has("election_timeout_max") ? "election_timeout_max" : "election_timeout_min",
              "election_timeout_max (" + format_duration(o.election_timeout_max) +
                  ") must be more than election_timeout_min (" +
                  format_duration(o.election_timeout_min) + ")");
  o.heartbeat_interval = positive_duration_param(p, "heartbeat_interval", o.heartbeat_interval);
  if (o.heartbeat_interval >= o.election_timeout_min)
    p.fail_at(p.has("heartbeat_interval") ? "heartbeat_interval" : "election_timeout_min",
              "heartbeat_interval (" + format_duration(o.heartbeat_interval) +
                  ") must be less than election_timeout_min (" +
                  format_duration(o.election_timeout_min) + ")");
  if (p.has("lease_margin")) o.lease_margin = p.duration("lease_margin");
  if (o.lease_margin < 0 || o.lease_margin >= o.election_timeout_min)
    p.fail_at(p.has("lease_margin") ? "lease_margin" : "election_timeout_min",
              "lease_margin (" + format_duration(o.lease_margin) +
                  ") must be at least 0s and less than election_timeout_min (" +
                  format_duration(o.election_timeout_min) + ")");
  if (p.has("max_entries_per_append"))
    o.max_entries_per_append =
        static_cast<std::uint64_t>(p.integer("max_entries_per_append", 1, 1'000'000));
  if (p.has("snapshot_every"))
    o.snapshot_every = static_cast<std::uint64_t>(p.integer("snapshot_every", 1, 1'000'000'000));
}

void write_raft_options(const RaftOptions& o, nlohmann::json& out) {
  out["election_timeout_min"] = format_duration(o.election_timeout_min);
  out["election_timeout_max"] = format_duration(o.election_timeout_max);
  out["heartbeat_interval"] = format_duration(o.heartbeat_interval);
  out["lease_margin"] = format_duration(o.lease_margin);
  out["max_entries_per_append"] = o.max_entries_per_append;
  out["snapshot_every"] = o.snapshot_every;
}

std::string_view raft_role_name(RaftRole role) {
  switch (role) {
    case RaftRole::Follower:
      return "follower";
    case RaftRole::Candidate:
      return "candidate";
    case RaftRole::Leader:
      return "leader";
  }
  return "follower";
}

namespace {
constexpr std::uint8_t kElection = 0, kHeartbeat = 1;  // offsets from the first timer kind
}

RaftCore::RaftCore(Context& ctx, RaftStateMachine& machine, const RaftOptions& options,
                   std::vector<NodeId> members, std::uint8_t first_timer_kind)
    : ctx_(ctx),
      machine_(machine),
      options_(options),
      members_(std::move(members)),
      timer_kind_(first_timer_kind) {
  member_ = std::find(members_.begin(), members_.end(), ctx.self()) != members_.end();
}

void RaftCore::start() {
  if (!member_) return;
  set_role(RaftRole::Follower);
  reset_election_timer();
}

bool RaftCore::on_message(NodeId from, const Payload& m) {
  if (payload_as<AppendEntries>(m)) {
    if (member_) handle_append(from, m);
  } else if (payload_as<AppendReply>(m)) {
    if (member_) handle_append_reply(from, m);
  } else if (payload_as<RequestVote>(m)) {
    if (member_) handle_request_vote(from, m);
  } else if (payload_as<Vote>(m)) {
    if (member_) handle_vote(from, m);
  } else if (payload_as<InstallSnapshot>(m)) {
    if (member_) handle_snapshot(from, m);
  } else {
    return false;
  }
  return true;
}

bool RaftCore::owns_timer(std::uint64_t tag) const {
  std::uint8_t kind = timer_kind(tag);
  return kind >= timer_kind_ && kind < timer_kind_ + kTimerKinds;
}

void RaftCore::on_timer(std::uint64_t tag) {
  if (timer_kind(tag) == timer_kind_ + kElection) {
    if (timer_id(tag) != (election_gen_ & kTimerIdMask)) return;  // cancelled meanwhile
    election_timer_.reset();
    if (role_ != RaftRole::Leader) start_election();
    return;
  }
  if (timer_id(tag) != (heartbeat_gen_ & kTimerIdMask)) return;
  heartbeat_timer_.reset();
  if (role_ != RaftRole::Leader) return;
  // Check quorum: a leader cut off from every majority stops claiming to lead.
  Time silent = ctx_.local_clock() - last_contact_;
  if (silent > options_.election_timeout_max) {
    ctx_.note("step-down", "heard from no majority for " + format_duration(silent));
    become_follower(term_, std::nullopt);
    return;
  }
  broadcast();
  arm_heartbeat();
}

void RaftCore::on_crash() {
  // Durable: term_, voted_for_, log_. Everything else is lost; the
  // simulator has cancelled the timers.
  role_ = RaftRole::Follower;
  leader_.reset();
  commit_ = applied_ = log_.snapshot_index();
  votes_.clear();
  progress_.clear();
  reads_.clear();  // nobody is left to answer
  round_ = confirmed_round_ = 0;
  round_sent_.clear();
  lease_until_ = last_contact_ = 0;
  election_timer_.reset();
  heartbeat_timer_.reset();
  ++election_gen_;
  ++heartbeat_gen_;
  electing_since_.reset();
}

void RaftCore::on_recover() {
  if (!member_) return;
  machine_.restore(log_.snapshot().get());
  set_role(RaftRole::Follower);
  reset_election_timer();
}

void RaftCore::start_election() {
  ++term_;
  voted_for_ = ctx_.self();
  leader_.reset();
  votes_ = {ctx_.self()};
  if (!electing_since_) electing_since_ = ctx_.now();
  ctx_.note("election", "term " + std::to_string(term_));
  set_role(RaftRole::Candidate);
  reset_election_timer();
  if (votes_.size() >= majority()) return become_leader();
  auto rv = std::make_shared<RequestVote>();
  rv->term = term_;
  rv->last_log_index = log_.last_index();
  rv->last_log_term = log_.last_term();
  for (NodeId n : members_)
    if (n != ctx_.self()) ctx_.send(n, rv);
}

// Leader stickiness: while a live leader is known, a vote request for a new
// term is ignored, so a node that merely lost touch cannot depose it.
bool RaftCore::heard_leader_recently() const {
  if (role_ == RaftRole::Candidate || (role_ == RaftRole::Follower && !leader_)) return false;
  return ctx_.local_clock() - last_contact_ < options_.election_timeout_min;
}

void RaftCore::handle_request_vote(NodeId from, const Payload& m) {
  const auto& rv = static_cast<const RequestVote&>(m);
  if (rv.term > term_) {
    if (heard_leader_recently()) return;
    become_follower(rv.term, std::nullopt);
  }
  auto vote = std::make_shared<Vote>();
  vote->term = term_;
  bool up_to_date = rv.last_log_term > log_.last_term() || (rv.last_log_term == log_.last_term() &&
                                                            rv.last_log_index >= log_.last_index());
  if (rv.term == term_ && role_ == RaftRole::Follower && (!voted_for_ || *voted_for_ == from) &&
      up_to_date) {
    voted_for_ = from;  // durable before the vote leaves
    vote->granted = true;
    reset_election_timer();
  }
  ctx_.send(from, vote);
}

void RaftCore::handle_vote(NodeId from, const Payload& m) {
  const auto& v = static_cast<const Vote&>(m);
  if (v.term > term_) return become_follower(v.term, std::nullopt);
  if (role_ != RaftRole::Candidate || v.term != term_ || !v.granted) return;
  if (std::find(votes_.begin(), votes_.end(), from) != votes_.end()) return;
  votes_.push_back(from);
  if (votes_.size() >= majority()) become_leader();
}

void RaftCore::become_follower(std::uint64_t term, std::optional<NodeId> leader) {
  bool changed = term != term_ || role_ != RaftRole::Follower;
  if (term > term_) {
    term_ = term;
    voted_for_.reset();
  }
  bool was_leader = role_ == RaftRole::Leader;
  leader_ = leader;
  if (was_leader) {
    if (heartbeat_timer_) ctx_.cancel_timer(*heartbeat_timer_);
    heartbeat_timer_.reset();
    ++heartbeat_gen_;
    progress_.clear();
    round_sent_.clear();
    lease_until_ = 0;
  }
  if (leader) electing_since_.reset();
  if (changed) {
    role_ = RaftRole::Follower;
    fail_reads();
    set_role(RaftRole::Follower);
  }
  if (!election_timer_) reset_election_timer();
}

void RaftCore::become_leader() {
  leader_ = ctx_.self();
  progress_.clear();
  for (NodeId n : members_)
    if (n != ctx_.self()) progress_[n] = Progress{log_.last_index() + 1, 0, 0};
  log_.append(RaftEntry{term_, nullptr});  // the no-op that commits earlier terms' entries
  term_start_ = log_.last_index();
  round_ = confirmed_round_ = 0;
  round_sent_.clear();
  lease_until_ = 0;
  last_contact_ = ctx_.local_clock();
  if (election_timer_) ctx_.cancel_timer(*election_timer_);
  election_timer_.reset();
  ++election_gen_;
  std::optional<Time> lasted;
  if (electing_since_) lasted = ctx_.now() - *electing_since_;
  electing_since_.reset();
  ctx_.note("elected", "term " + std::to_string(term_) + ", votes of " + node_list(ctx_, votes_),
            lasted);
  set_role(RaftRole::Leader);
  broadcast();
  arm_heartbeat();
  advance_commit();  // a group of one commits at once
}

void RaftCore::set_role(RaftRole role) {
  role_ = role;
  if (options_.announce_roles) ctx_.role(raft_role_name(role), term_);
  machine_.role_changed(role, term_);
}

void RaftCore::reset_election_timer() {
  if (election_timer_) ctx_.cancel_timer(*election_timer_);
  Time span = options_.election_timeout_max - options_.election_timeout_min;
  Time delay = options_.election_timeout_min +
               static_cast<Time>(ctx_.rng().below(static_cast<std::uint64_t>(span)));
  election_timer_ = ctx_.set_timer(delay, timer_tag(timer_kind_ + kElection, ++election_gen_));
}

void RaftCore::arm_heartbeat() {
  heartbeat_timer_ = ctx_.set_timer(options_.heartbeat_interval,
                                    timer_tag(timer_kind_ + kHeartbeat, ++heartbeat_gen_));
}

}  // namespace consim
