// The sharded bank model's parts shared by its files: the configuration,
// the messages, and the replica class (one per node). bank.h is the public
// factory; docs/models.md describes the model.
//
// Accounts are keys 0..accounts-1. With replicas_per_shard R (default 1)
// the N nodes form S = N / R shards: shard g is nodes g*R .. g*R+R-1, and
// account k lives on shard k mod S (R = 1: each node is a shard, as
// before). With R > 1 each shard is a replica group (bank_group.cc): a
// primary runs the shard's steps and replicates each change to a majority
// of the group before answering; a backup takes over when the primary goes
// silent. Each node plays two roles:
//  - a shard (bank_shard.cc): holds the balances of its accounts, runs
//    local steps (saga debits and credits with idempotency keys), prepares
//    and commits 2PC transactions with per-account locks, serves get/put;
//  - a coordinator (bank_twopc.cc, bank_saga.cc, bank_none.cc) for the
//    transfers and balance reads its clients send it, by `method`.
//
// Durable (survives a crash): balances, the shard's step records
// (idempotency keys), prepared 2PC records and their locks, the
// coordinator's 2PC decision log and its saga log. Volatile: votes being
// collected, none-method transfers in progress (they have no log), reads
// in progress, timers. Messages to this node's own shard go through a
// zero-delay timer, so a local step is ordered like a remote one.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "models/bank/bank_state.h"
#include "models/id_message.h"
#include "models/model.h"
#include "models/model_info.h"
#include "models/model_support.h"

namespace consim::bank {

enum class Method : std::uint8_t { TwoPc, Saga, None };
inline constexpr std::array<std::string_view, 3> kMethodNames = {"2pc", "saga", "none"};

struct BankConfig : ModelConfig {
  Method method = Method::TwoPc;
  Time step_timeout = 50 * kMillisecond;       // a vote, a saga step, a none step, a read
  int step_retries = 5;                        // saga and none: attempts of a step
  Time decision_retry = 50 * kMillisecond;     // 2pc: resend a decision / ask for one
  std::set<Key> closed_accounts;               // their shard refuses credits
  std::uint32_t replicas_per_shard = 1;        // > 1: each shard a replica group
  Time heartbeat = 20 * kMillisecond;          // groups: the primary's heartbeat period
  Time failover_timeout = 100 * kMillisecond;  // groups: a backup's patience
  AccountsSpec accounts;                       // from the workload, not from "params"
  nlohmann::json to_json() const override;
};

// 2PC. The transaction id is the client's op id (unique per run).
struct Prepare : Payload {
  std::uint64_t txn = 0;
  std::vector<Entry> entries;  // this shard's accounts only
  std::string_view type() const override { return "prepare"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 16 * entries.size(); }
};
struct Vote : Payload {
  std::uint64_t txn = 0;
  bool yes = false;
  std::string reason;  // no: why
  std::string_view type() const override { return "vote"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 9 + reason.size(); }
};
struct Decision : Payload {
  std::uint64_t txn = 0;
  bool commit = false;
  std::string_view type() const override { return commit ? "commit" : "abort"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8; }
};
using DecisionAck = IdMessage<"decision-ack">;      // id: the transaction
using DecisionQuery = IdMessage<"decision-query">;  // id: the transaction

// Saga steps. A step's id is its idempotency key: (saga id << 2) | kind.
enum class StepKind : std::uint8_t { Debit = 0, Credit = 1, Refund = 2, Cancel = 3 };
struct Step : Payload {
  std::uint64_t id = 0;
  StepKind kind = StepKind::Debit;
  Entry entry;                // Cancel: the step to cancel is `cancels`
  std::uint64_t cancels = 0;  // Cancel only
  std::string_view type() const override { return "step"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 1 + 16 + 8; }
};
struct StepReply : Payload {
  std::uint64_t id = 0;
  bool ok = false;
  std::string reason;  // refused: why (definitive)
  std::string_view type() const override { return "step-reply"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 9 + reason.size(); }
};

// Plain reads and writes of a balance: balance reads, and the none method.
// The id is (op id << 2) | stage, so a late reply to an earlier stage is
// recognised and ignored.
struct Get : Payload {
  std::uint64_t id = 0;
  Key key = 0;
  std::string_view type() const override { return "get"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 16; }
};
struct GetReply : Payload {
  std::uint64_t id = 0;
  std::int64_t balance = 0;
  std::string_view type() const override { return "get-reply"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 16; }
};
struct Put : Payload {
  std::uint64_t id = 0;
  Key key = 0;
  std::int64_t balance = 0;
  std::string_view type() const override { return "put"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 24; }
};
using PutAck = IdMessage<"put-ack">;  // id: the put's

// Timer kinds (model_support.h timer_tag).
enum TimerKind : std::uint8_t {
  kLocal = 1,
  kVotes,
  kResend,
  kInDoubt,
  kSagaStep,
  kNoneStep,
  kRead,
  kGroupTick,
  kGroupFailover
};

class BankReplica final : public Replica {
 public:
  BankReplica(const BankConfig& config, Context& ctx);
  void on_request(const Request& request) override;
  void on_message(NodeId from, const Payload& message) override;
  void on_timer(std::uint64_t tag) override;
  void on_crash() override;
  void on_recover() override;

