// The naive set merges; see naive_sets.h.
#include "models/crdt/naive_sets.h"

namespace consim::crdt {

std::string items_to_string(const std::set<Item>& items) {
  std::string out = "{";
  for (const Item& item : items) {
    if (out.size() > 1) out += ",";
    out += item;
  }
  return out + "}";
}

void UnionSet::apply(const SetOp& op) {
  if (op.kind == SetOpKind::Add) {
    items_.insert(op.item);
  } else {
    items_.erase(op.item);
  }
}

void UnionSet::merge(const UnionSet& other) {
  items_.insert(other.items_.begin(), other.items_.end());
}

std::string UnionSet::to_string() const { return items_to_string(items_); }

void TwoPhaseSet::apply(const SetOp& op) {
  (op.kind == SetOpKind::Add ? adds_ : removes_).insert(op.item);
}

void TwoPhaseSet::merge(const TwoPhaseSet& other) {
  adds_.insert(other.adds_.begin(), other.adds_.end());
  removes_.insert(other.removes_.begin(), other.removes_.end());
}

bool TwoPhaseSet::contains(const Item& item) const {
  return adds_.count(item) != 0 && removes_.count(item) == 0;
}

std::set<Item> TwoPhaseSet::items() const {
  std::set<Item> out;
  for (const Item& item : adds_) {
    if (removes_.count(item) == 0) out.insert(out.end(), item);
  }
  return out;
}

std::string TwoPhaseSet::to_string() const {
  return "adds" + items_to_string(adds_) + " removes" + items_to_string(removes_);
}

}  // namespace consim::crdt
