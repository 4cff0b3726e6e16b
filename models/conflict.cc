// Conflict resolution strategies: writes, merges and the client session of
// causal contexts; see conflict.h.
#include "models/conflict.h"

#include <algorithm>

#include "base/json_input.h"

namespace consim::conflict {
namespace {

void sort_siblings(std::vector<Sibling>& s) {
  std::sort(s.begin(), s.end(), [](const Sibling& a, const Sibling& b) { return a.dot < b.dot; });
}

std::vector<Dot> dots_of(const KeyState& s) {
  std::vector<Dot> out;
  for (const auto& x : s.siblings) out.push_back(x.dot);
  return out;
}

// Last-writer-wins: keep the larger stamp; report the loser if the winner's
// writer had not seen it.
MergeOutcome lww_merge(KeyState& state, const KeyState& incoming) {
  MergeOutcome out;
  join_into(state.context, incoming.context);
  for (const auto& s : incoming.siblings) add(state.context, s.dot);
  if (incoming.siblings.empty()) return out;
  const Sibling& in = incoming.siblings.front();
  if (state.siblings.empty()) {
    state.siblings = {in};
    out.visible_changed = true;
    return out;
  }
  Sibling& here = state.siblings.front();
  if (here.dot == in.dot) return out;
  if (in.stamp > here.stamp) {
    if (!covers(in.context, here.dot)) out.overwritten.push_back(here.dot);
    here = in;
    out.visible_changed = true;
  } else if (!covers(here.context, in.dot)) {
    out.overwritten.push_back(in.dot);
  }
  return out;
}

// Dotted version vectors: the union of both sides' siblings minus every
// sibling some other sibling's context covers.
MergeOutcome dvv_merge(KeyState& state, const KeyState& incoming) {
  std::vector<Sibling> all = state.siblings;
  for (const auto& s : incoming.siblings) {
    bool dup =
        std::any_of(all.begin(), all.end(), [&](const Sibling& x) { return x.dot == s.dot; });
    if (!dup) all.push_back(s);
  }
  std::vector<Sibling> kept;
  for (const auto& s : all) {
    bool obsolete = std::any_of(all.begin(), all.end(),
                                [&](const Sibling& y) { return covers(y.context, s.dot); });
    if (!obsolete) kept.push_back(s);
  }
  sort_siblings(kept);
  MergeOutcome out;
  std::vector<Dot> before = dots_of(state);
  state.siblings = std::move(kept);
  out.visible_changed = dots_of(state) != before;
  return out;
}

// The multi-value register's join: keep an entry both sides hold, or one
// side holds and the other has not seen.
MergeOutcome mv_merge(KeyState& state, const KeyState& incoming) {
  std::vector<Sibling> kept;
  auto holds = [](const KeyState& k, const Dot& d) {
    return std::any_of(k.siblings.begin(), k.siblings.end(),
                       [&](const Sibling& x) { return x.dot == d; });
  };
  for (const auto& s : state.siblings)
    if (holds(incoming, s.dot) || !covers(incoming.context, s.dot)) kept.push_back(s);
  for (const auto& s : incoming.siblings)
    if (!holds(state, s.dot) && !covers(state.context, s.dot)) kept.push_back(s);
  sort_siblings(kept);
  MergeOutcome out;
  std::vector<Dot> before = dots_of(state);
  state.siblings = std::move(kept);
  join_into(state.context, incoming.context);
  out.visible_changed = dots_of(state) != before;
  return out;
}

}  // namespace

std::string_view strategy_name(Strategy s) { return strategy_names()[static_cast<std::size_t>(s)]; }

const std::vector<std::string>& strategy_names() {
  static const std::vector<std::string> names = {"lww", "version-vectors", "mv-register"};
  return names;
}

Strategy strategy_param(const JsonReader& params) {
  if (!params.has("conflict")) return Strategy::Lww;
  std::string name = params.string("conflict");
  const auto& names = strategy_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<Strategy>(i);
  params.fail_at("conflict",
                 "unknown conflict strategy \"" + name + "\"; strategies: " + join_names(names));
}

bool covers(const VersionVector& vv, const Dot& d) {
  auto it = vv.find(d.node);
  return it != vv.end() && it->second >= d.counter;
}

void add(VersionVector& vv, const Dot& d) {
  if (d.counter == 0) return;
  auto& c = vv[d.node];
  c = std::max(c, d.counter);
}

void join_into(VersionVector& into, const VersionVector& other) {
  for (const auto& [node, count] : other) add(into, Dot{node, count});
}

std::vector<Value> KeyState::values() const {
  std::vector<Value> out;
  for (const auto& s : siblings) out.push_back(s.value);
  return out;
}

VersionVector KeyState::version_vector() const {
  VersionVector vv = context;
  for (const auto& s : siblings) {
    join_into(vv, s.context);
    add(vv, s.dot);
  }
  return vv;
}

MergeOutcome write(Strategy s, KeyState& state, const WriteInput& w) {
  if (s == Strategy::Lww) {
    KeyState mine;
    mine.siblings = {Sibling{w.value, w.dot, state.context, w.stamp}};
    MergeOutcome out = lww_merge(state, mine);
    return out;
  }
  // Supersede exactly the siblings the client's context covers.
  std::erase_if(state.siblings, [&](const Sibling& x) { return covers(w.context, x.dot); });
  Sibling mine{w.value, w.dot, {}, {}};
  if (s == Strategy::VersionVectors) {
    mine.context = w.context;
  } else {
    join_into(state.context, w.context);
    add(state.context, w.dot);
  }
  state.siblings.push_back(std::move(mine));
  sort_siblings(state.siblings);
  return MergeOutcome{true, {}};
}

MergeOutcome merge(Strategy s, KeyState& state, const KeyState& incoming) {
  switch (s) {
    case Strategy::Lww:
      return lww_merge(state, incoming);
    case Strategy::VersionVectors:
      return dvv_merge(state, incoming);
    case Strategy::MvRegister:
      return mv_merge(state, incoming);
  }
  return {};
}

KeyState join(Strategy s, KeyState a, const KeyState& b) {
  merge(s, a, b);
  return a;
}

std::size_t wire_bytes(Strategy s, const KeyState& state) {
  std::size_t bytes = 12 * state.context.size();
  for (const auto& x : state.siblings) {
    bytes += 8 + 12;
    if (s == Strategy::Lww) bytes += 16;
    if (s == Strategy::VersionVectors) bytes += 12 * x.context.size();
  }
  return bytes;
}

VersionVector Session::context_of(const PayloadPtr& token, Key key) {
  auto* s = dynamic_cast<const Session*>(token.get());
  if (!s) return {};
  auto it = s->contexts_.find(key);
  return it == s->contexts_.end() ? VersionVector{} : it->second;
}

PayloadPtr Session::with(const PayloadPtr& token, Key key, VersionVector vv) {
  auto next = std::make_shared<Session>();
  if (auto* s = dynamic_cast<const Session*>(token.get())) next->contexts_ = s->contexts_;
  next->contexts_[key] = std::move(vv);
  return next;
}

std::string format_vv(const VersionVector& vv, const Context& ctx) {
  std::string out = "{";
  for (const auto& [node, count] : vv) {
    if (out.size() > 1) out += ", ";
    out += std::string(ctx.node_name(node)) + ":" + std::to_string(count);
  }
  return out + "}";
}

std::string format_dot(const Dot& d, const Context& ctx) {
  return std::string(ctx.node_name(d.node)) + ":" + std::to_string(d.counter);
}

}  // namespace consim::conflict