 private:
  // --- shard (bank_shard.cc) ---
  // Shards are numbered 0..S-1; with R = 1 a shard's number is its node's.
  std::uint32_t shards() const {
    return static_cast<std::uint32_t>(ctx_.node_count() / config_.replicas_per_shard);
  }
  std::uint32_t shard_of(Key k) const { return static_cast<std::uint32_t>(k % shards()); }
  std::uint32_t group_of(NodeId n) const { return n / config_.replicas_per_shard; }
  bool grouped() const { return config_.replicas_per_shard > 1; }
  std::string shard_name(std::uint32_t shard) const;
  std::int64_t balance(Key k) const;
  void set_balance(Key k, std::int64_t v);
  std::optional<std::string> overdraws(const std::vector<Entry>& entries) const;
  void shard_prepare(NodeId from, const Prepare& m);
  void shard_decision(NodeId from, const Decision& m);
  void shard_step(NodeId from, const Step& m);
  StepRecord run_step(const Step& m);
  void shard_get(NodeId from, const Get& m);
  void shard_put(NodeId from, const Put& m);
  void in_doubt_timer(std::uint64_t txn);

  // --- 2pc coordinator (bank_twopc.cc) ---
  struct Txn {  // volatile: votes being collected
    Request request;
    std::map<std::uint32_t, std::vector<Entry>> shards;
    std::set<std::uint32_t> yes;
    TimerId timer = 0;
  };
  struct Logged {  // durable: a decision not yet acknowledged by every shard
    bool commit = false;
    std::set<std::uint32_t> unacked;  // shards
  };
  void twopc_start(const Request& r);
  void twopc_vote(NodeId from, const Vote& m);
  void twopc_decide(std::uint64_t txn, bool commit, const std::string& reason);
  void twopc_resend(std::uint64_t txn);
  void twopc_ack(NodeId from, const DecisionAck& m);
  void twopc_query(NodeId from, const DecisionQuery& m);

  // --- saga orchestrator (bank_saga.cc) ---
  enum class SagaState : std::uint8_t { Debiting, Crediting, Compensating, Refunding };
  struct Saga {  // durable: the saga log
    Key from = 0, to = 0;
    std::int64_t amount = 0;
    SagaState state = SagaState::Debiting;
    int attempts = 0;
    std::string why;                 // why it is compensating
    bool cancels_credit = false;     // Compensating: the step cancelled is the credit
    std::optional<Request> request;  // volatile in effect: cleared by a crash
    TimerId timer = 0;
  };
  void saga_start(const Request& r);
  void saga_send(std::uint64_t id, Saga& s);
  void saga_reply(const StepReply& m);
  void saga_timer(std::uint64_t id);
  void saga_compensate(std::uint64_t id, Saga& s, std::string why, bool credit_may_apply);
  void saga_end(std::uint64_t id, Saga& s, bool ok, const std::string& what);

