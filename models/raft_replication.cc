// The Raft core's replication: append-entries with pipelining, snapshots
// for followers behind the compacted log, commitment by majority (entries
// of the leader's own term only), applying, and confirmed rounds for
// read-index and leases. See raft_core.h for the contract.
//
//   leader, each round (heartbeat, proposal, read):  for each follower f:
//     next[f] <= snapshot index -> install-snapshot(snapshot)
//     else append-entries(prev = next[f]-1, entries from next[f], commit, round)
//     next[f] += entries sent (optimistic; a refusal resets it)
//   follower on append-entries(term >= mine): follow the sender; refuse
//     when prev does not match (retry_from = where to resume); else drop
//     conflicting entries, append the new ones, commit = min(leader commit,
//     last new index); reply match = prev + entries, echoing the round
//   leader on append-reply: match[f], next[f]; commit the highest N with
//     term(N) = current term and a majority with match >= N; a majority
//     echoing round r confirms leadership as of r's sending
#include <algorithm>

#include "models/raft_core.h"
#include "models/raft_messages.h"

namespace consim {

using namespace raft;

std::optional<std::uint64_t> RaftCore::propose(PayloadPtr command) {
  if (!is_leader()) return std::nullopt;
  log_.append(RaftEntry{term_, std::move(command)});
  std::uint64_t index = log_.last_index();
  for (auto& [node, p] : progress_)
    if (p.next == index) send_append(node);  // followers already waiting for more get it now
  advance_commit();
  return index;
}

void RaftCore::read_index(std::function<void(bool confirmed)> done) {
  if (!is_leader()) return done(false);
  // Everything committed before now is at or below the commit index, or,
  // before this leader's no-op is committed, below that no-op.
  reads_.push_back(PendingRead{std::max(commit_, term_start_), round_ + 1, std::move(done)});
  broadcast();
}

bool RaftCore::lease_valid() const {
  return is_leader() && applied_ >= term_start_ && ctx_.local_clock() < lease_until_;
}

void RaftCore::broadcast() {
  ++round_;
  round_sent_[round_] = ctx_.local_clock();
  for (const auto& [node, p] : progress_) send_append(node);
  advance_rounds();  // a group of one confirms at once
}

void RaftCore::send_append(NodeId to) {
  Progress& p = progress_[to];
  if (p.next <= log_.snapshot_index()) {
    auto s = std::make_shared<InstallSnapshot>();
    s->term = term_;
    s->round = round_;
    s->last_index = log_.snapshot_index();
    s->last_term = log_.snapshot_term();
    s->snapshot = log_.snapshot();
    p.next = log_.snapshot_index() + 1;
    ctx_.send(to, s);
    return;
  }
  auto a = std::make_shared<AppendEntries>();
  a->term = term_;
  a->prev_index = p.next - 1;
  a->prev_term = *log_.term_at(a->prev_index);
  a->leader_commit = commit_;
  a->round = round_;
  std::uint64_t last = std::min(log_.last_index(), p.next + options_.max_entries_per_append - 1);
  for (std::uint64_t i = p.next; i <= last; ++i) a->entries.push_back(log_.at(i));
  p.next += a->entries.size();
  ctx_.send(to, a);
}

void RaftCore::handle_append(NodeId from, const Payload& m) {
  const auto& a = static_cast<const AppendEntries&>(m);
  auto reply = std::make_shared<AppendReply>();
  reply->round = a.round;
  if (a.term >= term_) {
    if (a.term > term_ || role_ != RaftRole::Follower || leader_ != from)
      become_follower(a.term, from);
    last_contact_ = ctx_.local_clock();
    reset_election_timer();
  }
  reply->term = term_;
  if (a.term < term_) return ctx_.send(from, reply);  // a stale leader learns the new term
  std::optional<std::uint64_t> prev_term = log_.term_at(a.prev_index);
  if (a.prev_index > log_.last_index()) {
    reply->retry_from = log_.last_index() + 1;
    return ctx_.send(from, reply);
  }
  if (prev_term && *prev_term != a.prev_term) {
    reply->retry_from = log_.first_of_term(a.prev_index);
    return ctx_.send(from, reply);
  }
  // prev matches, or lies inside the snapshot (committed, so it matches).
  std::uint64_t index = a.prev_index;
  for (const RaftEntry& e : a.entries) {
    ++index;
    if (index <= log_.snapshot_index()) continue;
    std::optional<std::uint64_t> t = log_.term_at(index);
    if (t && *t == e.term) continue;
    if (t) log_.truncate_after(index - 1);  // a conflict: never a committed entry
    log_.append(e);
  }
  reply->success = true;
  reply->match_index = index;
  commit_ = std::max(commit_, std::min(a.leader_commit, index));
  apply_committed();
  ctx_.send(from, reply);
}

void RaftCore::handle_snapshot(NodeId from, const Payload& m) {
  const auto& s = static_cast<const InstallSnapshot&>(m);
  auto reply = std::make_shared<AppendReply>();
  reply->round = s.round;
  if (s.term >= term_) {
    if (s.term > term_ || role_ != RaftRole::Follower || leader_ != from)
      become_follower(s.term, from);
    last_contact_ = ctx_.local_clock();
    reset_election_timer();
  }
  reply->term = term_;
  if (s.term < term_) return ctx_.send(from, reply);
  if (s.last_index > commit_) {  // else everything it holds is committed here already
    log_.install(s.last_index, s.last_term, s.snapshot);
    machine_.restore(s.snapshot.get());
    commit_ = applied_ = s.last_index;
  }
  reply->success = true;
  reply->match_index = s.last_index;
  ctx_.send(from, reply);
}

void RaftCore::handle_append_reply(NodeId from, const Payload& m) {
  const auto& r = static_cast<const AppendReply&>(m);
  if (r.term > term_) return become_follower(r.term, std::nullopt);
  if (!is_leader() || r.term != term_) return;
  Progress& p = progress_[from];
  p.round = std::max(p.round, r.round);
  if (r.success) {
    p.match = std::max(p.match, r.match_index);
    p.next = std::max(p.next, p.match + 1);
    advance_commit();
  } else if (r.retry_from > 0) {
    p.next = std::max(p.match + 1, r.retry_from);
    send_append(from);
  }
  advance_rounds();
}

void RaftCore::advance_commit() {
  if (!is_leader()) return;
  for (std::uint64_t n = log_.last_index(); n > commit_; --n) {
    if (log_.term_at(n) != term_) break;  // earlier terms commit only through this term's entries
    std::size_t count = 1;
    for (const auto& [node, p] : progress_)
      if (p.match >= n) ++count;
    if (count >= majority()) {
      commit_ = n;
      break;
    }
  }
  apply_committed();
}

void RaftCore::apply_committed() {
  while (applied_ < commit_) {
    ++applied_;
    PayloadPtr command = log_.at(applied_).command;  // a copy: apply may append
    if (command)
      machine_.apply(applied_, *command);
    else
      machine_.apply_noop(applied_);
  }
  if (applied_ - log_.snapshot_index() >= options_.snapshot_every)
    log_.compact_through(applied_, machine_.snapshot());
  serve_reads();
}

void RaftCore::advance_rounds() {
  if (!is_leader()) return;
  std::vector<std::uint64_t> rounds{round_};
  for (const auto& [node, p] : progress_) rounds.push_back(p.round);
  std::sort(rounds.begin(), rounds.end(), std::greater<>());
  std::uint64_t quorum = rounds[majority() - 1];
  if (quorum <= confirmed_round_) return;
  confirmed_round_ = quorum;
  Time sent = round_sent_.at(quorum);
  last_contact_ = sent;
  lease_until_ = sent + options_.election_timeout_min - options_.lease_margin;
  round_sent_.erase(round_sent_.begin(), round_sent_.upper_bound(quorum));
  serve_reads();
}

void RaftCore::serve_reads() {
  if (!is_leader() || reads_.empty()) return;
  std::vector<PendingRead> ready;
  auto not_ready = [&](const PendingRead& r) {
    return r.round > confirmed_round_ || applied_ < r.index;
  };
  auto split = std::stable_partition(reads_.begin(), reads_.end(), not_ready);
  std::move(split, reads_.end(), std::back_inserter(ready));
  reads_.erase(split, reads_.end());
  for (auto& r : ready) r.done(true);
}

void RaftCore::fail_reads() {
  std::vector<PendingRead> failed = std::move(reads_);
  reads_.clear();
  for (auto& r : failed) r.done(false);
}

}  // namespace consim
