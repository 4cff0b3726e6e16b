// A replica's keys under one conflict strategy; see conflict_store.h.
#include "models/conflict_store.h"

#include <string>

namespace consim {

using conflict::Strategy;

namespace {

std::string describe(const conflict::Sibling& s, const Context& ctx) {
  return std::to_string(s.value) + " (" + conflict::format_dot(s.dot, ctx) + ")";
}

}  // namespace

void ConflictStore::report(Key key, const conflict::KeyState& s) {
  if (strategy_ == Strategy::Lww) {
    if (s.siblings.empty()) return ctx_.applied(key, std::nullopt);
    return ctx_.applied(key, s.siblings.front().value);
  }
  conflict::CausalContext c = s.causal_context();
  ctx_.applied_versions(key, s.values(), &c.vv, &c.dots);
}

ConflictStore::Written ConflictStore::write(const Request& request, std::uint64_t seq) {
  conflict::KeyState& s = store_[request.key];
  conflict::WriteInput w;
  w.value = request.value;
  // lww: the dot is the write seq; otherwise the next of this node's dots
  // for the key.
  const bool lww = strategy_ == Strategy::Lww;
  w.dot = conflict::Dot{ctx_.self(), lww ? seq : ++dots_[request.key]};
  w.stamp = conflict::Stamp{ctx_.local_clock(), ctx_.self(), seq};
  if (!lww)
    w.context = request.type == OpType::Cas
                    ? s.causal_context()  // a matched cas saw the single value here
                    : conflict::Session::context_of(request.session, request.key);
  Written out{Reply::ok(), {}};
  if (strategy_ == Strategy::Lww) {
    // The version as written: what its writer's replica had seen so far.
    // (Its context travels once, in the sibling: the receiver joins it.)
    out.ship.siblings = {conflict::Sibling{w.value, w.dot, s.context, w.stamp}};
  }
  conflict::MergeOutcome merged = conflict::write(strategy_, s, w);
  if (merged.visible_changed) report(request.key, s);
  if (strategy_ == Strategy::Lww) {
    if (!merged.overwritten.empty())
      ctx_.note("lww-hidden", "write of " + std::to_string(request.value) + " to key " +
                                  std::to_string(request.key) + " is older than the value here");
    return out;
  }
  out.ship = s;
  // What this client has now seen: what it had, and its own write; not
  // the other siblings here, which it has not read.
  conflict::CausalContext mine = std::move(w.context);
  conflict::add(mine, w.dot);
  conflict::reply_with_context(out.reply, request.session, request.key, std::move(mine));
  return out;
}

Reply ConflictStore::read(const Request& request) const {
  auto it = store_.find(request.key);
  if (it == store_.end() || it->second.siblings.empty()) {
    Reply r = Reply::ok();
    if (strategy_ != Strategy::Lww) r.context = VersionVector{};
    return r;
  }
  const conflict::KeyState& s = it->second;
  Reply r = Reply::ok(s.siblings.front().value);
  if (strategy_ == Strategy::Lww) return r;
  if (s.siblings.size() > 1) r.siblings = s.values();
  conflict::reply_with_context(r, request.session, request.key, s.causal_context());
  return r;
}

bool ConflictStore::cas_matches(Key key, Value expected) const {
  auto it = store_.find(key);
  if (it == store_.end() || it->second.siblings.empty()) return false;
  return it->second.siblings.size() == 1 && it->second.siblings.front().value == expected;
}

Reply ConflictStore::cas_miss(const Request& request) const {
  Reply r = read(request);
  r.siblings.clear();
  r.context.reset();
  r.context_dots.clear();
  r.session = nullptr;
  r.cas_matched = false;
  return r;
}

void ConflictStore::merge(Key key, const conflict::KeyState& incoming) {
  conflict::KeyState& s = store_[key];
  std::optional<conflict::Sibling> before;
  if (strategy_ == Strategy::Lww && !s.siblings.empty()) before = s.siblings.front();
  conflict::MergeOutcome out = conflict::merge(strategy_, s, incoming);
  if (out.visible_changed) report(key, s);
  for (const auto& dot : out.overwritten)
    if (before && dot == before->dot && dot.node == ctx_.self())
      ctx_.note("lww-overwrote", "write of " + describe(*before, ctx_) + " to key " +
                                     std::to_string(key) + " replaced by " +
                                     describe(s.siblings.front(), ctx_) +
                                     ", whose writer had not seen it");
}

}  // namespace consim
