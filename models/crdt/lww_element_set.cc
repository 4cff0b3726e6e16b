// LWW-element set; see lww_element_set.h.
#include "models/crdt/lww_element_set.h"

namespace consim::crdt {
namespace {

void keep_later(std::optional<Stamp>& mine, const std::optional<Stamp>& theirs) {
  if (theirs && (!mine || *mine < *theirs)) mine = theirs;
}

bool present(const LwwElementSet::Entry& entry) {
  return entry.added && (!entry.removed || *entry.removed < *entry.added);
}

}  // namespace

void LwwElementSet::apply(const SetOp& op) {
  Entry& entry = entries_[op.item];
  std::optional<Stamp> seen = entry.added;
  keep_later(seen, entry.removed);
  const Stamp stamp = next_stamp(op.replica, op.time, seen);
  (op.kind == SetOpKind::Add ? entry.added : entry.removed) = stamp;
}

void LwwElementSet::merge(const LwwElementSet& other) {
  for (const auto& [item, theirs] : other.entries_) {
    Entry& mine = entries_[item];
    keep_later(mine.added, theirs.added);
    keep_later(mine.removed, theirs.removed);
  }
}

bool LwwElementSet::contains(const Item& item) const {
  auto it = entries_.find(item);
  return it != entries_.end() && present(it->second);
}

std::set<Item> LwwElementSet::items() const {
  std::set<Item> out;
  for (const auto& [item, entry] : entries_) {
    if (present(entry)) out.insert(out.end(), item);
  }
  return out;
}

std::string LwwElementSet::to_string() const {
  std::string out = "{";
  for (const auto& [item, entry] : entries_) {
    if (out.size() > 1) out += ",";
    out += item;
    if (entry.added) out += "+" + crdt::to_string(*entry.added);
    if (entry.removed) out += "-" + crdt::to_string(*entry.removed);
  }
  return out + "}";
}

}  // namespace consim::crdt
