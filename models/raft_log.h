// A Raft log with compaction: the entries after a snapshot, and the
// snapshot that stands for every entry up to snapshot_index().
//
// Indexes start at 1; index 0 with term 0 is the empty log's sentinel.
// Invariants: snapshot_index() <= last_index(); term_at(i) is known for
// snapshot_index() <= i <= last_index() (the snapshot's own index keeps its
// term, so an append after a compaction can still check its predecessor);
// entries below it are gone and only the snapshot speaks for them. The whole
// log (entries and snapshot) is durable: a crash keeps it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "models/model.h"

namespace consim {

// One log entry. A null command is the no-op a new leader appends to commit
// the entries of earlier terms (Raft §5.4.2). A command's size_bytes() is
// its size inside an entry, without an envelope.
struct RaftEntry {
  std::uint64_t term = 0;
  PayloadPtr command;
  std::size_t size_bytes() const { return 8 + (command ? command->size_bytes() : 0); }
};

class RaftLog {
 public:
  std::uint64_t snapshot_index() const { return snapshot_index_; }
  std::uint64_t snapshot_term() const { return snapshot_term_; }
  const PayloadPtr& snapshot() const { return snapshot_; }  // null: the initial empty state
  std::uint64_t last_index() const { return snapshot_index_ + entries_.size(); }
  std::uint64_t last_term() const { return *term_at(last_index()); }
  // The term of entry i, or nullopt when i is compacted away or beyond the end.
  std::optional<std::uint64_t> term_at(std::uint64_t i) const;
  // The entry at i, for snapshot_index() < i <= last_index().
  const RaftEntry& at(std::uint64_t i) const { return entries_[i - snapshot_index_ - 1]; }
  // The first index of the run of entries that share entry i's term
  // (at least snapshot_index() + 1): where a leader retries after a conflict.
  std::uint64_t first_of_term(std::uint64_t i) const;

  void append(RaftEntry e) { entries_.push_back(std::move(e)); }
  // Keeps entries up to i (i >= snapshot_index()), drops the rest.
  void truncate_after(std::uint64_t i);
  // The state machine after applying entries up to i (snapshot_index() < i
  // <= last_index()) is `snapshot`; entries up to i are dropped.
  void compact_through(std::uint64_t i, PayloadPtr snapshot);
  // A leader's snapshot through (index, term): keeps the entries after it if
  // this log holds entry `index` with that term, else empties the log.
  void install(std::uint64_t index, std::uint64_t term, PayloadPtr snapshot);

 private:
  std::deque<RaftEntry> entries_;
  std::uint64_t snapshot_index_ = 0;
  std::uint64_t snapshot_term_ = 0;
  PayloadPtr snapshot_;
};

}  // namespace consim
