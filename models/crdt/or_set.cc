// Observed-remove set, add-wins; see or_set.h.
#include "models/crdt/or_set.h"

#include <algorithm>

namespace consim::crdt {
namespace {

// The dots of `mine` the merge keeps: held by both, or not seen by the
// other side. `other_seen(dot)` says whether the other side has seen a dot.
template <class Seen>
void keep_unremoved(std::set<Dot>& mine, const std::set<Dot>& theirs, Seen other_seen) {
  for (auto it = mine.begin(); it != mine.end();) {
    if (theirs.count(*it) == 0 && other_seen(*it)) {
      it = mine.erase(it);
    } else {
      ++it;
    }
  }
}

}  // namespace

bool OrSet::seen(const Dot& dot) const {
  auto it = context_.find(dot.replica);
  return it != context_.end() && dot.counter <= it->second;
}

void OrSet::apply(const SetOp& op) {
  if (op.kind == SetOpKind::Add) {
    const Dot dot{op.replica, ++context_[op.replica]};
    entries_[op.item] = {dot};
  } else {
    entries_.erase(op.item);
  }
}

void OrSet::merge(const OrSet& other) {
  static const std::set<Dot> kNone;
  auto other_seen = [&other](const Dot& dot) { return other.seen(dot); };
  auto self_seen = [this](const Dot& dot) { return seen(dot); };
  for (auto it = entries_.begin(); it != entries_.end();) {
    auto found = other.entries_.find(it->first);
    keep_unremoved(it->second, found == other.entries_.end() ? kNone : found->second, other_seen);
    it = it->second.empty() ? entries_.erase(it) : std::next(it);
  }
  for (const auto& [item, dots] : other.entries_) {
    for (const Dot& dot : dots) {
      if (!self_seen(dot)) entries_[item].insert(dot);
    }
  }
  for (const auto& [replica, counter] : other.context_) {
    auto& mine = context_[replica];
    mine = std::max(mine, counter);
  }
}

std::set<Item> OrSet::items() const {
  std::set<Item> out;
  for (const auto& entry : entries_) out.insert(out.end(), entry.first);
  return out;
}

std::string OrSet::to_string() const {
  std::string out = "{";
  for (const auto& [item, dots] : entries_) {
    if (out.size() > 1) out += ",";
    out += item + ":[";
    bool first = true;
    for (const Dot& dot : dots) {
      out += (first ? "r" : ",r") + std::to_string(dot.replica) + "." + std::to_string(dot.counter);
      first = false;
    }
    out += "]";
  }
  out += "} ctx{";
  bool first = true;
  for (const auto& [replica, counter] : context_) {
    out += (first ? "r" : ",r") + std::to_string(replica) + ":" + std::to_string(counter);
    first = false;
  }
  return out + "}";
}

}  // namespace consim::crdt
