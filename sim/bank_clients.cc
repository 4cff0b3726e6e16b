// The bank workload's side of the clients (workload.type "bank"; see
// clients.h for the client contract, docs/scenario-format.md for the keys).
//
// Each operation draws, in this order from the client's stream: the type
// (below transfer_fraction a transfer, else a balance read), the debited
// (or read) account from the key distribution, the credited account
// (uniform over the other accounts) and the amount (uniform in
// [amount_min, amount_max]); a read draws the last two as well, so the
// draws per operation are fixed. The final balance reads are the clients'
// final reads (final_reads.cc).
//
// Audits (workload.audit_every): quiescent points mid-run where every
// account is read like the final reads (3 attempts, 1 ms apart), each read
// marked "audit": <number>; sim/bank_audit.h has the phases and the
// invariant the checker relies on.
#include "sim/clients.h"
#include "sim/trace_writer.h"

namespace consim {
namespace {

constexpr int kAuditAttempts = 3;
constexpr Time kAuditGap = 1'000'000;  // 1 ms between a client's audit reads

}  // namespace

void Clients::start_audits(std::uint32_t client) {
  const BankWorkload& b = *clients_[client].workload->bank;
  if (client != 0 || !b.audit_every) return;
  audit_.next.assign(clients_.size(), 0);
  audit_.attempts.assign(clients_.size(), 0);
  audit_.parked.assign(clients_.size(), false);
  loop_.schedule_at(clients_[client].workload->start + *b.audit_every,
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
  send_request(client, std::move(req), c.leader.value_or(c.nodes[c.current]), 0, false);
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
  send_request(client, std::move(req),
               clients_[client].leader.value_or(clients_[client].nodes[clients_[client].current]),
               0, false, audit_.number);
}

void Clients::audit_read_done(std::uint32_t client, bool ok) {
  if (ok || ++audit_.attempts[client] >= kAuditAttempts) {
    audit_.next[client] += clients_.size();
    audit_.attempts[client] = 0;
  }
  loop_.schedule_after(kAuditGap, events::OperationStarts{kAuditBit | client});
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
