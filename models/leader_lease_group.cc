// The leader-lease model's coordination group (leader_lease_group.h): the
// lease table, replicated by Raft, and the leader's answers to the
// applications' lease requests.
#include "models/leader_lease_group.h"

#include <algorithm>

namespace consim::leader_lease {

LeaseGroup::LeaseGroup(const Config& config, Context& ctx, std::uint8_t raft_timer_kind)
    : config_(config),
      ctx_(ctx),
      core_(ctx, *this, config.raft, config.coordination, raft_timer_kind) {}

bool LeaseGroup::on_message(NodeId from, const Payload& m) {
  if (core_.on_message(from, m)) return true;
  auto* r = payload_as<LeaseRequest>(m);
  if (!r) return false;
  if (core_.member()) serve_lease_request(*r);
  return true;
}

void LeaseGroup::on_crash() {
  core_.on_crash();
  pending_.reset();
}

void LeaseGroup::serve_lease_request(const LeaseRequest& r) {
  if (!core_.is_leader()) return;  // apps ask every member; the leader answers
  if (state_.holder == r.app) {
    NodeId app = r.app;
    Time sent_at = r.sent_at;
    core_.read_index([this, app, sent_at](bool confirmed) {
      if (!confirmed || state_.holder != app) return;
      free_after_ = std::max(free_after_, ctx_.local_clock() + config_.lease);
      send_grant(app, state_.token, sent_at);
    });
    return;
  }
  if (!state_.holder || ctx_.local_clock() >= free_after_) {
    if (pending_) return;  // one grant at a time; the app asks again
    auto grant = std::make_shared<GrantCommand>();
    grant->app = r.app;
    grant->expected_token = state_.token;
    pending_ = Pending{0, r.app, r.sent_at};  // set first: a group of one applies at once
    std::uint64_t index = *core_.propose(grant);
    if (pending_ && pending_->index == 0) pending_->index = index;
    return;
  }
  auto b = std::make_shared<LeaseBusy>();
  b->holder = *state_.holder;
  b->token = state_.token;
  ctx_.send(r.app, b);
}

void LeaseGroup::apply(std::uint64_t index, const Payload& command) {
  const auto& g = static_cast<const GrantCommand&>(command);
  if (state_.token == g.expected_token) {
    state_.holder = g.app;
    state_.token = index;
  }
  if (!pending_ || pending_->app != g.app || (pending_->index != 0 && pending_->index != index))
    return;
  Pending p = *pending_;
  pending_.reset();
  if (state_.holder != p.app || state_.token != index) return;  // lost the race
  ctx_.note("lease-granted",
            std::string(ctx_.node_name(p.app)) + " with token " + std::to_string(index));
  free_after_ = ctx_.local_clock() + config_.lease;
  send_grant(p.app, index, p.sent_at);
}

PayloadPtr LeaseGroup::snapshot() const { return std::make_shared<LeaseState>(state_); }

void LeaseGroup::restore(const Payload* s) {
  state_ = s ? static_cast<const LeaseState&>(*s) : LeaseState{};
}

void LeaseGroup::role_changed(RaftRole role, std::uint64_t /*term*/) {
  pending_.reset();
  if (role == RaftRole::Leader) free_after_ = ctx_.local_clock() + config_.lease;
}

void LeaseGroup::send_grant(NodeId app, std::uint64_t token, Time sent_at) {
  auto g = std::make_shared<LeaseGrant>();
  g->app = app;
  g->token = token;
  g->sent_at = sent_at;
  ctx_.send(app, g);
}

}  // namespace consim::leader_lease
