// The bank workload's side of the clients (workload.type "bank"; see
// clients.h for the client contract, docs/scenario-format.md for the keys).
//
// Each operation draws, in this order from the client's stream: the type
// (below transfer_fraction a transfer, else a balance read), the debited
// (or read) account from the key distribution, the credited account
// (uniform over the other accounts) and the amount (uniform in
// [amount_min, amount_max]); a read draws the last two as well, so the
// draws per operation are fixed.
//
// Final reads: from final_reads on, client i reads accounts i, i + C,
// i + 2C, ... (C clients) one after another, 1 ms apart, each marked
// "final" in the trace; a read that fails or times out is tried again, at
// most kFinalAttempts times, then the client moves on (the checker reports
// accounts without a final balance).
//
// Audits (workload.audit_every): quiescent points mid-run where every
// account is read the same way, each read marked "audit": <number>;
// sim/bank_audit.h has the phases and the invariant the checker relies on.
#include "sim/clients.h"
#include "sim/trace_writer.h"

namespace consim {
namespace {

constexpr int kFinalAttempts = 3;
constexpr Time kFinalGap = 1'000'000;  // 1 ms between a client's final reads

}  // namespace

void Clients::start_bank(std::uint32_t client) {
  Client& c = clients_[client];
  c.final_next = client;
  const BankWorkload& b = *c.workload->bank;
  loop_.schedule_at(b.final_reads, events::OperationStarts{client | kFinalReadBit});
  if (client != 0 || !b.audit_every) return;
  audit_.next.assign(clients_.size(), 0);
  audit_.attempts.assign(clients_.size(), 0);
  audit_.parked.assign(clients_.size(), false);
  loop_.schedule_at(c.workload->start + *b.audit_every,
                    events::OperationStarts{kAuditBit | kAuditBegins});
}

void Clients::issue_bank(std::uint32_t client) {
  Client& c = clients_[client];
  const BankWorkload& b = *c.workload->bank;
  if (audit_.paused()) {  // an audit: start nothing until it ends
    if (c.workload->loop == LoopKind::Closed) audit_.parked[client] = true;
    return;
  }
  Request req;
  req.op_id = ++next_op_;
  req.client = client;
  const bool transfer = c.rng.next_double() < b.transfer_fraction;
  req.key = keys_.sample(c.rng);
  const Key other = (req.key + 1 + c.rng.below(b.accounts - 1)) % b.accounts;
  const auto span = static_cast<std::uint64_t>(b.amount_max - b.amount_min) + 1;
  const std::int64_t amount = b.amount_min + static_cast<std::int64_t>(c.rng.below(span));
  req.type = transfer ? OpType::Transfer : OpType::Read;
  if (transfer) {
    req.to_key = other;
    req.amount = amount;
  }
  send_request(client, std::move(req), false);
}

void Clients::send_request(std::uint32_t client, Request req, bool final_read,
                           std::uint32_t audit) {
  Client& c = clients_[client];
  req.session = c.session;
  NodeId node = c.leader.value_or(c.nodes[c.current]);
  OpRecord rec{OpPhase::Invoke, req.op_id,    c.process, client, false,
               req.key,         std::nullopt, node,      {}};
  Outstanding o{client, c.process, node, req, 0};
  o.final_read = final_read;
  o.audit = audit;
  bank_fields(rec, o);
  trace_.op(loop_.now(), rec);
  outstanding_[req.op_id] = std::move(o);
  loop_.schedule_after(c.workload->timeout, events::OperationTimesOut{req.op_id});
  send_over_link(client, Transit{node, req, std::nullopt});
}

void Clients::bank_fields(OpRecord& rec, const Outstanding& o) {
  rec.final_read = o.final_read;
  rec.audit = o.audit;
  if (o.request.type != OpType::Transfer) return;
  rec.is_transfer = true;
  rec.to_key = o.request.to_key;
  rec.amount = o.request.amount;
}

void Clients::final_read_step(std::uint32_t client) {
  Client& c = clients_[client];
  if (c.final_next >= c.workload->bank->accounts) return;
  Request req;
  req.op_id = ++next_op_;
  req.client = client;
  req.type = OpType::Read;
  req.key = c.final_next;
  send_request(client, std::move(req), true);
}

void Clients::final_read_done(std::uint32_t client, bool ok) {
  Client& c = clients_[client];
  if (ok || ++c.final_attempts >= kFinalAttempts) {
    c.final_next += clients_.size();
    c.final_attempts = 0;
  }
  loop_.schedule_after(kFinalGap, events::OperationStarts{client | kFinalReadBit});
}

// --- audits ---

void Clients::audit_event(std::uint32_t code) {
  if (code == kAuditBegins) return audit_begin();
  if (code != kAuditSettled) return audit_read_step(code);
  audit_.phase = BankAudit::Phase::Reading;
  audit_.readers = static_cast<std::uint32_t>(clients_.size());
  for (std::uint32_t i = 0; i < clients_.size(); ++i) {
    audit_.next[i] = i;
    audit_.attempts[i] = 0;
    loop_.schedule_after(0, events::OperationStarts{kAuditBit | i});
  }
}

void Clients::audit_begin() {
  const WorkloadSpec& w = *clients_[0].workload;
  const Time stop = w.stop.value_or(scenario_.duration);
  if (loop_.now() + *w.bank->audit_every < stop)
    loop_.schedule_after(*w.bank->audit_every, events::OperationStarts{kAuditBit | kAuditBegins});
  if (audit_.paused() || loop_.now() >= stop) return;  // the last audit has not ended: skip
  ++audit_.number;
  audit_.phase = BankAudit::Phase::Draining;
  audit_check_drained();
}

// Draining ends when no client operation but final reads is outstanding.
void Clients::audit_check_drained() {
  for (const auto& [id, o] : outstanding_)
    if (!o.final_read) return;
  audit_.phase = BankAudit::Phase::Settling;
  loop_.schedule_after(clients_[0].workload->bank->audit_settle,
                       events::OperationStarts{kAuditBit | kAuditSettled});
}

void Clients::audit_read_step(std::uint32_t client) {
  if (audit_.next[client] >= clients_[client].workload->bank->accounts) return audit_reader_done();
  Request req;
  req.op_id = ++next_op_;
  req.client = client;
  req.type = OpType::Read;
  req.key = audit_.next[client];
  send_request(client, std::move(req), false, audit_.number);
}

void Clients::audit_read_done(std::uint32_t client, bool ok) {
  if (ok || ++audit_.attempts[client] >= kFinalAttempts) {
    audit_.next[client] += clients_.size();
    audit_.attempts[client] = 0;
  }
  loop_.schedule_after(kFinalGap, events::OperationStarts{kAuditBit | client});
}

// The last reader is done: the audit ends and parked clients resume.
void Clients::audit_reader_done() {
  if (--audit_.readers > 0) return;
  audit_.phase = BankAudit::Phase::Off;
  for (std::uint32_t i = 0; i < clients_.size(); ++i) {
    if (!audit_.parked[i]) continue;
    audit_.parked[i] = false;
    if (accepting(i)) schedule_next(i);
  }
}

}  // namespace consim
