// The table of store models. Adding a model is one row here.
#include "models/registry.h"

#include <stdexcept>

#include "models/causal.h"
#include "models/eventual_async.h"
#include "models/leader_lease.h"
#include "models/multi_leader.h"
#include "models/primary_backup.h"
#include "models/quorum.h"
#include "models/raft.h"
#include "models/strong_2pc.h"

namespace consim {

const ModelCatalog& model_registry() {
  static const ModelCatalog table = {
      {"strong-2pc",
       "linearizable: the receiving node runs two-phase commit with every replica; "
       "writes fail under any partition",
       parse_strong_2pc_params, make_strong_2pc},
      {"eventual-async",
       "eventual: apply locally, acknowledge at once, replicate in the background with "
       "retries; last-writer-wins",
       parse_eventual_async_params, make_eventual_async},
      {"causal",
       "causal: vector-clock dependencies, remote writes buffered until their causes are "
       "applied, sessions carry causal context",
       parse_causal_params, make_causal},
      {"primary-backup",
       "master-slave: one primary orders writes and replicates them (sync, semi-sync or async); "
       "heartbeats, failover to the most up-to-date backup, epoch fencing",
       parse_primary_backup_params, make_primary_backup},
      {"raft",
       "linearizable (reads: log or read-index): a leader elected by majority replicates a "
       "log; the majority side of a partition stays writable, the minority is unavailable",
       parse_raft_params, make_raft},
      {"leader-lease",
       "leader election as a service: applications take a lease with a fencing token from a "
       "Raft group and write one document to a storage node that checks the token (or not)",
       parse_leader_lease_params, make_leader_lease},
      {"quorum",
       "Dynamo-style quorums: n replicas per key on a hash ring, writes wait for w acks, reads "
       "for r replies; optional read repair, sloppy quorum with hinted handoff",
       parse_quorum_params, make_quorum},
      {"multi-leader",
       "active-active: one leader per region applies its clients' writes at once and replicates "
       "them asynchronously to the other regions; conflicts resolved by lww, version vectors "
       "or an mv-register",
       parse_multi_leader_params, make_multi_leader},
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