  // --- no coordination (bank_none.cc) ---
  enum class NoneStage : std::uint8_t { ReadFrom, WriteFrom, ReadTo, WriteTo };
  struct NoneTxn {  // volatile
    Request request;
    NoneStage stage = NoneStage::ReadFrom;
    std::int64_t seen = 0;
    int attempts = 0;
    TimerId timer = 0;
  };
  void none_start(const Request& r);
  void none_send(std::uint64_t id, NoneTxn& t);
  void none_get_reply(std::uint64_t id, std::int64_t value);
  void none_put_ack(std::uint64_t id);
  void none_timer(std::uint64_t id);

  // --- balance reads (bank.cc) ---
  void read_start(const Request& r);
  void read_reply(const GetReply& m);

  // --- plumbing (bank.cc) ---
  void send_to(NodeId node, PayloadPtr m);
  // To shard `shard`: its node (R = 1), or every member of its group (the
  // primary answers, backups drop it).
  void send_to_shard(std::uint32_t shard, const PayloadPtr& m);
  void reply_step(NodeId to, std::uint64_t id, const StepRecord& r);

  // --- replica groups (bank_group.cc; R > 1 only) ---
  bool is_shard_message(const Payload& m) const;
  bool shard_dispatch(NodeId from, const Payload& m);  // false: not a shard message
  void shard_message(NodeId from, const Payload& m);
  void group_start();
  void group_tick();
  void group_failover();
  void draw_patience();
  void group_append(NodeId from, const GroupAppend& m);
  void group_ack(NodeId from, const GroupAck& m);
  void group_snapshot(NodeId from, const GroupSnapshot& m);
  void group_vote_request(NodeId from, const GroupVoteRequest& m);
  void group_vote(NodeId from, const GroupVote& m);
  void group_elect();
  void group_become_primary();
  void group_step_down(std::uint64_t epoch, std::optional<NodeId> primary);
  void group_catch_up(NodeId member, std::uint64_t from_seq);
  void group_release();
  void group_commit();
  std::vector<NodeId> group_members() const;
  std::shared_ptr<ShardDelta> take_delta();
  void apply_delta(const ShardDelta& d);
  void mark_account(Key k) {
    if (capturing_) dirty_.accounts.insert(k);
  }
  void mark_txn(std::uint64_t txn) {
    if (capturing_) dirty_.txns.insert(txn);
  }
  void mark_step(std::uint64_t id) {
    if (capturing_) dirty_.steps.insert(id);
  }

  const BankConfig& config_;
  Context& ctx_;
  // Durable.
  ShardState shard_;
  std::map<std::uint64_t, Logged> decisions_;
  std::map<std::uint64_t, Saga> sagas_;
  // Volatile.
  std::map<std::uint64_t, Txn> txns_;
  std::map<std::uint64_t, NoneTxn> nones_;
  std::map<std::uint64_t, std::pair<Request, TimerId>> reads_;  // by get id
  std::map<std::uint64_t, std::pair<NodeId, PayloadPtr>> local_;
  std::uint64_t next_local_ = 0;
  GroupMember group_;
  // A shard step being handled by a group's primary: what it changed, and
  // the replies it sends (held until the change is on a majority).
  bool capturing_ = false;
  struct {
    std::set<Key> accounts;        // balances and locks
    std::set<std::uint64_t> txns;  // prepared records and decided marks
    std::set<std::uint64_t> steps;
  } dirty_;
  std::vector<std::pair<NodeId, PayloadPtr>> captured_;
};

}  // namespace consim::bank
