// The two naive set merges the course shows, so a class sees what goes
// wrong without causal metadata. Both merges are joins (commutative,
// associative, idempotent), so replicas converge; they converge to the
// wrong cart.
//
//  - UnionSet ("naive-union"): the state is the set of items; merge is the
//    union. A remove is undone by any replica that still holds the item:
//    removed items come back (the Dynamo shopping-cart anomaly). Example:
//    r0 and r1 both hold "hat"; r1 removes it; after the merge "hat" is
//    back at both.
//  - TwoPhaseSet ("naive-tombstones", union of adds minus union of
//    removes): a remove leaves a tombstone for ever, so an item once
//    removed can never be added again: a re-add vanishes. Example: r0 adds
//    "hat", removes it, adds it again: "hat" is absent (r0 sees it gone at
//    once; so does every replica after merging).
#pragma once

#include <set>
#include <string>

#include "models/crdt/crdt_ops.h"

namespace consim::crdt {

class UnionSet {
 public:
  void apply(const SetOp& op);
  void merge(const UnionSet& other);
  bool contains(const Item& item) const { return items_.count(item) != 0; }
  const std::set<Item>& items() const { return items_; }
  // "{hat,shoe}".
  std::string to_string() const;
  bool operator==(const UnionSet&) const = default;

 private:
  std::set<Item> items_;
};

class TwoPhaseSet {
 public:
  void apply(const SetOp& op);
  void merge(const TwoPhaseSet& other);
  bool contains(const Item& item) const;
  std::set<Item> items() const;
  const std::set<Item>& adds() const { return adds_; }
  const std::set<Item>& removes() const { return removes_; }
  // "adds{hat,shoe} removes{hat}".
  std::string to_string() const;
  bool operator==(const TwoPhaseSet&) const = default;

 private:
  std::set<Item> adds_;
  std::set<Item> removes_;
};

// "{a,b}": items in their (byte-wise) order, comma-separated.
std::string items_to_string(const std::set<Item>& items);

}  // namespace consim::crdt
