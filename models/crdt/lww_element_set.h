// LWW-element set: each item keeps the stamp of its latest add and of its
// latest remove; the item is present when its add is later than its remove.
//
// Merge keeps, per item, the later add stamp and the later remove stamp
// (entry-wise maximum: a join). Concurrent add and remove of one item are
// decided by the stamps, i.e. by the replicas' clocks: the later one wins,
// whichever the user meant. A replica whose clock runs behind loses its
// writes to ones it never saw. Example: r0 adds "hat" at 5, r1 (which
// has seen that add) removes "hat" at 3 by its clock: its stamp steps past
// the add (next_stamp), so the remove wins; but had r1 not seen the add,
// its remove at 3 would lose to the add at 5 and "hat" would stay.
//
// Invariant: an item has at least one of its two stamps; stamps issued by
// next_stamp() never tie, and a tie (only in hand-made states) counts as
// removed.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "models/crdt/crdt_ops.h"

namespace consim::crdt {

class LwwElementSet {
 public:
  struct Entry {
    std::optional<Stamp> added;
    std::optional<Stamp> removed;
    bool operator==(const Entry&) const = default;
  };

  void apply(const SetOp& op);
  void merge(const LwwElementSet& other);
  bool contains(const Item& item) const;
  std::set<Item> items() const;
  const std::map<Item, Entry>& entries() const { return entries_; }
  // "{hat:+5@r0-6@r1}": add stamp after '+', remove stamp after '-'.
  std::string to_string() const;
  bool operator==(const LwwElementSet&) const = default;

 private:
  std::map<Item, Entry> entries_;
};

}  // namespace consim::crdt
