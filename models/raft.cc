// The raft store model: every node runs one Raft group (models/raft_core.h)
// whose log holds the clients' operations; the state machine is a key-value
// map.
//
//   request at a node that does not lead: redirect(leader it knows, or none)
//   write(k, v) / cas(k, e, v) at the leader: append op; reply when applied
//   apply(op):  a write or cas already applied (same op id, re-sent after a
//     redirect) is not applied again: the first outcome is replied;
//     write: data[k] := v;  cas: data[k] = e ? (data[k] := v, matched) : miss
//   read(k), by "reads":
//     log:        append the read; reply data[k] when it is applied
//     read-index: note the commit index, confirm leadership with a majority
//                 heartbeat round, wait until applied that far; reply data[k]
//     lease:      while the leader lease holds (local clock), reply data[k]
//                 at once; otherwise as read-index
//   a node that appended a client's op answers it when that log index is
//     applied there, leader or not: with the op's outcome if the entry is
//     still that op, else with a redirect (the op can no longer commit). A
//     leader that steps down cannot say "not done": its entry may yet commit.
//
// Why lease reads can be stale: the lease runs on the leader's local clock
// for election_timeout_min - lease_margin after a majority confirmed it,
// while the followers wait election_timeout_min on their own timers before
// electing anew. A leader clock slow by more than the margin's share lets an
// isolated old leader read locally after a new leader has committed writes.
//
// Durable: the Raft term, vote, log and snapshot. Volatile: the map (rebuilt
// from the snapshot, then by re-applying committed entries), the requests
// waiting for a reply.
#include "models/raft.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "models/model_support.h"
#include "models/raft_core.h"

namespace consim {
namespace {

enum class ReadMode : std::uint8_t { Log, ReadIndex, Lease };
constexpr std::string_view kReadModes[] = {"log", "read-index", "lease"};

struct RaftConfig : ModelConfig {
  RaftOptions raft;
  ReadMode reads = ReadMode::Log;

  nlohmann::json to_json() const override {
    nlohmann::json j = nlohmann::json::object();
    write_raft_options(raft, j);
    j["reads"] = std::string(kReadModes[static_cast<int>(reads)]);
    return j;
  }
};

// A client operation as a log entry.
struct Op : Payload {
  std::uint64_t op_id = 0;
  std::uint32_t client = 0;
  OpType kind = OpType::Read;
  Key key = 0;
  Value value = 0, expected = 0;
  std::string_view type() const override { return "op"; }
  std::size_t size_bytes() const override { return 8 + 4 + 1 + 8 + 8 + 8; }
};

// The outcome of an applied write or cas, kept to answer a re-sent op.
struct Outcome {
  bool cas_matched = true;
  std::optional<Value> found;  // a cas miss: the value found
};

// The last kRecentPerClient outcomes per client: a re-sent op arrives within
// a few redirects of its first copy, so memory stays flat in run length.
constexpr std::size_t kRecentPerClient = 64;

struct Store : Payload {
  std::map<Key, Value> data;
  std::map<std::uint32_t, std::map<std::uint64_t, Outcome>> recent;
  std::string_view type() const override { return "snapshot"; }
  std::size_t size_bytes() const override {
    std::size_t n = 16 * data.size();
    for (const auto& [client, ops] : recent) n += 4 + 17 * ops.size();
    return n;
  }
};

enum TimerKind : std::uint8_t { kRaftTimers = 1 };

class RaftReplica : public Replica, private RaftStateMachine {
 public:
  RaftReplica(const RaftConfig& config, Context& ctx)
      : config_(config), ctx_(ctx), core_(ctx, *this, config.raft, all_nodes(ctx), kRaftTimers) {
    core_.start();
  }

  void on_request(const Request& request) override {
    if (!core_.is_leader()) return ctx_.reply(request, Reply::redirect(core_.leader_hint()));
    if (request.type == OpType::Read) return read(request);
    if (const Outcome* done = recent(request.client, request.op_id))
      return ctx_.reply(request, reply_of(*done));
    propose(request);
  }

  void on_message(NodeId from, const Payload& message) override { core_.on_message(from, message); }
  void on_timer(std::uint64_t tag) override {
    if (core_.owns_timer(tag)) core_.on_timer(tag);
  }
  void on_crash() override {
    waiting_.clear();  // volatile: nobody will answer these
    core_.on_crash();
  }
  void on_recover() override { core_.on_recover(); }

 private:
  static std::vector<NodeId> all_nodes(const Context& ctx) {
    std::vector<NodeId> nodes;
    for (NodeId n = 0; n < ctx.node_count(); ++n) nodes.push_back(n);
    return nodes;
  }

  void read(const Request& request) {
    if (config_.reads == ReadMode::Log) return propose(request);
    if (config_.reads == ReadMode::Lease && core_.lease_valid())
      return ctx_.reply(request, Reply::ok(value_of(request.key)));
    core_.read_index([this, request](bool confirmed) {
      if (confirmed)
        ctx_.reply(request, Reply::ok(value_of(request.key)));
      else
        ctx_.reply(request, Reply::redirect(core_.leader_hint()));
    });
  }

