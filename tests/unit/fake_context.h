// A tiny hand-driven cluster for model tests: one Replica per node, each
// with a FakeContext that records every effect (sends, timers, replies,
// applied values, notes). Nothing happens on its own: a test delivers
// in-flight messages by hand (all, by type, or by predicate), drops them,
// advances time to fire timers, and crashes or recovers nodes.
//
// Invariants: time only moves through advance(); timers fire in (due time,
// id) order; a message to a crashed node is dropped when delivered; crash()
// cancels the node's timers before calling on_crash(), as the simulator
// does. Node i is named "n<i+1>".
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/json_input.h"
#include "models/registry.h"

namespace consim::testing {

struct SentMessage {
  NodeId from = 0, to = 0;
  PayloadPtr payload;
  Time time = 0;  // when it was sent
  std::string_view type() const { return payload->type(); }
};

struct RecordedReply {
  NodeId node = 0;
  Request request;
  Reply reply;
  Time time = 0;
};

struct RecordedApply {
  NodeId node = 0;
  Key key = 0;
  std::optional<Value> value;
  Time time = 0;
  std::vector<Value> values;  // applied_versions(): every sibling (else value, if any)
};

struct RecordedNote {
  NodeId node = 0;
  std::string what, detail;
  Time time = 0;
  std::optional<Time> lasted;
};

struct RecordedRole {
  NodeId node = 0;
  std::string role;
  std::uint64_t term = 0;
  Time time = 0;
};

struct FakeTimer {
  NodeId node = 0;
  Time due = 0;
  std::uint64_t tag = 0;
};

class FakeCluster;

// The scenario a model's parser sees for `nodes` nodes named n1, n2, ...
inline ModelScenario scenario_of(std::size_t nodes) {
  ModelScenario s;
  for (std::size_t i = 1; i <= nodes; ++i) s.node_names.push_back("n" + std::to_string(i));
  return s;
}

class FakeContext : public Context {
 public:
  FakeContext(FakeCluster& cluster, NodeId self, std::uint64_t seed)
      : cluster_(cluster), self_(self), name_("n" + std::to_string(self + 1)), rng_(seed) {}
  NodeId self() const override { return self_; }
  std::size_t node_count() const override;
  std::string_view node_name(NodeId id) const override;
  Time now() const override;
  Time local_clock() const override { return now() + clock_offset; }
  void send(NodeId to, PayloadPtr message) override;
  TimerId set_timer(Time delay, std::uint64_t tag) override;
  void cancel_timer(TimerId id) override;
  void reply(const Request& request, Reply reply) override;
  Rng& rng() override { return rng_; }
  void applied(Key key, std::optional<Value> value) override;
  void applied_versions(Key key, const std::vector<Value>& values, const VersionVector* vv,
                        const DotSet* dots) override;
  void note(std::string_view what, std::string_view detail,
            std::optional<Time> lasted = std::nullopt) override;
  void role(std::string_view role, std::uint64_t term) override;

  Time clock_offset = 0;

 private:
  FakeCluster& cluster_;
  NodeId self_;
  std::string name_;
  Rng rng_;
};

class FakeCluster {
 public:
  using Filter = std::function<bool(const SentMessage&)>;

  FakeCluster(const std::string& model, std::size_t nodes,
              const nlohmann::json& params = nlohmann::json::object(), std::uint64_t seed = 1)
      : FakeCluster(model, scenario_of(nodes), params, seed) {}
  // With the scenario the parser sees (e.g. a set or counter workload).
  FakeCluster(const std::string& model, const ModelScenario& scenario,
              const nlohmann::json& params = nlohmann::json::object(), std::uint64_t seed = 1) {
    const ModelInfo* info = find_model(model);
    if (!info) throw std::invalid_argument("no model " + model);
    config_ = info->parse(JsonReader(params, "test", "$.model.params"), scenario);
    const std::size_t nodes = scenario.node_count();
    for (NodeId i = 0; i < nodes; ++i)
      contexts_.push_back(std::make_unique<FakeContext>(*this, i, seed * 1000 + i));
    for (NodeId i = 0; i < nodes; ++i) replicas_.push_back(info->make(*config_, *contexts_[i]));
    crashed_.assign(nodes, false);
  }

  std::size_t size() const { return contexts_.size(); }
  FakeContext& context(NodeId n) { return *contexts_[n]; }

