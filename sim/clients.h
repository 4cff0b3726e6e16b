// Clients running the workload against the nodes.
//
// Each client runs as a Jepsen "process": it invokes read and write
// operations on keys drawn from the key distribution, against the node it is
// bound to, and records each completion (ok, fail) or, when no reply comes
// within the timeout, an `info`: the outcome is unknown because the
// operation may have taken effect. A model may say so itself
// (Reply::Outcome::Unknown): the same `info`, with the model's reason, and
// the client stays at its node. A timeout moves the client to its next
// node (its fallback list, round robin) for the following operations.
//
// Invariants:
//  - Session order never runs through an operation whose outcome is
//    unknown: after an `info`, the client carries on as a new process, with
//    a fresh session (Jepsen's convention). Client i starts as process i; with
//    C clients, each info adds C (so process mod C is still the client, as
//    Jepsen's process mod concurrency is its thread). Every op line also
//    carries `client`, which never changes.
//  - Every written value is unique in the run (one counter for all clients),
//    so a read can be traced to the write it saw.
//  - Each client draws only from its own stream "client/<i>": adding a
//    client never changes another client's (or the network's) draws.
//  - Each client runs its own workload (Scenario::workload_of: its group's
//    when `clients` is a list of groups, docs/scenario-format.md); the key
//    space and the value counter are shared by all, so readers of one
//    group read the keys and values the writers of another wrote.
//  - Closed loop: at most one operation outstanding per client; the next is
//    invoked a think time after the previous completes. Open loop: Poisson
//    arrivals at the rate, regardless of outstanding operations.
//  - No operation is invoked at or after the workload's stop time; at the
//    end of the run, operations still outstanding are recorded as `info`
//    with reason "run ended".
//  - A redirect (Reply::Outcome::Redirect: "not the leader") keeps the
//    operation outstanding under the same op id and timeout: the client
//    re-sends it to the hint (and remembers the hint as the leader for its
//    next operations) or, without a hint, to its next node. After
//    max_redirects() redirects of one operation, the next one is traced
//    with "to": null and the operation fails with reason "no leader found
//    after N redirects". A timeout forgets the leader.
//  - Sets and counters (workload.type, clients_data.cc): the type draw picks
//    a read, an add or remove of an item drawn from 1..items, or an incr of
//    +1 or -1; register runs draw exactly what they always drew. The bank
//    workload (bank_clients.cc) draws transfers and balance reads.
//  - Final reads (final_reads.cc), for every workload type but register:
//    from workload.final_reads on, each client issues its queue of reads one
//    after another, each traced "final": true. One queue, one path; the
//    type decides what is queued (bank: the accounts, each once, at the
//    client's own node; sets and counters: every key at every node) and
//    how a failed read is handled.
//  - Requests and replies cross the client link (scenario.client_latency,
//    drawn from the client's own stream "client/<i>/link"); a request in
//    flight still reaches its node after the client has given up on it,
//    since it may take effect. A zero-latency link hands them over at once,
//    without an event.
//
// It may touch: the loop (time, its own events), the trace, the nodes
// through RequestInbox, the scenario read-only (workload, clients, client
// link), the node names, and its own streams forked from the run's root.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/rng.h"
#include "models/model.h"
#include "sim/bank_audit.h"
#include "sim/event_loop.h"
#include "sim/key_sampler.h"
#include "sim/ports.h"
#include "sim/scenario.h"

namespace consim {

class TraceWriter;
struct OpRecord;
struct ScriptRun;  // script_clients.cc
enum class OpPhase;

class Clients final : public ReplyInbox {
 public:
  Clients(EventLoop& loop, TraceWriter& trace, RequestInbox& nodes, const Scenario& scenario,
          const NodeNames& names, const Rng& root);

  // Schedules every client's first operation.
  void start();
  // A node replies to a request (ignored if the client already gave up).
  void on_reply(NodeId node, const Request& request, Reply reply) override;
  // Records `info` for every operation still outstanding at `end`.
  void finish(Time end);

  // The loop: a client invokes its next operation; an operation times out;
  // a request or reply crosses the client link.
  void operation_starts(const events::OperationStarts& e);
  void operation_times_out(const events::OperationTimesOut& e) { timeout(e.op_id); }
  void link_arrives(const events::ClientLinkArrives& e) { arrive(e.transit_id); }

 private:
  // Final reads of keys first, first + stride, ... (count of them), each
  // at `node`, or at the client's own node (its leader, else its current
  // node) when none.
  struct FinalRun {
    std::optional<NodeId> node;
    Key first = 0;
    Key stride = 1;
    std::uint64_t count = 0;
  };
  struct Client {
    std::vector<NodeId> nodes;  // bound node first, then the fallbacks
    std::size_t current = 0;
    std::uint64_t process = 0;  // the process now running; see the invariants
    Rng rng;
    Rng link_rng;
    PayloadPtr session;
    std::optional<NodeId> leader;  // learned from a redirect's hint
    // Per key, the value this client last read or wrote: a cas expects it.
    std::map<Key, Value> last_seen;
    const WorkloadSpec* workload = nullptr;  // its group's, or the scenario's
    // The final reads (final_reads.cc) this client issues, one after
    // another: runs of keys, the next one's position, failed attempts at it.
    std::vector<FinalRun> final_runs = {};
    std::size_t final_run = 0;
    std::uint64_t final_index = 0;
    int final_attempts = 0;
    // A scripted client's place in its script (script_clients.cc); null: none.
    std::shared_ptr<ScriptRun> script{};
  };
  // A request on its way to a node, or (with a reply) back to the client.
  struct Transit {
    NodeId node = 0;
    Request request;
    std::optional<Reply> reply;
  };
  struct Outstanding {
    std::uint32_t client = 0;
    std::uint64_t process = 0;
    NodeId node = 0;
    Request request;
    int retries_left = 0;
    std::uint32_t redirects = 0;
    bool final_read = false;  // one of the final reads ("final": true)
    // A script's step (the trace's "step") and the value its write answers.
    const ScriptStep* step = nullptr;
    std::optional<Value> answers{};
    std::uint32_t audit = 0;  // a bank audit's balance read: the audit's number
  };

