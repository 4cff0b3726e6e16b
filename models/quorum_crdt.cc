// The quorum model's sets and counters: the coordinator and replica sides
// of CrdtQuorum (quorum_crdt.h has the pseudocode and the invariants).
//
// Example (n = 3, r = w = 2, OR-set): Alice adds "hat" at n1: n1 applies
// the add to its copy of cart 0 (dot n1:1), writes the state to n1, n2, n3
// and answers ok after two acks. A partition leaves n3 alone; Bob removes
// "hat" at n3: the remove's read gets one reply of two and fails (no quorum
// on n3's side), so nothing was removed. With r = w = 1 it succeeds: n3
// removes what it saw (dot n1:1 if it held it, else nothing: "result":
// false), and after the heal every read merges both sides' states.
#include "models/quorum_crdt.h"

#include <utility>

#include "models/model_support.h"
#include "models/quorum_parts.h"

namespace consim::quorum {

CrdtQuorum::CrdtQuorum(QuorumReplica& replica, const Config& config, Context& ctx,
                       std::function<void(Key)> changed)
    : replica_(replica),
      config_(config),
      ctx_(ctx),
      changed_(std::move(changed)),
      store_(config.crdt, ctx) {}

void CrdtQuorum::on_request(const Request& request) {
  auto [id, op] = open(request, kCrdtTimeout);
  if (request.type == OpType::Read || store_.reads_first(request)) {
    op.phase = request.type == OpType::Read ? Op::Phase::Reading : Op::Phase::Query;
    op.joined = store_.empty_value();
    return send_reads(id, op);
  }
  apply_and_write(id, op);
}

std::vector<NodeId> CrdtQuorum::choose(Key key, std::size_t count) {
  return replica_.choose(key, count);
}

std::vector<NodeId> CrdtQuorum::preferred(Key key) const { return replica_.preferred(key); }

// The update applied at this node's copy (after a query, over the join it
// read), then its whole state written to the replicas.
void CrdtQuorum::apply_and_write(std::uint64_t id, Op& op) {
  const Key key = op.request.key;
  if (op.phase == Op::Phase::Query) merge(key, *op.joined);
  bool changed = false;
  op.result = store_.apply(op.request, changed);
  if (op.result.outcome != Reply::Outcome::Ok) return finish(id, op, op.result);
  if (changed) changed_(key);
  begin_write(op);
  auto m = state_message("write", id, key, store_.state(key));
  for (NodeId t : op.targets) ctx_.send(t, m);
}

bool CrdtQuorum::on_message(NodeId from, const Payload& message) {
  if (auto* s = payload_as<CrdtState>(message)) {
    if (s->kind == "read-reply") {
      on_reply(from, s->op, *s->value);
      return true;
    }
    merge(s->key, *s->value);  // a write or a repair
    if (s->kind == "write") {
      auto ack = std::make_shared<WriteAck>();
      ack->id = s->op;
      ctx_.send(from, ack);
    } else {
      auto ack = std::make_shared<RepairAck>();
      ack->id = s->op;
      ctx_.send(from, ack);
    }
    return true;
  }
  if (auto* r = payload_as<Read>(message)) {
    ctx_.send(from, state_message("read-reply", r->op, r->key, store_.state(r->key)));
    return true;
  }
  if (auto* wa = payload_as<WriteAck>(message)) {
    on_ack(from, wa->id, false);
    return true;
  }
  if (auto* ra = payload_as<RepairAck>(message)) {
    on_ack(from, ra->id, true);
    return true;
  }
  return false;
}

bool CrdtQuorum::on_timer(std::uint64_t tag) {
  if (timer_kind(tag) != kCrdtTimeout) return false;
  on_timeout(timer_id(tag));
  return true;
}

std::shared_ptr<CrdtState> CrdtQuorum::state_message(std::string_view kind, std::uint64_t id,
                                                     Key key, const CrdtValue& value) const {
  auto m = std::make_shared<CrdtState>();
  m->kind = kind;
  m->op = id;
  m->key = key;
  m->value = std::make_shared<const CrdtValue>(value);
  m->bytes = CrdtStore::wire_bytes(*m->value);
  return m;
}

void CrdtQuorum::merge(Key key, const CrdtValue& value) {
  if (store_.merge(key, value)) changed_(key);
}

}  // namespace consim::quorum
