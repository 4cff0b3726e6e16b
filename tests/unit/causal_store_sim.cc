// The simulated causal store of causal_store_sim.h.
#include "tests/unit/causal_store_sim.h"

#include <algorithm>
#include <string>

namespace consim::testing {
namespace {

struct Stamp {
  std::uint64_t lamport = 0;
  std::uint32_t replica = 0;
  bool operator<(const Stamp& o) const {
    return lamport != o.lamport ? lamport < o.lamport : replica < o.replica;
  }
};

struct Message {
  std::uint32_t to = 0, origin = 0;
  std::vector<std::uint32_t> vc;  // origin's clock after the write
  std::uint32_t key = 0;
  std::int64_t value = 0;
  Stamp stamp;
  std::uint32_t op = 0;  // the write's op index
};

struct Cell {
  std::optional<std::int64_t> value;
  Stamp stamp;
  std::uint32_t op = UINT32_MAX;  // the write that set it
};

struct Replica {
  std::vector<std::uint32_t> vc;
  std::vector<Cell> cells;
  std::uint64_t lamport = 0;
};

struct Store {
  const StoreSimConfig& config;
  Rng& rng;
  std::vector<Replica> replicas;
  std::vector<Message> pending;
  std::vector<std::vector<std::uint32_t>> process_clock;
  SimulatedHistory out;
  std::int64_t next_value = 1;

  void apply(Replica& r, std::uint32_t key, std::int64_t value, Stamp stamp, std::uint32_t op) {
    r.lamport = std::max(r.lamport, stamp.lamport);
    Cell& cell = r.cells[key];
    if (config.lww && cell.value && stamp < cell.stamp) return;
    cell = {value, stamp, op};
  }

  bool deliverable(const Message& m) const {
    const auto& vc = replicas[m.to].vc;
    for (std::uint32_t i = 0; i < vc.size(); ++i) {
      if (i == m.origin ? m.vc[i] != vc[i] + 1 : m.vc[i] > vc[i]) return false;
    }
    return true;
  }

  bool deliver_one() {
    std::vector<std::size_t> ready;
    for (std::size_t i = 0; i < pending.size(); ++i) {
      if (deliverable(pending[i])) ready.push_back(i);
    }
    if (ready.empty()) return false;
    std::size_t pick = ready[rng.below(ready.size())];
    Message m = pending[pick];
    pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(pick));
    replicas[m.to].vc[m.origin] = m.vc[m.origin];
    apply(replicas[m.to], m.key, m.value, m.stamp, m.op);
    return true;
  }

  Operation next_op(std::uint32_t p) {
    Operation op;
    auto index = static_cast<std::uint64_t>(out.history.ops.size());
    op.invoke_line = op.complete_line = index + 1;
    op.invoke_time = static_cast<Time>(10 * (index + 1));
    op.complete_time = op.invoke_time + 5;
    op.process = p;
    op.key = static_cast<std::uint32_t>(rng.below(config.keys));
    op.f = rng.chance(config.write_ratio) ? HistOp::Write : HistOp::Read;
    double roll = rng.next_double();
    op.outcome = roll < config.fail_ratio                       ? Outcome::Fail
                 : roll < config.fail_ratio + config.info_ratio ? Outcome::Info
                                                                : Outcome::Ok;
    if (op.outcome == Outcome::Info) op.complete_time = kTimeMax;
    return op;
  }

  void write(std::uint32_t p, Operation& op, std::uint32_t index) {
    op.value = next_value++;
    if (op.outcome == Outcome::Fail) return;
    std::uint32_t home = p % config.replicas;
    Replica& r = replicas[home];
    r.vc[home] += 1;
    Stamp stamp{r.lamport + 1, home};
    apply(r, op.key, *op.value, stamp, index);
    for (std::uint32_t to = 0; to < config.replicas; ++to) {
      if (to != home) pending.push_back({to, home, r.vc, op.key, *op.value, stamp, index});
    }
  }

  void read(std::uint32_t p, Operation& op) {
    const Cell& cell = replicas[p % config.replicas].cells[op.key];
    if (op.outcome != Outcome::Ok) return;  // unknown or failed: no value
    op.value = cell.value;
    if (cell.op == UINT32_MAX || out.history.ops[cell.op].outcome != Outcome::Ok) return;
    auto& mine = process_clock[p];
    const auto& theirs = out.clock[cell.op];
    for (std::size_t q = 0; q < mine.size(); ++q) mine[q] = std::max(mine[q], theirs[q]);
  }

  void step_op() {
    auto p = static_cast<std::uint32_t>(rng.below(config.processes));
    auto index = static_cast<std::uint32_t>(out.history.ops.size());
    Operation op = next_op(p);
    out.clock_before.push_back(process_clock[p]);
    if (op.f == HistOp::Write) {
      write(p, op, index);
    } else {
      read(p, op);
    }
    if (op.outcome == Outcome::Ok) process_clock[p][p] += 1;
    out.clock.push_back(process_clock[p]);
    out.history.ops.push_back(op);
  }
};

}  // namespace

SimulatedHistory simulate_causal_store(const StoreSimConfig& config, Rng& rng) {
  Store store{config, rng, {}, {}, {}, {}};
  store.replicas.assign(config.replicas, Replica{std::vector<std::uint32_t>(config.replicas, 0),
                                                 std::vector<Cell>(config.keys), 0});
  store.process_clock.assign(config.processes, std::vector<std::uint32_t>(config.processes, 0));
  store.out.history.file = "simulated";
  for (std::uint32_t k = 0; k < config.keys; ++k)
    store.out.history.key_names.push_back("k" + std::to_string(k));
  while (store.out.history.ops.size() < config.ops) {
    if (!store.pending.empty() && rng.chance(0.5) && store.deliver_one()) continue;
    store.step_op();
  }
  return store.out;
}

}  // namespace consim::testing
