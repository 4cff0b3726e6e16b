// The bank workload's audits (workload.audit_every; bank_clients.cc runs
// them): quiescent points in the middle of a run at which every account's
// balance is read, so the bank checker can judge money at each of them and
// not only at the end.
//
// An audit, every audit_every from the workload's start while before its
// stop:
//   Draining  clients start no new operation (a closed-loop client parks,
//             an open-loop client skips its arrivals) until none of theirs
//             is outstanding (each ended ok, fail or info);
//   Settling  audit_settle passes, for the store's own work in flight
//             (2PC decisions being resent, sagas compensating) to finish;
//   Reading   client i reads accounts i, i + C, ... (C clients), 1 ms
//             apart, each read marked "audit": <number> in the trace, a
//             failed one tried again up to 3 times (like the final reads);
//   then the parked clients resume after a think time.
// Invariant: every transfer invoked before an audit's first read completed
// (ok, fail or info) before it, and none is invoked until its last read
// ended; so the checker splits the history at the audit's reads.
#pragma once

#include <cstdint>
#include <vector>

namespace consim {

struct BankAudit {
  enum class Phase : std::uint8_t { Off, Draining, Settling, Reading };
  Phase phase = Phase::Off;
  std::uint32_t number = 0;         // the current (or last) audit, from 1
  std::uint32_t readers = 0;        // clients still reading in this audit
  std::vector<std::uint64_t> next;  // per client: the account it reads next
  std::vector<int> attempts;        // per client: failed attempts at it
  std::vector<bool> parked;         // per client: waiting for the audit to end
  bool paused() const { return phase != Phase::Off; }
};

}  // namespace consim
