// A replica's sets or counters; see crdt_store.h.
#include "models/crdt_store.h"

#include <array>
#include <charconv>
#include <nlohmann/json.hpp>

#include "base/json_input.h"
#include "models/model_support.h"

namespace consim {
namespace {

constexpr std::array<std::string_view, 3> kCounterModes = {"g-counter", "pn-counter",
                                                           "lww-register"};

std::string type_word(WorkloadType t) { return std::string(workload_type_name(t)); }

std::string value_text(const CrdtValue& v) {
  return std::visit([](const auto& s) { return s.to_string(); }, v);
}

Value item_value(const crdt::Item& item) {
  Value v = 0;
  std::from_chars(item.data(), item.data() + item.size(), v);
  return v;
}

}  // namespace

void LwwCounter::apply(std::int64_t delta, crdt::Replica replica, std::int64_t now) {
  value += delta;
  stamp = crdt::next_stamp(replica, now, stamp);
}

void LwwCounter::merge(const LwwCounter& other) {
  if (other.stamp && (!stamp || *stamp < *other.stamp)) *this = other;
}

std::string LwwCounter::to_string() const {
  return std::to_string(value) + (stamp ? "@" + crdt::to_string(*stamp) : "");
}

std::span<const std::string_view> counter_mode_names() { return kCounterModes; }

void CrdtParams::to_json(nlohmann::json& params) const {
  if (type == WorkloadType::Set) params["set"] = std::string(crdt::set_kind_info(set).name);
  if (type == WorkloadType::Counter)
    params["counter"] = std::string(kCounterModes[static_cast<std::size_t>(counter)]);
}

CrdtParams crdt_params(const JsonReader& params, WorkloadType type) {
  CrdtParams p;
  p.type = type == WorkloadType::Bank ? WorkloadType::Register : type;  // no CRDTs for accounts
  for (WorkloadType other : {WorkloadType::Set, WorkloadType::Counter}) {
    std::string key = type_word(other);
    if (other != type && params.has(key))
      params.fail_at(
          key, "the workload's keys are " + type_word(type) + "s ($.workload.type), so \"" + key +
                   "\" does not apply; remove it or set workload.type to \"" + key + "\"");
  }
  if (type == WorkloadType::Set && params.has("set")) {
    std::string name = params.string("set");
    auto kind = crdt::find_set_kind(name);
    if (!kind) {
      std::vector<std::string> valid;
      for (const auto& k : crdt::set_kinds()) valid.emplace_back(k.name);
      params.fail_at("set", "unknown set \"" + name + "\"; valid: " + join_names(valid));
    }
    p.set = *kind;
  }
  if (type == WorkloadType::Counter && params.has("counter")) {
    std::string name = params.string("counter");
    std::size_t i = 0;
    while (i < kCounterModes.size() && kCounterModes[i] != name) ++i;
    if (i == kCounterModes.size())
      params.fail_at("counter", "unknown counter \"" + name + "\"; valid: " +
                                    join_names({kCounterModes.begin(), kCounterModes.end()}));
    p.counter = static_cast<CounterMode>(i);
  }
  return p;
}

CrdtParams crdt_params(const JsonReader& params, const ModelScenario& scenario) {
  CrdtParams p = crdt_params(params, scenario.workload);
  if (p.type == WorkloadType::Counter && p.counter == CounterMode::G && scenario.decrements)
    params.fail_at("counter",
                   "a g-counter cannot be decremented, and the workload decrements "
                   "(decrement_fraction above 0): use \"pn-counter\"");
  return p;
}

CrdtValue CrdtStore::empty() const {
  if (params_.type == WorkloadType::Set) return crdt::AnySet(params_.set);
  if (params_.counter == CounterMode::LwwRegister) return LwwCounter{};
  return crdt::AnyCounter(params_.counter == CounterMode::G ? crdt::CounterKind::G
                                                            : crdt::CounterKind::PN);
}

const CrdtValue& CrdtStore::state(Key key) {
  auto it = store_.find(key);
  if (it == store_.end()) it = store_.emplace(key, empty()).first;
  return it->second;
}

Reply CrdtStore::read(Key key) { return read_reply(state(key)); }

Reply CrdtStore::read_reply(const CrdtValue& v) {
  if (const auto* set = std::get_if<crdt::AnySet>(&v)) {
    Reply r = Reply::ok();
    for (const crdt::Item& item : set->items()) r.items.push_back(item_value(item));
    return r;
  }
  if (const auto* c = std::get_if<crdt::AnyCounter>(&v)) return Reply::ok(c->value());
  return Reply::ok(std::get<LwwCounter>(v).value);
}

Reply CrdtStore::apply(const Request& request, bool& changed) {
  changed = false;
  if (request.type == OpType::Read) return read(request.key);
  const bool set_op = request.type == OpType::Add || request.type == OpType::Remove;
  const bool counter_op = request.type == OpType::Incr;
  if ((params_.type == WorkloadType::Set && !set_op) ||
      (params_.type == WorkloadType::Counter && !counter_op))
    return Reply::fail(std::string(op_name(request.type)) + " is not an operation on a " +
                       type_word(params_.type));
  state(request.key);
  CrdtValue& v = store_.at(request.key);
  const auto self = static_cast<crdt::Replica>(ctx_.self());
  if (auto* set = std::get_if<crdt::AnySet>(&v)) {
    crdt::SetOp op;
    op.kind = request.type == OpType::Add ? crdt::SetOpKind::Add : crdt::SetOpKind::Remove;
    op.replica = self;
    op.item = std::to_string(request.value);
    op.time = ctx_.local_clock();
    Reply r = Reply::ok();
    r.held = set->contains(op.item);
    set->apply(op);
    changed = true;
    return r;
  }
  if (auto* c = std::get_if<crdt::AnyCounter>(&v)) {
    if (request.value < 0 && !crdt::counter_kind_info(c->kind()).decrements)
      return Reply::fail("a g-counter cannot be decremented");
    c->apply(crdt::CounterOp{self, request.value});
  } else {
    std::get<LwwCounter>(v).apply(request.value, self, ctx_.local_clock());
  }
  changed = true;
  return Reply::ok();
}

bool CrdtStore::merge(Key key, const CrdtValue& incoming) {
  state(key);
  CrdtValue& v = store_.at(key);
  CrdtValue before = v;
  join(v, incoming);
  return !(before == v);
}

void CrdtStore::join(CrdtValue& into, const CrdtValue& incoming) {
  std::visit(
      [&incoming](auto& mine) {
        using T = std::decay_t<decltype(mine)>;
        mine.merge(std::get<T>(incoming));
      },
      into);
}

bool CrdtStore::reads_first(const Request& request) const {
  if (request.type == OpType::Remove) return true;
  return request.type == OpType::Incr && params_.type == WorkloadType::Counter &&
         params_.counter == CounterMode::LwwRegister;
}

std::uint64_t CrdtStore::digest(Key key) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a over the deterministic spelling
  for (unsigned char c : value_text(state(key))) h = (h ^ c) * 1099511628211ull;
  return h == 0 ? 1 : h;
}

std::size_t CrdtStore::wire_bytes(const CrdtValue& value) { return value_text(value).size(); }

std::size_t CrdtReplicate::size_bytes() const { return kEnvelopeBytes + 8 + 8 + bytes; }

std::shared_ptr<CrdtReplicate> crdt_replicate(CrdtStore& store, Key key, std::uint64_t seq) {
  auto msg = std::make_shared<CrdtReplicate>();
  msg->key = key;
  msg->seq = seq;
  msg->value = std::make_shared<const CrdtValue>(store.state(key));
  msg->bytes = CrdtStore::wire_bytes(*msg->value);
  return msg;
}

}  // namespace consim
