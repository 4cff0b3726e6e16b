// A tiny causally consistent store, simulated step by step, that produces
// histories for the causal checkers' property tests.
//
// Replicas exchange writes tagged with vector clocks and apply a remote
// write only once every write it causally depends on is applied (causal
// delivery). Each process talks to replica (process mod replicas) and reads
// its local copy. With `lww` a replica keeps the write with the highest
// (Lamport time, replica) stamp, which makes the store convergent (CCv);
// without it a replica keeps the last write it applied (causal memory, CM,
// as in Ahamad et al.'s algorithm). Either way the histories are CC.
// Invariants: deterministic for a seed; values are unique; ops are
// sequential in time (op k occupies [10k, 10k+5]); info ops have
// complete_time kTimeMax.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/trace/history.h"
#include "base/rng.h"

namespace consim::testing {

struct StoreSimConfig {
  std::uint32_t replicas = 3;
  std::uint32_t processes = 4;
  std::uint32_t keys = 3;
  std::uint32_t ops = 60;
  bool lww = false;
  double write_ratio = 0.5;
  double info_ratio = 0.05;  // of ops whose outcome is unknown (writes still apply)
  double fail_ratio = 0.05;  // of ops that fail (writes do not apply)
};

struct SimulatedHistory {
  History history;
  // For each op: its process's clock over ok ops after the op (entry q = how
  // many ok ops of process q causally precede or are the op, through session
  // order and ok reads of ok writes). Lets a test pick a causally
  // overwritten value without running the checker.
  std::vector<std::vector<std::uint32_t>> clock;
  // For each op: its process's clock just before it.
  std::vector<std::vector<std::uint32_t>> clock_before;
};

SimulatedHistory simulate_causal_store(const StoreSimConfig& config, Rng& rng);

}  // namespace consim::testing
