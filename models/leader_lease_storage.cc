// The leader-lease model's storage node; see leader_lease_storage.h.
#include "models/leader_lease_storage.h"

#include <algorithm>
#include <string>

namespace consim::leader_lease {

void DocumentStorage::read(NodeId from, const DocRead& r) {
  auto d = std::make_shared<Doc>();
  d->op = r.op;
  d->doc = doc_;
  ctx_.send(from, d);
}

void DocumentStorage::store(NodeId from, const DocStore& s) {
  auto ack = std::make_shared<StoreAck>();
  ack->op = s.op;
  std::string who = std::string(ctx_.node_name(s.app)) + "'s write with token " +
                    std::to_string(s.token) + " after token " + std::to_string(max_token_);
  if (s.token < max_token_ && fencing_) {
    ctx_.note("fenced", "refused " + who);
    ack->stored = false;
    ack->seen_token = max_token_;
    return ctx_.send(from, ack);
  }
  if (s.token < max_token_) ctx_.note("stale-token", "accepted " + who + " (no fencing)");
  max_token_ = std::max(max_token_, s.token);
  replace_document(s.doc);
  ack->seen_token = max_token_;
  ctx_.send(from, ack);
}

void DocumentStorage::replace_document(const Document& next) {
  for (const auto& [key, value] : doc_)
    if (!next.contains(key)) ctx_.applied(key, std::nullopt);
  for (const auto& [key, value] : next) {
    auto it = doc_.find(key);
    if (it == doc_.end() || it->second != value) ctx_.applied(key, value);
  }
  doc_ = next;
}

}  // namespace consim::leader_lease
