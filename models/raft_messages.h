// The messages of the Raft core (models/raft_core.h), as trace types:
// request-vote, vote, append-entries (heartbeat when it carries no entry),
// append-reply, install-snapshot.
//
// Every message carries its sender's term. `round` numbers the leader's
// broadcasts in a term: a follower echoes it, and a majority echoing round
// r confirms the leader still led when it sent r (read-index, lease).
#pragma once

#include <cstdint>
#include <vector>

#include "models/model_support.h"
#include "models/raft_log.h"

namespace consim::raft {

struct RequestVote : Payload {
  std::uint64_t term = 0;
  std::uint64_t last_log_index = 0;
  std::uint64_t last_log_term = 0;
  std::string_view type() const override { return "request-vote"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 3 * 8; }
};

struct Vote : Payload {
  std::uint64_t term = 0;
  bool granted = false;
  std::string_view type() const override { return "vote"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 1; }
};

struct AppendEntries : Payload {
  std::uint64_t term = 0;
  std::uint64_t prev_index = 0;
  std::uint64_t prev_term = 0;
  std::uint64_t leader_commit = 0;
  std::uint64_t round = 0;
  std::vector<RaftEntry> entries;
  std::string_view type() const override {
    return entries.empty() ? "heartbeat" : "append-entries";
  }
  std::size_t size_bytes() const override {
    std::size_t n = kEnvelopeBytes + 5 * 8;
    for (const auto& e : entries) n += e.size_bytes();
    return n;
  }
};

// The answer to append-entries and install-snapshot. On success,
// match_index is the last index known to equal the leader's log; on a
// mismatch, retry_from is where the leader should resume.
struct AppendReply : Payload {
  std::uint64_t term = 0;
  std::uint64_t round = 0;
  bool success = false;
  std::uint64_t match_index = 0;
  std::uint64_t retry_from = 0;
  std::string_view type() const override { return "append-reply"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 4 * 8 + 1; }
};

struct InstallSnapshot : Payload {
  std::uint64_t term = 0;
  std::uint64_t round = 0;
  std::uint64_t last_index = 0;
  std::uint64_t last_term = 0;
  PayloadPtr snapshot;  // null: the empty initial state
  std::string_view type() const override { return "install-snapshot"; }
  std::size_t size_bytes() const override {
    return kEnvelopeBytes + 4 * 8 + (snapshot ? snapshot->size_bytes() : 0);
  }
};

}  // namespace consim::raft