  void propose(const Request& request) {
    auto op = std::make_shared<Op>();
    op->op_id = request.op_id;
    op->client = request.client;
    op->kind = request.type;
    op->key = request.key;
    op->value = request.value;
    op->expected = request.expected;
    // Registered first: a group of one commits (and applies) inside propose().
    waiting_[core_.log().last_index() + 1] = request;
    core_.propose(op);
  }

  // ---- the state machine ----
  void apply(std::uint64_t index, const Payload& command) override {
    const auto& op = static_cast<const Op&>(command);
    Reply reply = execute(op);
    auto it = waiting_.find(index);
    if (it == waiting_.end()) return;
    Request request = it->second;
    waiting_.erase(it);
    if (request.op_id == op.op_id)
      ctx_.reply(request, std::move(reply));
    else  // another leader's entry replaced ours
      ctx_.reply(request, Reply::redirect(core_.leader_hint()));
  }

  void apply_noop(std::uint64_t index) override {
    auto it = waiting_.find(index);
    if (it == waiting_.end()) return;
    ctx_.reply(it->second, Reply::redirect(core_.leader_hint()));  // replaced: never commits
    waiting_.erase(it);
  }

  Reply execute(const Op& op) {
    if (op.kind == OpType::Read) return Reply::ok(value_of(op.key));
    if (const Outcome* done = recent(op.client, op.op_id)) {
      ctx_.note("duplicate", "op " + std::to_string(op.op_id) + " was applied already");
      return reply_of(*done);
    }
    Outcome outcome;
    std::optional<Value> current = value_of(op.key);
    if (op.kind == OpType::Cas && current != op.expected) {
      outcome.cas_matched = false;
      outcome.found = current;
    } else {
      store_.data[op.key] = op.value;
      ctx_.applied(op.key, op.value);
    }
    auto& mine = store_.recent[op.client];
    mine[op.op_id] = outcome;
    if (mine.size() > kRecentPerClient) mine.erase(mine.begin());
    return reply_of(outcome);
  }

  PayloadPtr snapshot() const override { return std::make_shared<Store>(store_); }

  // A snapshot from the leader covers the waiting ops at or below its index:
  // those it shows applied are answered; the others are left to time out.
  void restore(const Payload* snapshot) override {
    Store next = snapshot ? static_cast<const Store&>(*snapshot) : Store{};
    for (const auto& [key, value] : store_.data)
      if (!next.data.contains(key)) ctx_.applied(key, std::nullopt);
    for (const auto& [key, value] : next.data)
      if (value_of(key) != value) ctx_.applied(key, value);
    store_ = std::move(next);
    for (auto it = waiting_.begin();
         it != waiting_.end() && it->first <= core_.log().snapshot_index();) {
      const Outcome* done = recent(it->second.client, it->second.op_id);
      if (done && it->second.type != OpType::Read) ctx_.reply(it->second, reply_of(*done));
      it = waiting_.erase(it);
    }
  }

  const Outcome* recent(std::uint32_t client, std::uint64_t op_id) const {
    auto c = store_.recent.find(client);
    if (c == store_.recent.end()) return nullptr;
    auto it = c->second.find(op_id);
    return it == c->second.end() ? nullptr : &it->second;
  }
  static Reply reply_of(const Outcome& o) {
    return o.cas_matched ? Reply::ok() : Reply::cas_miss(o.found);
  }
  std::optional<Value> value_of(Key key) const {
    auto it = store_.data.find(key);
    if (it == store_.data.end()) return std::nullopt;
    return it->second;
  }

  const RaftConfig config_;
  Context& ctx_;
  Store store_;                               // volatile (rebuilt from the log)
  std::map<std::uint64_t, Request> waiting_;  // log index -> request; volatile
  RaftCore core_;
};

}  // namespace

std::shared_ptr<const ModelConfig> parse_raft_params(const JsonReader& params,
                                                     const ModelScenario& /*scenario*/) {
  std::vector<std::string> keys = raft_option_keys();
  keys.push_back("reads");
  params.allow_only(keys);
  auto c = std::make_shared<RaftConfig>();
  read_raft_options(params, c->raft);
  if (params.has("reads")) {
    std::string mode = params.string("reads");
    auto* it = std::find(std::begin(kReadModes), std::end(kReadModes), mode);
    if (it == std::end(kReadModes))
      params.fail_at("reads", "must be \"log\", \"read-index\" or \"lease\", got \"" + mode + "\"");
    c->reads = static_cast<ReadMode>(it - std::begin(kReadModes));
  }
  return c;
}

std::unique_ptr<Replica> make_raft(const ModelConfig& config, Context& ctx) {
  return std::make_unique<RaftReplica>(dynamic_cast<const RaftConfig&>(config), ctx);
}

}  // namespace consim
