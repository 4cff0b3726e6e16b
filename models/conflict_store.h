// A replica's keys under one conflict strategy (models/conflict.h), wired to
// its Context: client writes and reads, merges of replicated states, and the
// ground truth (applied), replies and notes they produce. Used by
// eventual-async and multi-leader; any model that accepts concurrent writes
// can hold one.
//
// What it reports:
//  - applied: with lww the single value (applied(), as every model does);
//    with version-vectors or mv-register every sibling and the key's version
//    vector (applied_versions()), whenever the siblings change.
//  - "lww-hidden" (lww): a client write older, by the writer's clock, than
//    the value already here: acknowledged, never visible.
//  - "lww-overwrote" (lww): one of this node's writes replaced here by a
//    write whose writer had not seen it. Noted once per write, at its origin,
//    so the count over a run is the number of concurrent writes lww threw
//    away (a write whose origin never hears of its winner is not counted).
//  - Replies: a read returns every sibling (Reply::siblings when more than
//    one) and, except with lww, its causal context (Reply::context and
//    context_dots) in the client's session; a write's reply carries the
//    client's context plus the write's dot, and stores it in the session, so
//    a client's next write supersedes its previous one and nothing it has
//    not seen (models/conflict.h, "Dots and contexts").
//
// Invariant: the visible state reported through applied*() is always the
// state a read would return.
#pragma once

#include <map>
#include <optional>

#include "models/conflict.h"

namespace consim {

class ConflictStore {
 public:
  ConflictStore(conflict::Strategy strategy, Context& ctx) : strategy_(strategy), ctx_(ctx) {}

  conflict::Strategy strategy() const { return strategy_; }

  // A client write (or a matched cas) of request.value, made here with
  // write counter `seq` (lww: the write's dot is (self, seq); otherwise
  // (self, the next counter of this node for the key)): the reply to send
  // and the state to replicate (lww: the version just written, even when a
  // newer one hides it here; otherwise the key's whole new state).
  struct Written {
    Reply reply;
    conflict::KeyState ship;
  };
  Written write(const Request& request, std::uint64_t seq);
  // The reply to a read: every sibling, its context in the session.
  Reply read(const Request& request) const;
  // Whether a cas expecting `expected` matches: the key holds exactly one
  // value and it is `expected` (a key never written matches nothing, as
  // eventual-async always did).
  bool cas_matches(Key key, Value expected) const;
  // The reply to a cas that does not match: the value a read finds here
  // (the first sibling), cas_matched false, and no siblings, context or
  // session token (the cas changed nothing the client could build on).
  Reply cas_miss(const Request& request) const;

  // Merges another replica's state of `key` (or one lww version).
  void merge(Key key, const conflict::KeyState& incoming);

  const conflict::KeyState& state(Key key) { return store_[key]; }

 private:
  void report(Key key, const conflict::KeyState& s);

  conflict::Strategy strategy_;
  Context& ctx_;
  std::map<Key, conflict::KeyState> store_;  // durable
  std::map<Key, std::uint64_t> dots_;        // durable: the last dot counter per key
};

}  // namespace consim
