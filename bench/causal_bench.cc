// Times the causal checkers (CC, and CCv/CM where asked) and the session
// guarantee checkers on generated histories of growing size.
//
// The histories come from a linearizable store (every op takes effect at a
// random instant inside its interval; processes issue one op at a time), so
// every checker does its full work and finds nothing: the worst case for a
// valid history. Deterministic for a seed; only the timing reads the clock.
//
//   causal_bench [--ops 10000,100000,1000000] [--keys 1000] [--processes 16]
//                [--models cc,ccv,cm] [--seed 1] [--stale 0.0] [--cm-budget N]
// --stale p makes each read return the key's previous value with chance p,
// so the checkers also pay for building violations.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "analysis/checkers/causal.h"
#include "analysis/checkers/session.h"
#include "base/rng.h"

namespace {

struct Config {
  std::vector<std::uint64_t> ops{10'000, 100'000, 1'000'000};
  std::uint32_t keys = 1000, processes = 16;
  std::string models = "cc";
  std::uint64_t seed = 1;
  double stale = 0;  // chance that a read returns the value before the latest
  std::uint64_t cm_budget = UINT64_MAX;
};

consim::History generate(const Config& c, std::uint64_t count, consim::Rng& rng) {
  std::vector<consim::Operation> ops(count);
  std::vector<consim::Time> free_at(c.processes, 0), effect(count);
  for (std::uint64_t i = 0; i < count; ++i) {
    auto p = static_cast<std::uint32_t>(rng.below(c.processes));
    consim::Operation& op = ops[i];
    op.process = p;
    op.key = static_cast<std::uint32_t>(rng.below(c.keys));
    op.f = rng.chance(0.5) ? consim::HistOp::Write : consim::HistOp::Read;
    op.outcome = consim::Outcome::Ok;
    op.invoke_time = free_at[p] + 1 + static_cast<consim::Time>(rng.below(1000));
    op.complete_time = op.invoke_time + 1 + static_cast<consim::Time>(rng.below(2000));
    free_at[p] = op.complete_time;
    effect[i] = op.invoke_time + static_cast<consim::Time>(rng.below(static_cast<std::uint64_t>(
                                     op.complete_time - op.invoke_time)));
    if (op.f == consim::HistOp::Write) op.value = static_cast<std::int64_t>(i + 1);
  }
  std::vector<std::uint64_t> order(count);
  for (std::uint64_t i = 0; i < count; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint64_t a, std::uint64_t b) { return effect[a] < effect[b]; });
  std::vector<std::optional<std::int64_t>> state(c.keys), previous(c.keys);
  for (std::uint64_t i : order) {
    consim::Operation& op = ops[i];
    if (op.f == consim::HistOp::Write) previous[op.key] = std::exchange(state[op.key], op.value);
    if (op.f == consim::HistOp::Read) {
      op.value = rng.chance(c.stale) ? previous[op.key] : state[op.key];
    }
  }
  std::stable_sort(ops.begin(), ops.end(),
                   [](const auto& a, const auto& b) { return a.invoke_time < b.invoke_time; });
  consim::History h;
  h.file = "generated";
  for (std::uint32_t k = 0; k < c.keys; ++k) h.key_names.push_back(std::to_string(k));
  for (std::uint64_t i = 0; i < count; ++i) ops[i].invoke_line = ops[i].complete_line = i + 1;
  h.ops = std::move(ops);
  return h;
}

// Wall and CPU seconds. On a shared machine the CPU time is the steadier
// number: wall time also counts the time other processes held the core.
struct Seconds {
  double wall = 0, cpu = 0;
};

template <typename F>
Seconds seconds(F&& f) {
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  f();
  return {std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(),
          static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC};
}

void print(const char* what, const Seconds& s, std::uint64_t count) {
  std::printf(" | %-10s wall %7.3f s  cpu %7.3f s  %5.2f Mops/s", what, s.wall, s.cpu,
              static_cast<double>(count) / s.cpu / 1e6);
}

std::vector<std::uint64_t> parse_list(const std::string& text) {
  std::vector<std::uint64_t> out;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) out.push_back(std::stoull(item));
  return out;
}

Config parse(int argc, char** argv) {
  Config c;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--ops")
      c.ops = parse_list(value);
    else if (flag == "--keys")
      c.keys = static_cast<std::uint32_t>(std::stoul(value));
    else if (flag == "--processes")
      c.processes = static_cast<std::uint32_t>(std::stoul(value));
    else if (flag == "--models")
      c.models = value;
    else if (flag == "--cm-budget")
      c.cm_budget = std::stoull(value);
    else if (flag == "--stale")
      c.stale = std::stod(value);
    else if (flag == "--seed")
      c.seed = std::stoull(value);
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      std::exit(2);
    }
  }
  return c;
}

void run(const Config& c, std::uint64_t count) {
  consim::Rng rng(c.seed);
  consim::History h = generate(c, count, rng);
  consim::CausalOptions options;
  options.cc = true;
  options.ccv = c.models.find("ccv") != std::string::npos;
  options.cm = c.models.find("cm") != std::string::npos;
  options.cm_budget = c.cm_budget;
  std::vector<consim::CheckResult> causal;
  Seconds causal_s = seconds([&] { causal = consim::check_causal(h, options); });
  std::vector<consim::SessionResult> session;
  Seconds session_s = seconds([&] { session = consim::check_session_guarantees(h); });
  std::printf("%9llu ops", static_cast<unsigned long long>(count));
  print(c.models.c_str(), causal_s, count);
  print("session", session_s, count);
  std::printf(" | violations");
  for (const auto& r : causal) {
    std::printf(" %s=%llu(%s)", r.checker.c_str(),
                static_cast<unsigned long long>(r.violation_count),
                consim::verdict_name(r.verdict));
  }
  for (const auto& r : session) {
    std::printf(" %s=%llu", r.guarantee.c_str(), static_cast<unsigned long long>(r.violating));
  }
  std::printf("\n");
}

}  // namespace

int main(int argc, char** argv) {
  Config c = parse(argc, argv);
  std::printf("keys %u, processes %u, seed %llu, stale %.3f\n", c.keys, c.processes,
              static_cast<unsigned long long>(c.seed), c.stale);
  for (std::uint64_t count : c.ops) run(c, count);
  return 0;
}
