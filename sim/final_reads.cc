// The final reads: once the workload has stopped and the run has quiesced,
// each client reads a queue of keys one after another, every line traced
// "final": true; the checkers judge the run on them (the bank checker sums
// the final balances, the cart and counter checkers compare every
// replica's final state with what was acknowledged). One queue and one path
// for every workload type (register runs have none); the type fixes what
// is queued and how a failed read is handled:
//  - bank: client i reads accounts i, i + C, i + 2C, ... (C clients) at its
//    own node (its leader, else its current node), 1 ms apart; a read that
//    fails or times out is tried again, at most 3 times in all, then the
//    client moves on (the bank checker reports accounts without a final
//    balance).
//  - set and counter: every node is read once per key, so that each
//    replica is judged: node n's reads are issued by the first client bound
//    to n (else by client n mod C), straight to n, back to back; a failed
//    read is not tried again (that replica is down or cut off; the checkers
//    count the final reads they got). The reader first becomes a fresh
//    process: its reads go to other nodes, outside its session.
//
// Worked example (set): nodes n1..n3, clients 0 (on n1) and 1 (on n2), keys
// 0..1, final_reads 50s. At 50s client 0 reads key 0 then key 1 at n1, then
// both keys at n3 (no client is bound to n3; 2 mod 2 = 0), while client 1
// reads both keys at n2: six reads.
#include "sim/clients.h"
#include "sim/trace_writer.h"

namespace consim {
namespace {

struct FinalPolicy {
  int attempts;        // tries of one read before moving on
  Time gap;            // between two reads of one client (0: back to back)
  bool fresh_process;  // the reader starts a new process first
};

FinalPolicy policy_of(WorkloadType type) {
  if (type == WorkloadType::Bank) return {3, 1'000'000, false};
  return {1, 0, true};
}

}  // namespace

void Clients::plan_final_reads(std::uint32_t client) {
  const WorkloadSpec& top = scenario_.workload;
  if (top.type == WorkloadType::Register || !top.final_reads) return;
  Client& c = clients_[client];
  const std::uint64_t n_clients = clients_.size();
  if (top.type == WorkloadType::Bank) {
    const std::uint64_t accounts = top.bank->accounts;
    if (client < accounts)
      c.final_runs.push_back(
          {std::nullopt, client, n_clients, (accounts - client + n_clients - 1) / n_clients});
  } else {
    for (NodeId node = 0; node < node_count_; ++node) {
      std::uint64_t reader = node % n_clients;
      for (std::uint32_t i = 0; i < n_clients; ++i)
        if (clients_[i].nodes.front() == node) {
          reader = i;
          break;
        }
      if (reader == client) c.final_runs.push_back({node, 0, 1, top.keys});
    }
  }
  // Every client's first step, even with nothing to read (the run's event
  // count, in the trace's end line, counts it).
  loop_.schedule_at(*top.final_reads, events::OperationStarts{client | kFinalReadBit});
}

void Clients::final_read_step(std::uint32_t client) {
  Client& c = clients_[client];
  if (c.final_run >= c.final_runs.size()) return;
  const FinalRun& run = c.final_runs[c.final_run];
  const bool first = c.final_run == 0 && c.final_index == 0 && c.final_attempts == 0;
  if (first && policy_of(scenario_.workload.type).fresh_process) {
    c.process += clients_.size();
    c.session = nullptr;
  }
  Request req;
  req.op_id = ++next_op_;
  req.client = client;
  req.type = OpType::Read;
  req.key = run.first + run.stride * c.final_index;
  const NodeId node = run.node.value_or(c.leader.value_or(c.nodes[c.current]));
  send_request(client, std::move(req), node, 0, true);
}

void Clients::final_read_done(std::uint32_t client, bool ok) {
  Client& c = clients_[client];
  const FinalPolicy policy = policy_of(scenario_.workload.type);
  if (ok || ++c.final_attempts >= policy.attempts) {
    c.final_attempts = 0;
    if (++c.final_index >= c.final_runs[c.final_run].count) {
      ++c.final_run;
      c.final_index = 0;
    }
  }
  if (policy.gap > 0)
    loop_.schedule_after(policy.gap, events::OperationStarts{client | kFinalReadBit});
  else
    final_read_step(client);
}

}  // namespace consim
