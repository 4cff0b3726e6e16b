// The write-type-independent half of causal delivery (causal_delivery.h):
// sessions, requests waiting for their session, acknowledgements and the
// retry queue. Timer kinds: 1 the retry queue's, 2 a session wait (its id
// in waiting_).
#include "models/causal_delivery.h"

namespace consim::causal {
namespace {

enum TimerKind : std::uint8_t { kReplicateRetry = 1, kSessionWait = 2 };

}  // namespace

bool covers(const VectorClock& have, const VectorClock& need) {
  for (std::size_t i = 0; i < need.size(); ++i)
    if (have[i] < need[i]) return false;
  return true;
}

DeliveryCore::DeliveryCore(Context& ctx, const DeliveryConfig& config)
    : ctx_(ctx),
      config_(config),
      applied_(ctx.node_count(), 0),
      outbox_(ctx, config.retry_initial, config.retry_max, kReplicateRetry) {}

PayloadPtr DeliveryCore::session_token(VectorClock seen) {
  auto s = std::make_shared<Session>();
  s->seen = std::move(seen);
  return s;
}

void DeliveryCore::on_timer(std::uint64_t tag) {
  if (outbox_.owns_timer(tag)) return outbox_.on_timer(tag);
  if (timer_kind(tag) == kSessionWait) session_wait_expired(timer_id(tag));
}

VectorClock DeliveryCore::session_of(const Request& request) const {
  VectorClock seen(ctx_.node_count(), 0);
  if (!request.session) return seen;
  if (auto* s = payload_as<Session>(*request.session))
    for (std::size_t i = 0; i < seen.size() && i < s->seen.size(); ++i) seen[i] = s->seen[i];
  return seen;
}

void DeliveryCore::wait(const Request& request, VectorClock need) {
  std::uint64_t id = next_wait_id_++;
  ctx_.note("session-wait", "op " + std::to_string(request.op_id) + " needs " + missing(need));
  TimerId timer = ctx_.set_timer(config_.session_wait_timeout, timer_tag(kSessionWait, id));
  waiting_[id] = {request, std::move(need), timer};
}

void DeliveryCore::session_wait_expired(std::uint64_t id) {
  auto it = waiting_.find(id);
  if (it == waiting_.end()) return;
  ctx_.reply(it->second.request, Reply::fail("session context not applied here within " +
                                             format_duration(config_.session_wait_timeout) +
                                             ": missing " + missing(it->second.need)));
  waiting_.erase(it);
}

void DeliveryCore::on_ack(NodeId from, const ReplicateAck& ack) {
  if (ack.origin == ctx_.self()) outbox_.acknowledged(from, ack.seq);
}

void DeliveryCore::acknowledge(NodeId origin, std::uint64_t seq) {
  auto ack = std::make_shared<ReplicateAck>();
  ack->origin = origin;
  ack->seq = seq;
  ctx_.send(origin, ack);
}

void DeliveryCore::send_to_peers(std::uint64_t seq, const PayloadPtr& message) {
  for (NodeId peer = 0; peer < ctx_.node_count(); ++peer)
    if (peer != ctx_.self()) outbox_.send(peer, seq, message);
}

void DeliveryCore::crash_volatile() {
  waiting_.clear();
  outbox_.on_crash(/*durable=*/true);
}

std::string DeliveryCore::missing(const VectorClock& need) const {
  std::string out;
  for (NodeId n = 0; n < need.size(); ++n) {
    if (applied_[n] >= need[n]) continue;
    if (!out.empty()) out += ", ";
    out += std::string(ctx_.node_name(n)) + "." + std::to_string(need[n]);
  }
  return out;
}

std::string DeliveryCore::describe(NodeId origin, std::uint64_t seq, Key key) const {
  return std::string(config_.noun) + " " + std::string(ctx_.node_name(origin)) + "." +
         std::to_string(seq) + " key " + std::to_string(key);
}

}  // namespace consim::causal
