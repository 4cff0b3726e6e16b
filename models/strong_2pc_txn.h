// Transaction ids and the per-replica log of decided transactions, shared by
// the strong-2pc model (strong_2pc.cc) and its cooperative termination
// protocol (strong_2pc_termination.cc).
//
// Invariants: a TxnId names one transaction for the whole run (its
// coordinator and the coordinator's counter, from 1); a coordinator takes an
// id only when it votes yes itself, so every id it uses is eventually
// decided at every replica that hears of it (DecidedLog's compaction relies
// on it).
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "models/model.h"

namespace consim {

// A transaction is named by its coordinator and the coordinator's counter.
struct TxnId {
  NodeId coordinator = 0;
  std::uint64_t seq = 0;
  auto operator<=>(const TxnId&) const = default;
};
inline constexpr std::size_t kTxnIdBytes = 12;

// "txn n1.7": coordinator n1's seventh transaction, in reasons and notes.
inline std::string describe_txn(const Context& ctx, TxnId txn) {
  return "txn " + std::string(ctx.node_name(txn.coordinator)) + "." + std::to_string(txn.seq);
}

// The transactions decided at one replica, in memory that does not grow with
// the run: every id a coordinator uses is eventually decided everywhere, so
// per coordinator a watermark (every seq up to it decided) plus the few
// decided seqs above it say the same as the full set. Example: decided 1, 2,
// 4 -> watermark 2, above {4}; deciding 3 -> watermark 4, above {}.
class DecidedLog {
 public:
  bool contains(const TxnId& txn) const {
    auto it = by_coordinator_.find(txn.coordinator);
    if (it == by_coordinator_.end()) return false;
    return txn.seq <= it->second.watermark || it->second.above.contains(txn.seq);
  }
  // False if it was already there.
  bool insert(const TxnId& txn) {
    if (contains(txn)) return false;
    Decided& d = by_coordinator_[txn.coordinator];
    d.above.insert(txn.seq);
    while (!d.above.empty() && *d.above.begin() == d.watermark + 1) {
      ++d.watermark;
      d.above.erase(d.above.begin());
    }
    return true;
  }

 private:
  struct Decided {
    std::uint64_t watermark = 0;  // seqs start at 1
    std::set<std::uint64_t> above;
  };
  std::map<NodeId, Decided> by_coordinator_;
};

}  // namespace consim
