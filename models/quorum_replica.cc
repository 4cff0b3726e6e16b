// The quorum model's replica side: every node stores the keys it is a
// replica of, answers reads, applies writes and repairs, and, for a sloppy
// quorum, holds writes meant for an unreachable owner and hands them off
// when the owner answers again (hinted handoff).
//
//   on write(op, k, state):       merge state into k; ack
//   on write(op, k, state, for P): keep it as a hint for P (not visible
//                                  here); ack; send hint(k, state) to P,
//                                  resent until P acks (retry queue)
//   on read(op, k):               reply k's state (siblings and context)
//   on read-repair(op, k, state): merge; ack
//   on hint(k, state):            merge; ack
//   on hint-ack:                  the hint is delivered: note "hinted-handoff"
//   anti_entropy (an interval): every interval compare, by Merkle trees,
//     the keys this node and the next peer are both preferred replicas of,
//     and ship the states that differ both ways (models/anti_entropy.h)
//
// Merging is the conflict strategy's (models/conflict.h): lww keeps the
// larger (clock, node, seq); version-vectors and mv-register keep concurrent
// siblings. ctx.applied_versions is called exactly when the visible
// siblings change. A hint is never visible at its holder, so a substitute
// never counts as a replica of the key.
//
// Sets and counters (workload.type "set" or "counter") run in quorum_crdt.cc
// instead: every request and every message but anti-entropy's goes there.
//
// Durable: the store, the operation, write and per-key dot counters, the hints (their
// retry queue). Volatile: the coordinator's operations in progress and the
// set of suspected nodes.
#include <algorithm>

#include "models/anti_entropy_conflict.h"
#include "models/quorum.h"
#include "models/quorum_parts.h"

