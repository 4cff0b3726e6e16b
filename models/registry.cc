// The table of store models. Adding a model is one row here.
#include "models/registry.h"

#include <stdexcept>

#include "models/bank/bank.h"
#include "models/causal.h"
#include "models/causal_crdt.h"
#include "models/event_sourcing/event_sourced.h"
#include "models/eventual_async.h"
#include "models/leader_lease.h"
#include "models/multi_leader.h"
#include "models/primary_backup.h"
#include "models/quorum.h"
#include "models/raft.h"
#include "models/strong_2pc.h"

namespace consim {

namespace {

// The Raft core's messages (models/raft_messages.h), which raft and
// leader-lease's lease service send, then `more`.
std::vector<std::string> raft_messages(const std::vector<std::string>& more) {
  std::vector<std::string> out = {"request-vote",   "vote",         "heartbeat",
                                  "append-entries", "append-reply", "install-snapshot"};
  out.insert(out.end(), more.begin(), more.end());
  return out;
}

}  // namespace

const ModelCatalog& model_registry() {
  static const ModelCatalog table = {
      {"strong-2pc",
       "linearizable: the receiving node runs two-phase commit with every replica; "
       "writes fail under any partition",
       parse_strong_2pc_params,
       make_strong_2pc,
       {"prepare", "vote", "commit", "abort", "decision-ack", "decision-query", "decision-answer"}},
      {"eventual-async",
       "eventual: apply locally, acknowledge at once, replicate in the background with "
       "retries; last-writer-wins",
       parse_eventual_async_params,
       make_eventual_async,
       {"replicate", "replicate-ack", "anti-entropy-tree", "anti-entropy-keys"},
       {"register", "set", "counter"}},
      {"causal",
       "causal: vector-clock dependencies, remote writes buffered until their causes are "
       "applied, sessions carry causal context",
       parse_causal_store_params,
       make_causal_store,
       {"replicate", "replicate-ack"},
       {"register", "set", "counter"}},
      {"primary-backup",
       "master-slave: one primary orders writes and replicates them (sync, semi-sync or async); "
       "heartbeats, failover to the most up-to-date backup, epoch fencing",
       parse_primary_backup_params,
       make_primary_backup,
       {"sync", "heartbeat", "append", "append-ack", "fenced", "pre-vote", "pre-vote-ack",
        "view-change", "view-ack", "promote"}},
      {"raft",
       "linearizable (reads: log or read-index): a leader elected by majority replicates a "
       "log; the majority side of a partition stays writable, the minority is unavailable",
       parse_raft_params, make_raft, raft_messages({})},
      {"leader-lease",
       "leader election as a service: applications take a lease with a fencing token from a "
       "Raft group and write one document to a storage node that checks the token (or not)",
       parse_leader_lease_params, make_leader_lease,
       raft_messages({"lease-request", "lease-grant", "lease-busy", "doc-read", "doc", "doc-store",
                      "store-ack", "store-refused"})},
      {"quorum",
       "Dynamo-style quorums: n replicas per key on a hash ring, writes wait for w acks, reads "
       "for r replies; optional read repair, sloppy quorum with hinted handoff",
       parse_quorum_params,
       make_quorum,
       {"write", "write-ack", "read", "read-reply", "read-repair", "read-repair-ack", "hint",
        "hint-ack", "anti-entropy-tree", "anti-entropy-keys"},
       {"register", "set", "counter"}},
      {"multi-leader",
       "active-active: one leader per region applies its clients' writes at once and replicates "
       "them asynchronously to the other regions; conflicts resolved by lww, version vectors "
       "or an mv-register",
       parse_multi_leader_params,
       make_multi_leader,
       {"replicate", "replicate-ack"},
       {"register", "set", "counter"}},
      {"bank",
       "a sharded bank: accounts partitioned over shards (a node or a replica group each), "
       "transfers between shards by "
       "two-phase commit, a saga with compensations, or no coordination (method)",
       parse_bank_params,
       make_bank,
       {"prepare", "vote", "commit", "abort", "decision-ack", "decision-query", "step",
        "step-reply", "get", "get-reply", "put", "put-ack", "replicate", "group-heartbeat",
        "replicate-ack", "shard-snapshot", "group-vote-request", "group-vote"},
       {"bank"}},
      {"event-sourced",
       "event sourcing with a CQRS read model: commands append events to a per-entity log at "
       "the log's owner, shipped asynchronously to log replicas and to a projection that "
       "queries read (or, with queries: log, queries read the owner's fold)",
       parse_event_sourced_params,
       make_event_sourced,
       {"event", "event-ack"}},
  };
  return table;
}

const ModelInfo* find_model(const std::string& name) { return find_model(model_registry(), name); }

const ModelInfo& registered_model(const std::string& name) {
  const ModelInfo* m = find_model(name);
  if (!m) throw std::invalid_argument("no model named \"" + name + "\"");
  return *m;
}

std::vector<std::string> model_names() { return model_names(model_registry()); }

}  // namespace consim
