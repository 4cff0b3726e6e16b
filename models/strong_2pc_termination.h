// Cooperative termination for strong-2pc: a participant left in doubt asks
// the other replicas what became of the transaction, instead of waiting for
// a coordinator that may never come back.
//
//   participant P, txn T (not P's own) prepared for termination_timeout:
//     send decision-query(T) to every other replica; ask again after twice
//     the wait (capped at retry_max) while T stays in doubt
//   replica Q on decision-query(T, k) from P:
//     Q has decided T          -> answer its outcome (commit or abort)
//     Q holds T prepared       -> answer in-doubt (Q knows no more than P)
//     Q never voted yes on T   -> abort T here (a late prepare of T is now
//                                 refused, so T can never commit) and answer abort
//   P on an answer commit/abort: resolve T as the coordinator would have
//   P on an answer in-doubt: keep waiting; ask again later
//
// Why it is safe: the coordinator commits only with every replica's yes, so
// a replica that never voted yes can abort, and an outcome one replica knows
// is the coordinator's. When every replica voted yes and none has heard the
// decision (the coordinator decided, then crashed or was cut off), nobody
// knows: everyone stays in doubt until the coordinator is back, the
// blocking that cooperative termination cannot remove (only a three-phase
// or consensus-based commit can).
//
// Invariants: at most one asking entry per key (a replica holds at most one
// prepared txn per key); timers are volatile (on_crash forgets them,
// on_recover restarts asking for every txn still in doubt); the coordinator
// of T never asks about T (it decides T itself).
#pragma once

#include <cstdint>
#include <map>

#include "models/model.h"
#include "models/strong_2pc_txn.h"

namespace consim {

// What a replica knows of a transaction a peer asks about.
enum class TxnFate : std::uint8_t { Committed, Aborted, InDoubt };

class CooperativeTermination {
 public:
  // The replica's side: what it knows, and what it does with an outcome.
  class Host {
   public:
    virtual ~Host() = default;
    // The fate of `txn` (on `key`) here, for `asker`; a replica that never
    // voted yes on it aborts it first and answers Aborted.
    virtual TxnFate fate_for_peer(TxnId txn, Key key, NodeId asker) = 0;
    // `from` knows the outcome of `txn`: resolve it here if still in doubt.
    virtual void learned(TxnId txn, Key key, bool commit, NodeId from) = 0;
  };

  // Timers carry timer_tag(timer_kind, ...). `first_wait` is the time in
  // doubt before the first question, `max_wait` caps the backoff.
  CooperativeTermination(Context& ctx, Host& host, Time first_wait, Time max_wait,
                         std::uint8_t timer_kind);

  // `txn` has been prepared here on `key` since `since` (now, or before a
  // crash this node recovers from): start the clock, unless the txn is ours.
  void entered_doubt(TxnId txn, Key key, Time since);
  // The txn prepared on `key` is decided here: stop asking.
  void left_doubt(Key key);

  // Handles a decision-query or decision-answer; false for other messages.
  bool on_message(NodeId from, const Payload& message);
  bool owns_timer(std::uint64_t tag) const;
  void on_timer(std::uint64_t tag);

  // Forget every question (the simulator has cancelled the timers); on
  // recovery the replica calls entered_doubt again for what is still prepared.
  void on_crash();

 private:
  struct Asking {
    TxnId txn;
    Key key = 0;
    Time wait = 0;  // the wait before the next question
    TimerId timer = 0;
    Time since = 0;  // prepared here at
  };
  void ask(Asking& a);

  Context& ctx_;
  Host& host_;
  Time first_wait_, max_wait_;
  std::uint8_t timer_kind_;
  std::uint64_t next_serial_ = 1;
  std::map<std::uint64_t, Asking> asking_;  // by serial (the timer's id); volatile
  std::map<Key, std::uint64_t> serial_of_;  // key -> serial
};

}  // namespace consim