  void issue(std::uint32_t client, int retries_left, std::optional<OpType> retry_type = {},
             std::optional<Key> retry_key = {}, std::optional<Value> retry_value = {});
  // Sets and counters (clients_data.cc). The op a type draw picks, with its
  // item or delta in `value` (drawn from the client's stream after the key).
  OpType draw_data_op(Client& c, const WorkloadSpec& w, double type_draw, Value& value);
  // The final reads (final_reads.cc). An OperationStarts whose client has
  // kFinalReadBit set is the client's next final read.
  static constexpr std::uint32_t kFinalReadBit = 0x80000000u;
  // Queues the client's final reads (none for a register workload) and
  // schedules the first at workload.final_reads.
  void plan_final_reads(std::uint32_t client);
  // Issues the client's next final read, if any is left.
  void final_read_step(std::uint32_t client);
  // A final read ended (ok, or failed or timed out): the next read, or the
  // same again while attempts are left.
  void final_read_done(std::uint32_t client, bool ok);
  // Sends `req` to `node` as the client's current process, with its session,
  // and traces its invoke line.
  void send_request(std::uint32_t client, Request req, NodeId node, int retries_left,
                    bool final_read, std::uint32_t audit = 0);
  // The trace record of `o` (its type, key, transfer and final fields);
  // the caller adds the value and the reply's fields.
  OpRecord record(OpPhase phase, const Outstanding& o, std::string_view reason) const;
  void schedule_next(std::uint32_t client);
  void timeout(std::uint64_t op_id);
  // The outcome of `op_id` is unknown (a timeout, or an Unknown reply):
  // records info with `reason`; the client carries on as a new process, at
  // its next node if `next_node`.
  void give_up(std::uint64_t op_id, const std::string& reason, bool next_node);
  void complete(std::uint64_t op_id, const Reply& reply);
  static void remember(Client& c, const Request& request, const Reply& reply);
  // Writes the `info` line of an operation whose outcome is unknown.
  void record_info(std::uint64_t op_id, const Outstanding& o, Time t, std::string_view reason);
  // Sends over the client link: at once when it is instant, else after a
  // latency drawn from the client's link stream.
  void send_over_link(std::uint32_t client, Transit transit);
  void arrive(std::uint64_t transit_id);
  void deliver(Transit& transit);
  void redirect(Outstanding& o, const Reply& reply);
  std::uint32_t max_redirects() const { return 2 * static_cast<std::uint32_t>(node_count_) + 1; }
  // Before the client's workload stop time.
  bool accepting(std::uint32_t client) const;

  // The bank workload (bank_clients.cc): a transfer or a balance read.
  void issue_bank(std::uint32_t client);
  // Bank audits (bank_clients.cc, sim/bank_audit.h). An OperationStarts
  // whose client has kAuditBit set is an audit's event: kAuditBegins,
  // kAuditSettled, or else the client's next audit read.
  static constexpr std::uint32_t kAuditBit = 0x40000000u;
  static constexpr std::uint32_t kAuditBegins = 0x3FFFFFFFu;
  static constexpr std::uint32_t kAuditSettled = 0x3FFFFFFEu;
  // Schedules the first audit (client 0 of a bank workload with audit_every).
  void start_audits(std::uint32_t client);
  void audit_event(std::uint32_t code);
  void audit_begin();
  void audit_check_drained();
  void audit_read_step(std::uint32_t client);
  void audit_read_done(std::uint32_t client, bool ok);
  void audit_reader_done();

  // Scripted sessions (script_clients.cc): a script client's OperationStarts
  // runs its next step (or, in a mixed round, one random operation); every
  // completion of its operations, ok, fail or info, comes back to
  // script_done (`reply` null for info), which schedules the next step.
  void start_script(std::uint32_t client);
  void script_starts(std::uint32_t client);
  void script_done(const Outstanding& o, const Reply* reply);
  static void script_fields(OpRecord& rec, const Outstanding& o);

  EventLoop& loop_;
  TraceWriter& trace_;
  RequestInbox& nodes_;
  const Scenario& scenario_;
  KeySampler keys_;
  std::vector<Client> clients_;
  std::map<std::uint64_t, Outstanding> outstanding_;
  std::map<std::uint64_t, Transit> in_transit_;
  std::uint64_t next_transit_ = 0;
  bool instant_link_;
  std::size_t node_count_;
  std::uint64_t next_op_ = 0;
  std::int64_t next_value_ = 0;
  // What a scripted comment says: its value -> (the post's value, the
  // post's key). A reader that read the comment can find the post.
  std::map<Value, std::pair<Value, Key>> script_refs_;
  BankAudit audit_;
};

}  // namespace consim
