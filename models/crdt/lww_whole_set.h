// Last-writer-wins on the whole set ("lww-whole"): the cart is one
// register holding a set of items, stamped by its last write.
//
// A local add or remove changes the set and stamps it (next_stamp: after
// the stamp it replaces). Merge keeps the whole state with the later stamp
// and drops the other. So two replicas that both change the cart during a
// partition keep only one side's changes after the heal: the other side's
// adds vanish and its removes come back. Example: r0 adds "hat" at 5, r1
// adds "shoe" at 7 without having seen the hat: after the merge the cart
// is {shoe}, "hat" is lost.
//
// Invariant: merge is a join because stamps are totally ordered; equal
// stamps with different items (only in hand-made states) keep the
// byte-wise larger set, so the choice never depends on merge order.
#pragma once

#include <optional>
#include <set>
#include <string>

#include "models/crdt/crdt_ops.h"

namespace consim::crdt {

class LwwWholeSet {
 public:
  void apply(const SetOp& op);
  void merge(const LwwWholeSet& other);
  bool contains(const Item& item) const { return items_.count(item) != 0; }
  const std::set<Item>& items() const { return items_; }
  const std::optional<Stamp>& stamp() const { return stamp_; }
  // "{hat}@5@r0" ("{}" with no stamp before the first write).
  std::string to_string() const;
  bool operator==(const LwwWholeSet&) const = default;

 private:
  std::set<Item> items_;
  std::optional<Stamp> stamp_;
};

}  // namespace consim::crdt
