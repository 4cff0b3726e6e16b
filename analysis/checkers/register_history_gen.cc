// Random linearizable register histories; see register_history_gen.h.
//
// Times are generated on a doubled grid: invokes and completions at even
// ticks, linearization points at odd ticks, so a point is strictly inside
// its window. Events at the same time get lines in a random order, which
// never contradicts the points (an op that completes at time T has its
// point before 2T; one invoked at T has its point after).
#include "analysis/checkers/register_history_gen.h"

#include <algorithm>
#include <numeric>

namespace consim {
namespace {

struct Planned {
  Operation op;
  bool takes_effect = false;
  bool completes = true;
  Time point = 0;      // linearization point on the doubled grid
  Time line_time = 0;  // when its completion line is written (if it completes)
};

Time uniform(Rng& rng, Time lo, Time hi) {  // inclusive
  return lo + static_cast<Time>(rng.below(static_cast<std::uint64_t>(hi - lo + 1)));
}

// Decides one op's outcome, window and point.
Planned plan_op(const RegisterHistorySpec& spec, Rng& rng, std::int64_t process, Time at,
                std::int64_t& next_value) {
  Planned p;
  Operation& op = p.op;
  op.process = process;
  op.key = static_cast<std::uint32_t>(rng.below(spec.keys));
  op.f = rng.chance(spec.write_fraction) ? HistOp::Write : HistOp::Read;
  if (spec.cas_fraction > 0 && rng.chance(spec.cas_fraction)) op.f = HistOp::Cas;
  if (op.f != HistOp::Read) op.value = next_value++;
  if (spec.value_range > 0 && op.value)
    op.value = 1 + static_cast<std::int64_t>(rng.below(spec.value_range));
  if (op.f == HistOp::Cas) {  // compare with a recent value, so it sometimes succeeds
    op.expected =
        spec.value_range > 0
            ? 1 + static_cast<std::int64_t>(rng.below(spec.value_range))
            : std::max<std::int64_t>(1, *op.value - 1 - static_cast<std::int64_t>(rng.below(3)));
  }
  op.invoke_time = at;
  Time end = at + uniform(rng, 1, spec.max_duration);
  p.line_time = end;
  double r = rng.next_double();
  if (r < spec.fail_fraction) {
    op.outcome = Outcome::Fail;
    op.complete_time = end;
  } else if (r < spec.fail_fraction + spec.info_fraction) {
    op.outcome = Outcome::Info;
    p.takes_effect = rng.chance(0.5);
    p.completes = rng.chance(0.5);
    op.complete_time = kTimeMax;  // unknown outcome: no end
    // Its point may fall after its info line: the request was still in flight.
    p.point = 2 * at + 1 + 2 * uniform(rng, 0, 3 * spec.max_duration);
  } else {
    op.outcome = Outcome::Ok;
    op.complete_time = end;
    p.takes_effect = true;
    p.point = 2 * at + 1 + 2 * uniform(rng, 0, end - at - 1);
  }
  return p;
}

// Reads that took effect return the register's value at their point; a cas
// that took effect compares with it (an ok cas records whether it matched).
void fill_reads(std::vector<Planned>& plan, std::uint32_t keys) {
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < plan.size(); ++i)
    if (plan[i].takes_effect) order.push_back(i);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return plan[a].point < plan[b].point; });
  std::vector<std::optional<std::int64_t>> value(keys);
  for (std::size_t i : order) {
    Operation& op = plan[i].op;
    if (op.f == HistOp::Write) {
      value[op.key] = op.value;
    } else if (op.f == HistOp::Cas) {
      const bool equal = value[op.key] == op.expected;
      if (op.outcome == Outcome::Ok) op.cas_failed = !equal;
      if (equal) value[op.key] = op.value;
    } else if (op.outcome == Outcome::Ok)
      op.value = value[op.key];
  }
}

// Assigns lines: all invokes and completions by time, ties in random order.
void assign_lines(std::vector<Planned>& plan, Rng& rng) {
  struct Line {
    Time time;
    std::uint64_t tiebreak;
    std::size_t op;
    bool completion;
  };
  std::vector<Line> lines;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    lines.push_back({plan[i].op.invoke_time, rng.next_u64(), i, false});
    if (plan[i].completes) lines.push_back({plan[i].line_time, rng.next_u64(), i, true});
  }
  std::sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
    return a.time != b.time ? a.time < b.time : a.tiebreak < b.tiebreak;
  });
  for (std::size_t i = 0; i < lines.size(); ++i) {
    Operation& op = plan[lines[i].op].op;
    (lines[i].completion ? op.complete_line : op.invoke_line) = i + 1;
  }
}

}  // namespace

History generate_register_history(const RegisterHistorySpec& spec, Rng& rng) {
  // Client slot i runs as process i; when its op never completes, the slot
  // carries on as a fresh process (i + processes, ...), as in Jepsen.
  std::vector<Time> ready(spec.processes);
  std::vector<std::int64_t> process(spec.processes);
  for (std::size_t i = 0; i < spec.processes; ++i) {
    ready[i] = uniform(rng, 0, spec.max_think);
    process[i] = static_cast<std::int64_t>(i);
  }
  std::vector<Planned> plan;
  std::int64_t next_value = 1;
  while (plan.size() < spec.ops) {
    std::size_t p = 0;
    for (std::size_t i = 1; i < spec.processes; ++i)
      if (ready[i] < ready[p]) p = i;
    Planned op = plan_op(spec, rng, process[p], ready[p], next_value);
    if (!op.completes) process[p] += spec.processes;
    ready[p] = op.line_time + uniform(rng, 0, spec.max_think);
    plan.push_back(op);
  }
  fill_reads(plan, spec.keys);
  assign_lines(plan, rng);
  History h;
  for (std::uint32_t k = 0; k < spec.keys; ++k) h.key_names.push_back(std::to_string(k));
  std::vector<std::size_t> by_invoke(plan.size());
  std::iota(by_invoke.begin(), by_invoke.end(), 0);
  std::sort(by_invoke.begin(), by_invoke.end(), [&](std::size_t a, std::size_t b) {
    return plan[a].op.invoke_line < plan[b].op.invoke_line;
  });
  for (std::size_t i : by_invoke) h.ops.push_back(plan[i].op);
  h.file = "generated";
  return h;
}

}  // namespace consim
