// The workload: clients invoking operations and recording outcomes; see clients.h.
#include "sim/clients.h"

#include <variant>

#include "sim/trace_writer.h"

namespace consim {
namespace {

bool is_zero(const Distribution& d) {
  const auto* c = std::get_if<dist::Constant>(&d.kind());
  return c && c->value == 0;
}

Time exponential_gap(Rng& rng, double rate_per_second) {
  Distribution gap(dist::Exponential{1e9 / rate_per_second});
  return gap.sample_time(rng);
}

}  // namespace

Clients::Clients(EventLoop& loop, TraceWriter& trace, RequestInbox& nodes, const Scenario& scenario,
                 const NodeNames& names, const Rng& root)
    : loop_(loop),
      trace_(trace),
      nodes_(nodes),
      scenario_(scenario),
      keys_(scenario.workload.keys, scenario.workload.key_distribution,
            scenario.workload.zipf_exponent),
      instant_link_(is_zero(scenario.client_latency)),
      node_count_(names.size()) {
  const Scenario& s = scenario;
  for (std::size_t i = 0; i < s.clients.size(); ++i) {
    std::string name = "client/" + std::to_string(i);
    Client c{{}, 0, i, root.fork(name), root.fork(name + "/link"), nullptr, {}, {}};
    c.workload = &s.workload_of(i);
    c.nodes.push_back(*names.find(s.clients[i].node));
    for (const auto& f : s.clients[i].fallback) c.nodes.push_back(*names.find(f));
    clients_.push_back(std::move(c));
  }
}

bool Clients::accepting(std::uint32_t client) const {
  const WorkloadSpec& w = *clients_[client].workload;
  Time stop = w.stop.value_or(scenario_.duration);
  return loop_.now() < stop;
}

void Clients::start() {
  for (std::uint32_t i = 0; i < clients_.size(); ++i) {
    const WorkloadSpec& w = *clients_[i].workload;
    Time first = w.loop == LoopKind::Closed ? w.think_time.sample_time(clients_[i].rng)
                                            : exponential_gap(clients_[i].rng, w.rate_per_second);
    loop_.schedule_at(w.start + first, events::OperationStarts{i});
    plan_final_reads(i);
    if (w.bank) start_audits(i);
    if (w.script) start_script(i);
  }
}

void Clients::schedule_next(std::uint32_t client) {
  const WorkloadSpec& w = *clients_[client].workload;
  Rng& rng = clients_[client].rng;
  Time gap = w.loop == LoopKind::Closed ? w.think_time.sample_time(rng)
                                        : exponential_gap(rng, w.rate_per_second);
  loop_.schedule_after(gap, events::OperationStarts{client});
}

void Clients::operation_starts(const events::OperationStarts& e) {
  if (e.client & kFinalReadBit) return final_read_step(e.client & ~kFinalReadBit);
  if (e.client & kAuditBit) return audit_event(e.client & ~kAuditBit);
  const std::uint32_t client = e.client;
  if (!accepting(client)) return;
  const WorkloadSpec& w = *clients_[client].workload;
  if (clients_[client].script) return script_starts(client);
  issue(client, w.retries);
  if (w.loop == LoopKind::Open) schedule_next(client);
}

void Clients::issue(std::uint32_t client, int retries_left, std::optional<OpType> retry_type,
                    std::optional<Key> retry_key, std::optional<Value> retry_value) {
  Client& c = clients_[client];
  const WorkloadSpec& w = *c.workload;
  if (w.bank) return issue_bank(client);
  Request req;
  req.op_id = ++next_op_;
  req.client = client;
  // Fixed draw order: operation type, then key. One draw picks the type:
  // below read_fraction a read, then cas_fraction a cas, the rest writes.
  double type_draw = c.rng.next_double();
  Key key = keys_.sample(c.rng);
  bool writes_over = w.writes_stop && loop_.now() >= *w.writes_stop;
  Value data_value = 0;  // sets and counters: the item or delta (drawn after the key)
  OpType drawn = w.type != WorkloadType::Register ? draw_data_op(c, w, type_draw, data_value)
                 : type_draw < w.read_fraction    ? OpType::Read
                 : type_draw < w.read_fraction + w.cas_fraction ? OpType::Cas
                                                                : OpType::Write;
  req.type = retry_type.value_or(writes_over ? OpType::Read : drawn);
  req.key = retry_key.value_or(key);
  if (w.type != WorkloadType::Register)
    req.value = retry_value.value_or(data_value);
  else if (req.type != OpType::Read)
    req.value = ++next_value_;
  if (req.type == OpType::Cas) {  // expect what this client last saw (0: nothing, never matches)
    auto seen = c.last_seen.find(req.key);
    req.expected = seen == c.last_seen.end() ? 0 : seen->second;
  }
  send_request(client, std::move(req), c.leader.value_or(c.nodes[c.current]), retries_left, false);
}

void Clients::send_request(std::uint32_t client, Request req, NodeId node, int retries_left,
                           bool final_read, std::uint32_t audit) {
  Client& c = clients_[client];
  req.session = c.session;
  Outstanding o{client, c.process, node, req, retries_left};
  o.final_read = final_read;
  o.audit = audit;
  OpRecord rec = record(OpPhase::Invoke, o, {});
  if (req.type != OpType::Read && req.type != OpType::Transfer) rec.value = req.value;
  trace_.op(loop_.now(), rec);
  outstanding_[req.op_id] = std::move(o);
  loop_.schedule_after(c.workload->timeout, events::OperationTimesOut{req.op_id});
  send_over_link(client, Transit{node, req, std::nullopt});
}

OpRecord Clients::record(OpPhase phase, const Outstanding& o, std::string_view reason) const {
  const Request& r = o.request;
  OpRecord rec{phase, r.op_id, o.process, o.client, r.type, r.key, std::nullopt, o.node, reason};
  rec.expected = r.expected;
  rec.to_key = r.to_key;
  rec.amount = r.amount;
  rec.final_read = o.final_read;
  rec.audit = o.audit;
  script_fields(rec, o);
  return rec;
}

void Clients::send_over_link(std::uint32_t client, Transit transit) {
  if (instant_link_) {
    deliver(transit);
    return;
  }
  Time delay = scenario_.client_latency.sample_time(clients_[client].link_rng);
  std::uint64_t id = ++next_transit_;
  in_transit_.emplace(id, std::move(transit));
  loop_.schedule_after(delay, events::ClientLinkArrives{id});
}

void Clients::arrive(std::uint64_t transit_id) {
  auto it = in_transit_.find(transit_id);
  Transit transit = std::move(it->second);
  in_transit_.erase(it);
  deliver(transit);
}

void Clients::deliver(Transit& transit) {
  if (!transit.reply) {
    nodes_.request(transit.node, transit.request);
    return;
  }
  auto it = outstanding_.find(transit.request.op_id);
  if (it == outstanding_.end() || it->second.node != transit.node) return;  // gave up already
  if (transit.reply->outcome == Reply::Outcome::Redirect) {
    redirect(it->second, *transit.reply);
    return;
  }
  if (transit.reply->outcome == Reply::Outcome::Unknown) {
    give_up(transit.request.op_id, transit.reply->reason, false);
    return;
  }
  if (transit.reply->session) clients_[it->second.client].session = transit.reply->session;
  complete(transit.request.op_id, *transit.reply);
}

void Clients::redirect(Outstanding& o, const Reply& reply) {
  if (++o.redirects > max_redirects()) {
    trace_.redirect(loop_.now(), o.request.op_id, o.node, reply.leader_hint, std::nullopt);
    complete(o.request.op_id, Reply::fail("no leader found after " +
                                          std::to_string(max_redirects()) + " redirects"));
    return;
  }
  Client& c = clients_[o.client];
  NodeId to;
  if (reply.leader_hint && *reply.leader_hint < node_count_) {
    to = *reply.leader_hint;
    c.leader = to;
  } else {
    c.leader.reset();
    c.current = (c.current + 1) % c.nodes.size();
    to = c.nodes[c.current];
  }
  trace_.redirect(loop_.now(), o.request.op_id, o.node, reply.leader_hint, to);
  o.node = to;
  send_over_link(o.client, Transit{to, o.request, std::nullopt});
}

void Clients::on_reply(NodeId node, const Request& request, Reply reply) {
  send_over_link(request.client, Transit{node, request, std::move(reply)});
}

void Clients::complete(std::uint64_t op_id, const Reply& reply) {
  auto it = outstanding_.find(op_id);
  Outstanding o = std::move(it->second);
  outstanding_.erase(it);
  bool ok = reply.outcome == Reply::Outcome::Ok;
  bool is_read = o.request.type == OpType::Read;
  OpRecord rec = record(ok ? OpPhase::Ok : OpPhase::Fail, o, reply.reason);
  if (!is_read && o.request.type != OpType::Transfer) rec.value = o.request.value;
  if (is_read && ok) rec.value = reply.value;
  rec.cas_matched = reply.cas_matched;
  if (ok && is_read) rec.siblings = &reply.siblings;
  rec.dots = &reply.context_dots;
  if (ok && reply.context) rec.vv = &*reply.context;
  // Sets: a read's items, whether a remove found its item (docs/crdts.md).
  if (ok && is_read && scenario_.workload.type == WorkloadType::Set) rec.items = &reply.items;
  if (ok && o.request.type == OpType::Remove) rec.held = reply.held;
  trace_.op(loop_.now(), rec);
  if (o.final_read) return final_read_done(o.client, ok);
  if (o.audit) return audit_read_done(o.client, ok);
  if (audit_.phase == BankAudit::Phase::Draining) audit_check_drained();
  Client& c = clients_[o.client];
  if (ok && c.workload->cas_fraction > 0) remember(c, o.request, reply);
  if (c.script) return script_done(o, &reply);
  if (!ok && o.retries_left > 0 && accepting(o.client)) {
    issue(o.client, o.retries_left - 1, o.request.type, o.request.key, o.request.value);
    return;
  }
  if (c.workload->loop == LoopKind::Closed) schedule_next(o.client);
}

// What an ok reply tells the client about the key's value, for its next cas.
void Clients::remember(Client& c, const Request& request, const Reply& reply) {
  std::optional<Value> now;
  if (request.type == OpType::Read || !reply.cas_matched)
    now = reply.value;
  else
    now = request.value;
  if (now)
    c.last_seen[request.key] = *now;
  else
    c.last_seen.erase(request.key);
}

void Clients::timeout(std::uint64_t op_id) {
  if (outstanding_.contains(op_id)) give_up(op_id, "timeout", true);
}

void Clients::give_up(std::uint64_t op_id, const std::string& reason, bool next_node) {
  auto it = outstanding_.find(op_id);
  Outstanding o = std::move(it->second);
  outstanding_.erase(it);
  Client& c = clients_[o.client];
  if (next_node) {
    c.current = (c.current + 1) % c.nodes.size();
    c.leader.reset();
  }
  record_info(op_id, o, loop_.now(), reason);
  // The outcome is unknown: carry on as a new process, with a fresh session.
  c.process += clients_.size();
  c.session = nullptr;
  if (o.final_read) return final_read_done(o.client, false);
  if (o.audit) return audit_read_done(o.client, false);
  if (audit_.phase == BankAudit::Phase::Draining) audit_check_drained();
  if (c.script) return script_done(o, nullptr);
  if (c.workload->loop == LoopKind::Closed) schedule_next(o.client);
}

void Clients::record_info(std::uint64_t op_id, const Outstanding& o, Time t,
                          std::string_view reason) {
  OpRecord rec = record(OpPhase::Info, o, reason);
  rec.op = op_id;
  const OpType type = o.request.type;
  if (type != OpType::Read && type != OpType::Transfer) rec.value = o.request.value;
  trace_.op(t, rec);
}

void Clients::finish(Time end) {
  for (const auto& [op_id, o] : outstanding_) record_info(op_id, o, end, "run ended");
  outstanding_.clear();
}

}  // namespace consim
