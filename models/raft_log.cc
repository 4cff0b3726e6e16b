// A Raft log with compaction; see raft_log.h.
#include "models/raft_log.h"

namespace consim {

std::optional<std::uint64_t> RaftLog::term_at(std::uint64_t i) const {
  if (i == snapshot_index_) return snapshot_term_;
  if (i < snapshot_index_ || i > last_index()) return std::nullopt;
  return at(i).term;
}

std::uint64_t RaftLog::first_of_term(std::uint64_t i) const {
  std::uint64_t term = at(i).term;
  while (i > snapshot_index_ + 1 && at(i - 1).term == term) --i;
  return i;
}

void RaftLog::truncate_after(std::uint64_t i) {
  while (last_index() > i) entries_.pop_back();
}

void RaftLog::compact_through(std::uint64_t i, PayloadPtr snapshot) {
  snapshot_term_ = at(i).term;
  entries_.erase(entries_.begin(), entries_.begin() + static_cast<long>(i - snapshot_index_));
  snapshot_index_ = i;
  snapshot_ = std::move(snapshot);
}

void RaftLog::install(std::uint64_t index, std::uint64_t term, PayloadPtr snapshot) {
  if (term_at(index) == term) {  // index > snapshot_index_: the caller checks
    entries_.erase(entries_.begin(), entries_.begin() + static_cast<long>(index - snapshot_index_));
  } else {
    entries_.clear();
  }
  snapshot_index_ = index;
  snapshot_term_ = term;
  snapshot_ = std::move(snapshot);
}

}  // namespace consim