  // ---- clients ----
  std::uint64_t write(NodeId at, Key key, Value value, PayloadPtr session = nullptr) {
    return request(at, OpType::Write, key, value, std::move(session));
  }
  std::uint64_t read(NodeId at, Key key, PayloadPtr session = nullptr) {
    return request(at, OpType::Read, key, 0, std::move(session));
  }
  // A set or counter update (Add, Remove: `value` is the item; Incr: the delta).
  std::uint64_t update(NodeId at, OpType type, Key key, Value value) {
    return request(at, type, key, value, nullptr);
  }
  // The reply to op, if one came.
  const RecordedReply* reply_to(std::uint64_t op) const {
    for (const auto& r : replies)
      if (r.request.op_id == op) return &r;
    return nullptr;
  }
  // The latest reply to op, if one came, and how many came.
  const RecordedReply* last_reply_to(std::uint64_t op) const {
    const RecordedReply* last = nullptr;
    for (const auto& r : replies)
      if (r.request.op_id == op) last = &r;
    return last;
  }
  std::size_t replies_to(std::uint64_t op) const {
    std::size_t n = 0;
    for (const auto& r : replies) n += r.request.op_id == op;
    return n;
  }
  // Sends the same operation again (same op id) to `at`, as a client does
  // after a redirect; each copy may get its own reply.
  void resend(NodeId at, const Request& r) {
    ++copies_[r.op_id];
    if (!crashed_[at]) replicas_[at]->on_request(r);
  }
  std::size_t copies_of(std::uint64_t op) const {
    auto it = copies_.find(op);
    return it == copies_.end() ? 0 : it->second;
  }

  // ---- network ----
  std::size_t count(const Filter& f) const {
    std::size_t n = 0;
    for (const auto& m : in_flight)
      if (f(m)) ++n;
    return n;
  }
  // Delivers the matching messages in flight now (not ones they cause).
  std::size_t deliver(const Filter& f) {
    std::vector<SentMessage> now = take(f);
    for (const auto& m : now) deliver_one(m);
    return now.size();
  }
  std::size_t drop(const Filter& f) { return take(f).size(); }
  // The oldest message in flight: deliver it, or lose it.
  void deliver_first() { deliver_one(pop_first()); }
  void drop_first() { pop_first(); }
  // Delivers until nothing is in flight.
  void deliver_all() {
    for (int guard = 0; !in_flight.empty(); ++guard) {
      if (guard > 1'000'000) throw std::runtime_error("deliver_all: messages never stop");
      deliver_first();
    }
  }

  // ---- time and faults ----
  Time now() const { return now_; }
  // Moves time forward by dt, firing every timer due on the way in order.
  void advance(Time dt) {
    Time end = now_ + dt;
    while (true) {
      auto next = timers_.end();
      for (auto it = timers_.begin(); it != timers_.end(); ++it)
        if (next == timers_.end() || it->second.due < next->second.due) next = it;
      if (next == timers_.end() || next->second.due > end) break;
      FakeTimer t = next->second;
      timers_.erase(next);
      now_ = t.due;
      replicas_[t.node]->on_timer(t.tag);
    }
    now_ = end;
  }
  std::size_t timers_of(NodeId n) const {
    std::size_t c = 0;
    for (const auto& [id, t] : timers_)
      if (t.node == n) ++c;
    return c;
  }
  void crash(NodeId n) {
    for (auto it = timers_.begin(); it != timers_.end();)
      it = it->second.node == n ? timers_.erase(it) : std::next(it);
    crashed_[n] = true;
    replicas_[n]->on_crash();
  }
  void recover(NodeId n) {
    crashed_[n] = false;
    replicas_[n]->on_recover();
  }

  // ---- records ----
  std::vector<SentMessage> in_flight;
  std::vector<SentMessage> sent;  // every send, in order
  std::vector<RecordedReply> replies;
  std::vector<RecordedApply> applies;
  std::vector<RecordedNote> notes;
  std::vector<RecordedRole> roles;  // every role() call, in order
  std::size_t duplicate_replies = 0;

  // What node n last exposed for key, per its applied() calls.
  std::optional<Value> visible(NodeId n, Key key) const {
    std::optional<Value> v;
    for (const auto& a : applies)
      if (a.node == n && a.key == key) v = a.value;
    return v;
  }
  // Every sibling node n last exposed for key.
  std::vector<Value> visible_versions(NodeId n, Key key) const {
    std::vector<Value> v;
    for (const auto& a : applies)
      if (a.node == n && a.key == key) v = a.values;
    return v;
  }
  bool ever_applied(NodeId n, Key key, Value value) const {
    for (const auto& a : applies)
      if (a.node == n && a.key == key && a.value == value) return true;
    return false;
  }

