// Observed-remove set, add-wins (the "optimized" OR-set of Bieniusa et al.
// 2012, with its causal context kept as a version vector).
//
// State: for each present item, the dots (replica, n) of the adds that put
// it there and that no remove has observed; and the causal context, for
// each replica the highest dot of it this state has seen. An add at r takes
// the next dot of r and replaces the item's dots (it has observed them). A
// remove drops the item's dots; the context still covers them, so they stay
// removed. Merge keeps a dot that both sides hold, or that one side holds
// and the other has not seen; the contexts join entry-wise.
//
// So a remove removes exactly the adds it observed: an add concurrent with
// a remove survives (add-wins), a remove of an observed add removes it, and
// nothing acknowledged is lost. Example: r0 adds "hat" (dot r0.1), sends
// its state to r1; r1 removes "hat" while r0 adds "hat" again (dot r0.2):
// after the merge "hat" is present with dot r0.2 only.
//
// Invariant: every dot in the entries is covered by the context, and a
// replica's dots are covered without gaps (states move only by whole-state
// merges and local operations, which keep this true).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "models/crdt/crdt_ops.h"

namespace consim::crdt {

// The n-th add issued by a replica.
struct Dot {
  Replica replica = 0;
  std::uint64_t counter = 0;
  auto operator<=>(const Dot&) const = default;
};

class OrSet {
 public:
  void apply(const SetOp& op);
  void merge(const OrSet& other);
  bool contains(const Item& item) const { return entries_.count(item) != 0; }
  std::set<Item> items() const;
  const std::map<Item, std::set<Dot>>& entries() const { return entries_; }
  const std::map<Replica, std::uint64_t>& context() const { return context_; }
  // "{hat:[r0.2]} ctx{r0:2,r1:0}".
  std::string to_string() const;
  bool operator==(const OrSet&) const = default;

 private:
  bool seen(const Dot& dot) const;

  std::map<Item, std::set<Dot>> entries_;
  std::map<Replica, std::uint64_t> context_;
};

}  // namespace consim::crdt