namespace consim::quorum {

QuorumReplica::QuorumReplica(const Config& config, Context& ctx)
    : config_(config),
      ctx_(ctx),
      ring_(config.node_names, config.virtual_nodes),
      handoff_(ctx, config.retry_initial, config.retry_max, kHintRetry) {
  if (config.crdt.holds_crdts())
    crdt_ = std::make_unique<CrdtQuorum>(*this, config, ctx,
                                         [this](Key key) { anti_entropy_changed(key); });
  if (!config.anti_entropy) return;
  anti_entropy_.emplace(static_cast<AntiEntropyHost&>(*this), ctx,
                        AntiEntropyConfig{*config.anti_entropy}, kAntiEntropy);
  anti_entropy_->start();
}

void QuorumReplica::on_message(NodeId from, const Payload& message) {
  suspected_.erase(from);  // it answers: no longer suspected
  handoff_.heard_from(from);
  if (anti_entropy_ && anti_entropy_->on_message(from, message)) return;
  if (crdt_ && crdt_->on_message(from, message)) return;
  if (auto* w = payload_as<Write>(message)) {
    if (w->hint_for)
      hold_hint(*w->hint_for, w->key, w->state);
    else
      merge_local(w->key, w->state);
    auto ack = std::make_shared<WriteAck>();
    ack->id = w->op;
    ctx_.send(from, ack);
  } else if (auto* r = payload_as<Read>(message)) {
    auto reply = std::make_shared<ReadReply>();
    reply->op = r->op;
    fill(*reply, state_of(r->key));
    ctx_.send(from, reply);
  } else if (auto* rr = payload_as<RepairMsg>(message)) {
    merge_local(rr->key, rr->state);
    auto ack = std::make_shared<RepairAck>();
    ack->id = rr->op;
    ctx_.send(from, ack);
  } else if (auto* h = payload_as<Hint>(message)) {
    merge_local(h->key, h->state);
    auto ack = std::make_shared<HintAck>();
    ack->id = h->id;
    ctx_.send(from, ack);
  } else if (auto* ha = payload_as<HintAck>(message)) {
    hint_acked(from, ha->id);
  } else if (auto* wa = payload_as<WriteAck>(message)) {
    on_ack(from, wa->id, false);
  } else if (auto* rp = payload_as<ReadReply>(message)) {
    on_reply(from, rp->op, rp->state);
  } else if (auto* ra = payload_as<RepairAck>(message)) {
    on_ack(from, ra->id, true);
  }
}

void QuorumReplica::on_timer(std::uint64_t tag) {
  if (handoff_.owns_timer(tag)) return handoff_.on_timer(tag);
  if (anti_entropy_ && anti_entropy_->owns_timer(tag)) return anti_entropy_->on_timer(tag);
  if (crdt_ && crdt_->on_timer(tag)) return;
  switch (timer_kind(tag)) {
    case kRequestTimeout:
      return on_timeout(timer_id(tag));
    case kSuspect:
      return on_suspect_timer(timer_id(tag));
    default:
      return;
  }
}

void QuorumReplica::on_crash() {
  if (crdt_) crdt_->on_crash();
  ops_.clear();
  suspected_.clear();
  handoff_.on_crash(true);
}

void QuorumReplica::on_recover() {
  handoff_.on_recover();
  if (anti_entropy_) anti_entropy_->on_recover();
}

bool QuorumReplica::merge_local(Key key, const conflict::KeyState& incoming) {
  if (incoming.siblings.empty() && !store_.contains(key)) return false;
  conflict::KeyState& st = store_[key];
  conflict::MergeOutcome out = conflict::merge(config_.conflict, st, incoming);
  anti_entropy_changed(key);
  for (const conflict::Dot& d : out.overwritten)
    if (d.node == ctx_.self())
      ctx_.note("lww-overwrote", "write " + conflict::format_dot(d, ctx_) + " to key " +
                                     std::to_string(key) + " overwritten by a concurrent write");
  if (!out.visible_changed) return false;
  if (config_.conflict == conflict::Strategy::Lww) {
    ctx_.applied_versions(key, st.values(), nullptr, nullptr);
  } else {
    conflict::CausalContext c = st.causal_context();
    ctx_.applied_versions(key, st.values(), &c.vv, &c.dots);
  }
  return true;
}

conflict::KeyState QuorumReplica::state_of(Key key) const {
  auto it = store_.find(key);
  return it == store_.end() ? conflict::KeyState{} : it->second;
}

void QuorumReplica::hold_hint(NodeId owner, Key key, const conflict::KeyState& state) {
  std::uint64_t id = next_hint_++;
  auto m = std::make_shared<Hint>();
  m->id = id;
  m->key = key;
  fill(*m, state);
  hints_[id] = "key " + std::to_string(key) + " for " + std::string(ctx_.node_name(owner));
  handoff_.send(owner, id, m);
}

void QuorumReplica::hint_acked(NodeId from, std::uint64_t id) {
  handoff_.acknowledged(from, id);
  auto it = hints_.find(id);
  if (it == hints_.end()) return;  // a duplicate ack
  ctx_.note("hinted-handoff", it->second + " delivered");
  hints_.erase(it);
}

void QuorumReplica::anti_entropy_changed(Key key) {
  if (anti_entropy_ && crdt_) return anti_entropy_->key_changed(key, crdt_->store().digest(key));
  if (anti_entropy_)
    anti_entropy_->key_changed(key, conflict_digest(config_.conflict, store_[key]));
}

std::vector<NodeId> QuorumReplica::anti_entropy_peers() const {
  std::vector<NodeId> peers;  // with virtual nodes, nearly every pair shares a range
  for (NodeId p = 0; p < ctx_.node_count(); ++p)
    if (p != ctx_.self()) peers.push_back(p);
  return peers;
}

bool QuorumReplica::shares_key(NodeId peer, Key key) const {
  const std::vector<NodeId> owners = preferred(key);
  auto owns = [&](NodeId n) { return std::find(owners.begin(), owners.end(), n) != owners.end(); };
  return owns(peer) && owns(ctx_.self());
}

KeyVersionsPtr QuorumReplica::key_versions(Key key) {
  if (crdt_) return std::make_shared<CrdtVersions>(crdt_->store().state(key));
  return std::make_shared<ConflictVersions>(config_.conflict, state_of(key));
}

void QuorumReplica::merge_key_versions(Key key, const KeyVersions& versions) {
  if (crdt_) {
    if (crdt_->store().merge(key, dynamic_cast<const CrdtVersions&>(versions).value))
      anti_entropy_changed(key);
    return;
  }
  merge_local(key, dynamic_cast<const ConflictVersions&>(versions).state);
}

}  // namespace consim::quorum
