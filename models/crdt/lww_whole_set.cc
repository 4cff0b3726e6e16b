// Last-writer-wins on the whole set; see lww_whole_set.h.
#include "models/crdt/lww_whole_set.h"

#include "models/crdt/naive_sets.h"

namespace consim::crdt {

void LwwWholeSet::apply(const SetOp& op) {
  if (op.kind == SetOpKind::Add) {
    items_.insert(op.item);
  } else {
    items_.erase(op.item);
  }
  stamp_ = next_stamp(op.replica, op.time, stamp_);
}

void LwwWholeSet::merge(const LwwWholeSet& other) {
  if (!other.stamp_) return;
  const bool later = !stamp_ || *stamp_ < *other.stamp_;
  const bool tie_larger = stamp_ == other.stamp_ && items_ < other.items_;
  if (later || tie_larger) {
    items_ = other.items_;
    stamp_ = other.stamp_;
  }
}

std::string LwwWholeSet::to_string() const {
  std::string out = items_to_string(items_);
  if (stamp_) out += "@" + crdt::to_string(*stamp_);
  return out;
}

}  // namespace consim::crdt
