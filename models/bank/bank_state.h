// A bank shard's durable state, and what a shard's replica group sends to
// keep its members' copies of it equal (bank_group.cc has the protocol).
//
// Invariants: a member's state is (state_epoch, seq): the state the
// primary of epoch state_epoch had after its change number seq. Changes are
// numbered 1, 2, ... across epochs (a new primary continues from its own
// seq); two members with the same (state_epoch, seq) hold the same state.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/model.h"
#include "models/model_support.h"

namespace consim::bank {

// A change of one account's balance: a 2PC write or a saga step.
struct Entry {
  Key key = 0;
  std::int64_t delta = 0;
};

// A prepared 2PC transaction at a shard (durable; `timer` is the local
// in-doubt timer, 0 on a backup).
struct Prepared {
  NodeId coordinator = 0;
  std::vector<Entry> entries;
  Time since = 0;
  TimerId timer = 0;
};

// A saga step's record at a shard: its idempotency key's answer.
struct StepRecord {
  bool ok = false;
  std::string reason;
  Entry applied;           // what it changed (ok only)
  bool cancelled = false;  // a Cancel reverted it or came first
};

// A shard's durable state: what a replica group replicates.
struct ShardState {
  std::map<Key, std::int64_t> balances;  // accounts not present hold initial_balance
  std::map<std::uint64_t, Prepared> prepared;
  std::map<Key, std::uint64_t> locks;  // account -> the prepared txn holding it
  std::set<std::uint64_t> decided;     // txns whose decision reached this shard
  std::map<std::uint64_t, StepRecord> steps;
};

// One shard step's changes, as new values (nullopt: erased).
struct ShardDelta {
  std::vector<std::pair<Key, std::int64_t>> balances;
  std::vector<std::pair<Key, std::optional<std::uint64_t>>> locks;
  std::vector<std::pair<std::uint64_t, std::optional<Prepared>>> prepared;
  std::vector<std::uint64_t> decided;
  std::vector<std::pair<std::uint64_t, StepRecord>> steps;
  std::size_t size_bytes() const {
    return 16 * balances.size() + 16 * locks.size() + 32 * prepared.size() + 8 * decided.size() +
           32 * steps.size();
  }
};

// Primary -> backups: change `seq` (delta set), or a heartbeat (no delta)
// saying the primary's state is at `seq`.
struct GroupAppend : Payload {
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  std::shared_ptr<const ShardDelta> delta;
  std::string_view type() const override { return delta ? "replicate" : "group-heartbeat"; }
  std::size_t size_bytes() const override {
    return kEnvelopeBytes + 16 + (delta ? delta->size_bytes() : 0);
  }
};
// Backup -> primary: my state is at (epoch, seq); `behind`: I cannot apply
// your changes (a gap, or a new epoch whose snapshot I lack).
struct GroupAck : Payload {
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  bool behind = false;
  std::string_view type() const override { return "replicate-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 17; }
};
// Primary -> a backup: the whole shard state at (epoch, seq).
struct GroupSnapshot : Payload {
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  std::shared_ptr<const ShardState> state;
  std::string_view type() const override { return "shard-snapshot"; }
  std::size_t size_bytes() const override {
    return kEnvelopeBytes + 16 + 16 * state->balances.size() + 32 * state->prepared.size() +
           32 * state->steps.size() + 8 * state->decided.size();
  }
};
struct GroupVoteRequest : Payload {
  std::uint64_t epoch = 0;
  std::uint64_t state_epoch = 0, seq = 0;  // the candidate's state
  std::string_view type() const override { return "group-vote-request"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 24; }
};
struct GroupVote : Payload {
  std::uint64_t epoch = 0;
  bool granted = false;
  std::string_view type() const override { return "group-vote"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 9; }
};

// A member's part in its group. Durable: epoch, voted_for, state_epoch,
// seq (they describe the durable shard state). Volatile: the rest.
struct GroupMember {
  enum class Role : std::uint8_t { Backup, Candidate, Primary };
  std::uint64_t epoch = 1;
  std::optional<NodeId> voted_for;
  std::uint64_t state_epoch = 1, seq = 0;
  Role role = Role::Backup;
  std::optional<NodeId> primary;
  Time heard = 0;     // a backup: when the primary (or a candidate) last spoke
  Time patience = 0;  // failover_timeout plus this member's jitter
  std::set<NodeId> votes;
  std::map<NodeId, std::uint64_t> acked;  // primary: each backup's seq in this epoch
  std::uint64_t commit = 0;               // primary: the highest seq on a majority
  std::map<std::uint64_t, std::shared_ptr<const ShardDelta>> log;  // primary: recent changes
  // Backup: changes of its epoch that arrived before the ones they follow.
  std::map<std::uint64_t, std::shared_ptr<const ShardDelta>> early;
  // Primary: replies waiting for their change (seq) to reach a majority.
  std::vector<std::tuple<std::uint64_t, NodeId, PayloadPtr>> held;
};

}  // namespace consim::bank
