// The clients' set and counter operations and the final reads; see
// clients.h (the invariants on sets and counters) and docs/crdts.md.
//
// Final reads, worked example: nodes n1..n3, clients 0 (on n1) and 1 (on
// n2), keys 0..1, final_reads 50s. At 50s client 0 reads key 0 then key 1
// at n1, client 1 the same at n2, and client 0 (n3 has no client; 2 mod 2
// = 0) then reads both keys at n3: six reads, each traced "final": true.
#include <algorithm>

#include "sim/clients.h"
#include "sim/trace_writer.h"

namespace consim {

OpType Clients::draw_data_op(Client& c, const WorkloadSpec& w, double type_draw, Value& value) {
  if (type_draw < w.read_fraction) return OpType::Read;
  if (w.type == DataType::Counter) {
    value = type_draw < w.read_fraction + w.decrement_fraction ? -1 : 1;
    return OpType::Incr;
  }
  value = static_cast<Value>(w.items_first + c.rng.below(w.items));
  return type_draw < w.read_fraction + w.remove_fraction ? OpType::Remove : OpType::Add;
}

void Clients::plan_final_reads() {
  const WorkloadSpec& top = scenario_.workload;
  if (top.type == DataType::Register || !top.final_reads || clients_.empty()) return;
  for (NodeId node = 0; node < node_count_; ++node) {
    std::uint32_t reader = static_cast<std::uint32_t>(node % clients_.size());
    for (std::uint32_t i = 0; i < clients_.size(); ++i)
      if (clients_[i].nodes.front() == node) {
        reader = i;
        break;
      }
    for (Key k = 0; k < top.keys; ++k) clients_[reader].final_reads.emplace_back(node, k);
  }
  for (std::uint32_t i = 0; i < clients_.size(); ++i) {
    Client& c = clients_[i];
    if (c.final_reads.empty()) continue;
    std::reverse(c.final_reads.begin(), c.final_reads.end());  // pop from the back
    c.process += clients_.size();  // a fresh process: no session runs into the final reads
    c.session = nullptr;
    loop_.schedule_at(*top.final_reads, events::OperationStarts{i});
  }
}

bool Clients::issue_final_read(std::uint32_t client) {
  Client& c = clients_[client];
  const WorkloadSpec& top = scenario_.workload;
  if (!top.final_reads || loop_.now() < *top.final_reads || c.final_busy || c.final_reads.empty())
    return false;
  auto [node, key] = c.final_reads.back();
  c.final_reads.pop_back();
  c.final_busy = true;
  Request req;
  req.op_id = ++next_op_;
  req.client = client;
  req.type = OpType::Read;
  req.key = key;
  Outstanding o{client, c.process, node, req, 0};
  o.final = true;
  OpRecord rec{OpPhase::Invoke, req.op_id, c.process, client, false, key, std::nullopt, node, {}};
  describe_data_op(rec, o, nullptr);
  trace_.op(loop_.now(), rec);
  outstanding_[req.op_id] = std::move(o);
  loop_.schedule_after(top.timeout, events::OperationTimesOut{req.op_id});
  send_over_link(client, Transit{node, req, std::nullopt});
  return true;
}

void Clients::describe_data_op(OpRecord& rec, const Outstanding& o, const Reply* reply) const {
  const DataType type = scenario_.workload.type;
  if (type == DataType::Register) return;
  rec.data_f = op_name(o.request.type);
  rec.final = o.final;
  if (!reply) return;
  if (o.request.type == OpType::Read && type == DataType::Set) rec.items = &reply->items;
  if (o.request.type == OpType::Remove) rec.held = reply->held;
}

}  // namespace consim
