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
// (Its contexts are ghost version vectors: `vv` only.)
MergeOutcome lww_merge(KeyState& state, const KeyState& incoming) {
  MergeOutcome out;
  join_into(state.context.vv, incoming.context.vv);
  for (const auto& s : incoming.siblings) {
    join_into(state.context.vv, s.context.vv);  // what its writer had seen, we have now seen
    add(state.context.vv, s.dot);
  }
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
    if (!covers(in.context.vv, here.dot)) out.overwritten.push_back(here.dot);
    here = in;
    out.visible_changed = true;
  } else if (!covers(here.context.vv, in.dot)) {
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

namespace {

// Restores compactness: drops the dots the vector covers and moves into it
// those next after it. One pass: the dots are in (node, counter) order, so
// a run n1:3, n1:4 after vv[n1] = 2 is absorbed whole.
void compact(CausalContext& c) {
  for (auto it = c.dots.begin(); it != c.dots.end();) {
    const auto [node, counter] = *it;
    auto v = c.vv.find(node);
    const std::uint64_t have = v == c.vv.end() ? 0 : v->second;
    if (counter > have + 1) {
      ++it;
      continue;
    }
    if (counter == have + 1) c.vv[node] = counter;
    it = c.dots.erase(it);
  }
}

}  // namespace

bool covers(const CausalContext& c, const Dot& d) {
  return covers(c.vv, d) || c.dots.contains({d.node, d.counter});
}

void add(CausalContext& c, const Dot& d) {
  if (d.counter == 0) return;
  std::uint64_t& have = c.vv[d.node];
  if (d.counter <= have) return;
  if (d.counter > have + 1) {  // past a gap: kept apart
    if (have == 0) c.vv.erase(d.node);  // entries are never zero
    c.dots.insert({d.node, d.counter});
    return;
  }
  have = d.counter;                 // the usual case: next after the vector
  if (!c.dots.empty()) compact(c);  // it may close a gap before later dots
}

void join_into(CausalContext& into, const CausalContext& other) {
  join_into(into.vv, other.vv);
  into.dots.insert(other.dots.begin(), other.dots.end());
  if (!into.dots.empty()) compact(into);
}

std::string format_context(const CausalContext& c, const Context& ctx) {
  std::string out = format_vv(c.vv, ctx);
  for (const auto& [node, counter] : c.dots) out += " + " + format_dot(Dot{node, counter}, ctx);
  return out;
}

std::vector<Value> KeyState::values() const {
  std::vector<Value> out;
  for (const auto& s : siblings) out.push_back(s.value);
  return out;
}

CausalContext KeyState::causal_context() const {
  CausalContext c = context;
  for (const auto& s : siblings) {
    join_into(c, s.context);
    add(c, s.dot);
  }
  return c;
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
  // lww's contexts are ghost metadata (conflict.h): not on the wire.
  auto context_bytes = [](const CausalContext& c) { return 12 * (c.vv.size() + c.dots.size()); };
  std::size_t bytes = s == Strategy::Lww ? 0 : context_bytes(state.context);
  for (const auto& x : state.siblings) {
    bytes += 8 + 12;
    if (s == Strategy::Lww) bytes += 16;
    if (s == Strategy::VersionVectors) bytes += context_bytes(x.context);
  }
  return bytes;
}

CausalContext Session::context_of(const PayloadPtr& token, Key key) {
  auto* s = dynamic_cast<const Session*>(token.get());
  if (!s) return {};
  auto it = s->contexts_.find(key);
  return it == s->contexts_.end() ? CausalContext{} : *it->second;
}

PayloadPtr Session::with(const PayloadPtr& token, Key key, CausalContext c) {
  auto next = std::make_shared<Session>();
  if (auto* s = dynamic_cast<const Session*>(token.get())) next->contexts_ = s->contexts_;
  next->contexts_[key] = std::make_shared<const CausalContext>(std::move(c));
  return next;
}

void reply_with_context(Reply& reply, const PayloadPtr& token, Key key, CausalContext c) {
  reply.context = c.vv;
  reply.context_dots = c.dots;
  reply.session = Session::with(token, key, std::move(c));
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