  std::vector<RecordedNote> notes_named(std::string_view what) const {
    std::vector<RecordedNote> out;
    for (const auto& n : notes)
      if (n.what == what) out.push_back(n);
    return out;
  }

 private:
  friend class FakeContext;

  std::uint64_t request(NodeId at, OpType type, Key key, Value value, PayloadPtr session) {
    Request r;
    r.op_id = next_op_++;
    r.client = 0;
    r.type = type;
    r.key = key;
    r.value = value;
    r.session = std::move(session);
    ++copies_[r.op_id];
    if (!crashed_[at]) replicas_[at]->on_request(r);
    return r.op_id;
  }
  std::vector<SentMessage> take(const Filter& f) {
    std::vector<SentMessage> taken, kept;
    for (auto& m : in_flight) (f(m) ? taken : kept).push_back(m);
    in_flight = std::move(kept);
    return taken;
  }
  SentMessage pop_first() {
    SentMessage m = in_flight.front();
    in_flight.erase(in_flight.begin());
    return m;
  }
  void deliver_one(const SentMessage& m) {
    if (!crashed_[m.to]) replicas_[m.to]->on_message(m.from, *m.payload);
  }

  std::shared_ptr<const ModelConfig> config_;
  std::vector<std::unique_ptr<FakeContext>> contexts_;
  std::vector<std::unique_ptr<Replica>> replicas_;
  std::vector<bool> crashed_;
  std::map<TimerId, FakeTimer> timers_;
  std::map<std::uint64_t, std::size_t> copies_;  // op id -> copies sent
  TimerId next_timer_ = 1;
  std::uint64_t next_op_ = 1;
  Time now_ = 0;
};

// Message filters.
inline FakeCluster::Filter of_type(std::string type) {
  return [type](const SentMessage& m) { return m.type() == type; };
}
inline FakeCluster::Filter to_node(NodeId n) {
  return [n](const SentMessage& m) { return m.to == n; };
}
inline FakeCluster::Filter from_node(NodeId n) {
  return [n](const SentMessage& m) { return m.from == n; };
}
inline FakeCluster::Filter both(FakeCluster::Filter a, FakeCluster::Filter b) {
  return [a, b](const SentMessage& m) { return a(m) && b(m); };
}
inline FakeCluster::Filter any_message() {
  return [](const SentMessage&) { return true; };
}

inline std::size_t FakeContext::node_count() const { return cluster_.size(); }
inline std::string_view FakeContext::node_name(NodeId id) const {
  return cluster_.contexts_.at(id)->name_;
}
inline Time FakeContext::now() const { return cluster_.now_; }
inline void FakeContext::send(NodeId to, PayloadPtr message) {
  SentMessage m{self_, to, std::move(message), cluster_.now_};
  cluster_.sent.push_back(m);
  cluster_.in_flight.push_back(m);
}
inline TimerId FakeContext::set_timer(Time delay, std::uint64_t tag) {
  TimerId id = cluster_.next_timer_++;
  cluster_.timers_[id] = FakeTimer{self_, cluster_.now_ + delay, tag};
  return id;
}
inline void FakeContext::cancel_timer(TimerId id) { cluster_.timers_.erase(id); }
inline void FakeContext::reply(const Request& request, Reply reply) {
  if (cluster_.replies_to(request.op_id) >= cluster_.copies_of(request.op_id))
    ++cluster_.duplicate_replies;
  cluster_.replies.push_back(RecordedReply{self_, request, std::move(reply), cluster_.now_});
}
inline void FakeContext::applied(Key key, std::optional<Value> value) {
  std::vector<Value> values;
  if (value) values.push_back(*value);
  cluster_.applies.push_back(RecordedApply{self_, key, value, cluster_.now_, values});
}
inline void FakeContext::applied_versions(Key key, const std::vector<Value>& values,
                                          const VersionVector* /*vv*/, const DotSet* /*dots*/) {
  std::optional<Value> first;
  if (!values.empty()) first = values.front();
  cluster_.applies.push_back(RecordedApply{self_, key, first, cluster_.now_, values});
}
inline void FakeContext::note(std::string_view what, std::string_view detail,
                              std::optional<Time> lasted) {
  cluster_.notes.push_back(
      RecordedNote{self_, std::string(what), std::string(detail), cluster_.now_, lasted});
}
inline void FakeContext::role(std::string_view role, std::uint64_t term) {
  cluster_.roles.push_back(RecordedRole{self_, std::string(role), term, cluster_.now_});
}

}  // namespace consim::testing
