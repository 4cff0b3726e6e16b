// Cooperative termination for strong-2pc: see strong_2pc_termination.h.
#include "models/strong_2pc_termination.h"

#include <algorithm>
#include <memory>
#include <string>

#include "models/model_support.h"

namespace consim {
namespace {

struct DecisionQuery : Payload {
  TxnId txn;
  Key key = 0;
  std::string_view type() const override { return "decision-query"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + kTxnIdBytes + 8; }
};

struct DecisionAnswer : Payload {
  TxnId txn;
  Key key = 0;
  TxnFate fate = TxnFate::InDoubt;
  std::string_view type() const override { return "decision-answer"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + kTxnIdBytes + 8 + 1; }
};

}  // namespace

CooperativeTermination::CooperativeTermination(Context& ctx, Host& host, Time first_wait,
                                               Time max_wait, std::uint8_t timer_kind)
    : ctx_(ctx),
      host_(host),
      first_wait_(first_wait),
      max_wait_(std::max(first_wait, max_wait)),
      timer_kind_(timer_kind) {}

void CooperativeTermination::entered_doubt(TxnId txn, Key key, Time since) {
  if (txn.coordinator == ctx_.self()) return;  // the coordinator decides; it never asks
  left_doubt(key);
  std::uint64_t serial = next_serial_++;
  Asking& a = asking_[serial];
  a.txn = txn;
  a.key = key;
  a.wait = first_wait_;
  a.since = since;
  a.timer = ctx_.set_timer(first_wait_, timer_tag(timer_kind_, serial));
  serial_of_[key] = serial;
}

void CooperativeTermination::left_doubt(Key key) {
  auto it = serial_of_.find(key);
  if (it == serial_of_.end()) return;
  ctx_.cancel_timer(asking_.at(it->second).timer);
  asking_.erase(it->second);
  serial_of_.erase(it);
}

bool CooperativeTermination::on_message(NodeId from, const Payload& message) {
  if (auto* q = payload_as<DecisionQuery>(message)) {
    auto answer = std::make_shared<DecisionAnswer>();
    answer->txn = q->txn;
    answer->key = q->key;
    answer->fate = host_.fate_for_peer(q->txn, q->key, from);
    ctx_.send(from, answer);
    return true;
  }
  if (auto* a = payload_as<DecisionAnswer>(message)) {
    if (a->fate != TxnFate::InDoubt)
      host_.learned(a->txn, a->key, a->fate == TxnFate::Committed, from);
    return true;
  }
  return false;
}

bool CooperativeTermination::owns_timer(std::uint64_t tag) const {
  return timer_kind(tag) == timer_kind_;
}

void CooperativeTermination::on_timer(std::uint64_t tag) {
  auto it = asking_.find(timer_id(tag));
  if (it == asking_.end()) return;
  ask(it->second);
}

// Ask every other replica, the coordinator included (if it is up and
// reachable it answers like any replica), then wait twice as long.
void CooperativeTermination::ask(Asking& a) {
  std::vector<NodeId> peers;
  auto query = std::make_shared<DecisionQuery>();
  query->txn = a.txn;
  query->key = a.key;
  for (NodeId peer = 0; peer < ctx_.node_count(); ++peer) {
    if (peer == ctx_.self()) continue;
    peers.push_back(peer);
    ctx_.send(peer, query);
  }
  ctx_.note("termination-ask", describe_txn(ctx_, a.txn) + " key " + std::to_string(a.key) +
                                   ": asks " + node_list(ctx_, peers) + " after " +
                                   format_duration(ctx_.now() - a.since) + " in doubt");
  a.wait = std::min(2 * a.wait, max_wait_);
  a.timer = ctx_.set_timer(a.wait, timer_tag(timer_kind_, serial_of_.at(a.key)));
}

void CooperativeTermination::on_crash() {
  asking_.clear();
  serial_of_.clear();
}

}  // namespace consim
