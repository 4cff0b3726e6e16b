// `consim swarm`: many seeds, random faults, the checkers as the oracle, one
// reproducing command per failing seed (swarm.h does the runs).
//
// Output, deterministic but for the last line: one line per failing seed, in
// seed order, then the summary, then "wall time ...". Example:
//   seed 3: fails linearizable; reproduce: consim run s.json --swarm-seed 3 --checkers linearizable
//   swarm: 500 seeds (1 to 500) of s.json under eventual-async, 2 failed
//     linearizable: 2 failed, 0 unknown
//   wall time 2.41 s (-j 2)
#include <chrono>
#include <cstdio>
#include <map>

#include "analysis/checkers/checks.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/swarm.h"

namespace consim::cli {
namespace {

// A word the shell passes through unchanged, quoted only when it must be.
std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789-_./,:=+@%") == std::string::npos;
  if (plain) return word;
  std::string out = "'";
  for (char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string join(const std::vector<std::string>& names, const char* separator) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? separator : "") + names[i];
  return out;
}

std::vector<std::string> failing(const SeedResult& r) {
  std::vector<std::string> names;
  for (const auto& [name, verdict] : r.verdicts)
    if (verdict == Verdict::Invalid) names.push_back(name);
  return names;
}

std::string reproduce(const SwarmCommandOptions& o, const SeedResult& r,
                      const std::vector<std::string>& checks) {
  std::string cmd = "consim run " + shell_word(o.scenario);
  if (o.model) cmd += " --model " + shell_word(*o.model);
  cmd += " --swarm-seed " + std::to_string(r.seed);
  cmd += " --checkers " + join(checks, ",");
  return cmd;
}

void print_seed(const SwarmCommandOptions& o, const SeedResult& r,
                const std::vector<std::string>& all_checks) {
  if (!r.failed()) return;
  if (!r.error.empty()) {
    std::printf("seed %llu: run failed: %s; reproduce: %s\n",
                static_cast<unsigned long long>(r.seed), r.error.c_str(),
                reproduce(o, r, all_checks).c_str());
  } else {
    const std::vector<std::string> names = failing(r);
    std::printf("seed %llu: fails %s; reproduce: %s\n", static_cast<unsigned long long>(r.seed),
                join(names, ", ").c_str(), reproduce(o, r, names).c_str());
  }
  std::fflush(stdout);
}

void print_summary(const SwarmCommandOptions& o, const std::string& model,
                   const std::vector<SeedResult>& results, const std::vector<std::string>& checks) {
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> counts;  // failed, unknown
  std::uint64_t failed = 0, errors = 0;
  for (const SeedResult& r : results) {
    failed += r.failed() ? 1 : 0;
    errors += r.error.empty() ? 0 : 1;
    for (const auto& [name, verdict] : r.verdicts) {
      if (verdict == Verdict::Invalid) ++counts[name].first;
      if (verdict == Verdict::Unknown) ++counts[name].second;
    }
  }
  std::printf("swarm: %llu seeds (%llu to %llu) of %s under %s: %llu failed\n",
              static_cast<unsigned long long>(o.seeds),
              static_cast<unsigned long long>(o.first_seed),
              static_cast<unsigned long long>(o.first_seed + o.seeds - 1), o.scenario.c_str(),
              model.c_str(), static_cast<unsigned long long>(failed));
  for (const std::string& name : checks)
    std::printf("  %s: %llu failed, %llu unknown\n", name.c_str(),
                static_cast<unsigned long long>(counts[name].first),
                static_cast<unsigned long long>(counts[name].second));
  if (errors)
    std::printf("  runs that stopped with an error: %llu\n",
                static_cast<unsigned long long>(errors));
}

}  // namespace

int swarm_command(const SwarmCommandOptions& o) {
  const auto started = std::chrono::steady_clock::now();  // only for the "wall time" line
  const Scenario scenario = swarm_scenario(o.scenario, o.model);
  SwarmOptions options;
  options.first_seed = o.first_seed;
  options.seeds = o.seeds;
  options.jobs = o.jobs;
  options.checkers = parse_checker_list(o.checks).value_or(checker_names());  // checked in main.cc
  const std::vector<SeedResult> results = run_swarm(
      scenario, options, [&](const SeedResult& r) { print_seed(o, r, options.checkers); });
  print_summary(o, scenario.model_name, results, options.checkers);
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
  std::printf("wall time %.2f s (-j %u)\n", wall.count(), o.jobs);
  for (const SeedResult& r : results)
    if (r.failed()) return kExitInvalid;
  return kExitOk;
}

}  // namespace consim::cli
