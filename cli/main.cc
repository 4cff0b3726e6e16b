// consim's command line: parses arguments with CLI11 and dispatches to the
// subcommands in commands.h. Bad input is reported here, and only here, as
// "consim: <file>: <JSON path>: <problem>" with a distinct exit code.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <string>

#include "analysis/checkers/checks.h"
#include "base/json_input.h"
#include "base/output_file.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/scenario_sets.h"
#include "cli/swarm.h"

namespace {

using namespace consim::cli;

struct Parsed {
  std::function<int()> action;
};

// Names from the checker registry (checks.h): a comma list, "all" or "none";
// a bad name is a usage error listing the valid ones.
CLI::Validator checker_names_validator() {
  return CLI::Validator([](std::string& value) { return consim::checker_list_error(value); },
                        "CHECKERS");
}

// A subcommand whose callback makes `command` the action main runs once the
// whole command line is parsed.
CLI::App* subcommand(CLI::App& app, Parsed& p, const std::string& name,
                     std::function<int()> command, const std::string& about) {
  auto* cmd = app.add_subcommand(name, about);
  cmd->callback([&p, command = std::move(command)] { p.action = command; });
  return cmd;
}

// --set [MODEL:]PATH=VALUE (scenario_sets.h), repeatable; a malformed one
// is a usage error.
CLI::Option* add_sets(CLI::App* cmd, std::vector<std::string>& sets) {
  return cmd
      ->add_option("--set", sets,
                   "set a scenario field before the run: PATH=VALUE, PATH a JSON path "
                   "($.network.loss), VALUE JSON; MODEL:PATH=VALUE for that model's run only "
                   "(repeatable; docs/cli.md)")
      ->allow_extra_args(false)
      ->check(CLI::Validator([](std::string& text) { return scenario_set_error(text); },
                             "[MODEL:]PATH=VALUE"));
}

std::string checkers_help(const char* what) {
  std::string names;
  for (const auto& c : consim::checker_registry()) names += std::string(c.name) + ",";
  return std::string(what) + ": " + names + " all or none (default: all)";
}

// A decimal integer in [min, 2^64-1], checked as written: CLI11 would read
// "-1" as 2^64-1 and cap 2^64 at 2^64-1, silently.
CLI::Validator unsigned_integer(std::uint64_t min) {
  return CLI::Validator(
      [min](std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
            stop != end)
          return "expected an integer from " + std::to_string(min) +
                 " to 18446744073709551615, got \"" + text + "\"";
        if (error == std::errc::result_out_of_range)
          return text + " is too large: at most 18446744073709551615";
        if (value < min) return "must be at least " + std::to_string(min) + ", got " + text;
        return {};
      },
      "UINT");
}

void add_run(CLI::App& app, RunOptions& o, Parsed& p) {
  auto* cmd = subcommand(
      app, p, "run", [&o] { return run_command(o); },
      "Run a scenario: write trace.jsonl and report.json, print a summary");
  cmd->add_option("scenario", o.scenario, "scenario file (JSON)")->required();
  auto* seed =
      cmd->add_option("--seed", o.seed, "override the scenario's seed")->check(unsigned_integer(0));
  auto* random =
      cmd->add_flag("--random-seed", o.random_seed,
                    "draw a fresh seed (printed, with the command that replays the run)");
  cmd->add_option("--model", o.model, "run under this store model instead of the scenario's");
  cmd->add_option("--out", o.out, "output folder (default: out/<scenario name>)");
  cmd->add_option("--trace-level", o.trace_level, "ops | state | full (default: the scenario's)")
      ->check(CLI::IsMember({"ops", "state", "full"}));
  cmd->add_option("--checkers", o.checkers, checkers_help("checkers for report.json"))
      ->check(checker_names_validator());
  cmd->add_flag("--quiet", o.quiet, "print nothing but errors");
  cmd->add_option("--swarm-seed", o.swarm_seed,
                  "run as `consim swarm` runs this seed (its nemesis, default or the "
                  "scenario's); exit 1 if a checker finds a violation")
      ->check(unsigned_integer(0))
      ->excludes(seed)
      ->excludes(random)
      ->excludes(add_sets(cmd, o.sets));
}

void add_compare(CLI::App& app, CompareOptions& o, Parsed& p) {
  auto* cmd = subcommand(
      app, p, "compare", [&o] { return compare_command(o); },
      "Run one scenario under several store models on the same seed, side by side");
  cmd->add_option("scenario", o.scenario, "scenario file (JSON)")->required();
  cmd->add_option("--seed", o.seed, "override the scenario's seed")->check(unsigned_integer(0));
  cmd->add_option("--models", o.models,
                  "models to compare (default: every model that runs the scenario's workload)")
      ->delimiter(',');
  cmd->add_option("--out", o.out, "output folder (default: out/<scenario name>)");
  cmd->add_option("--trace-level", o.trace_level, "ops | state | full")
      ->check(CLI::IsMember({"ops", "state", "full"}));
  cmd->add_option("--checkers", o.checkers, checkers_help("checkers for each report.json"))
      ->check(checker_names_validator());
  cmd->add_flag("--quiet", o.quiet, "print nothing but errors");
  add_sets(cmd, o.sets);
}

void add_check(CLI::App& app, CheckOptions& o, Parsed& p) {
  auto* cmd = subcommand(
      app, p, "check", [&o] { return check_command(o); },
      "Check a history (a trace or JSON Lines from elsewhere): exit 0 valid, 1 invalid, 2 unknown");
  cmd->add_option("history", o.history, "trace.jsonl or history (JSON Lines)")->required();
  cmd->add_option("--consistency", o.consistency, checkers_help("checkers to run"))
      ->check(checker_names_validator());
  cmd->add_option("--budget", o.budget,
                  "search steps per key before the linearizability verdict is unknown")
      ->check(unsigned_integer(1));
  cmd->add_option("--causal-memory", o.causal_memory_mib,
                  "MiB the causal checkers' clocks may take before their verdict is unknown "
                  "(default 1024)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 30));
  cmd->add_flag("--json", o.json, "print the result as JSON");
}

void add_swarm(CLI::App& app, SwarmCommandOptions& o, Parsed& p) {
  auto* cmd = subcommand(
      app, p, "swarm", [&o] { return swarm_command(o); },
      "Run a scenario under many seeds with random faults, check every run, print a command "
      "that reproduces each failing seed: exit 0 none failed, 1 some did");
  cmd->add_option("scenario", o.scenario, "scenario file (JSON)")->required();
  cmd->add_option("--model", o.model, "run under this store model instead of the scenario's");
  cmd->add_option("--seeds", o.seeds, "how many seeds to run (at most 1000000)")
      ->required()
      ->check(unsigned_integer(1))
      ->check(CLI::Validator(
          [](std::string& value) {
            // unsigned_integer(1) has checked that it is a number.
            return std::strtoull(value.c_str(), nullptr, 10) > 1'000'000
                       ? "at most 1000000 seeds, got " + value
                       : std::string();
          },
          "SEEDS"));
  cmd->add_option("--first-seed", o.first_seed, "the first seed (default 1)")
      ->check(unsigned_integer(0));
  cmd->add_option("-j,--jobs", o.jobs, "runs at once, on threads (default 1)")
      ->check(CLI::Range(1u, 256u));
  o.checks = consim::kSwarmDefaultChecks;
  cmd->add_option("--check", o.checks,
                  std::string("checkers (") + consim::kSwarmDefaultChecks + " by default, or all)")
      ->check(CLI::Validator(
          [](std::string& value) {
            if (value == "none") return std::string("swarm needs at least one checker");
            return consim::checker_list_error(value);
          },
          "CHECKERS"));
  cmd->parse_complete_callback([&] {
    if (o.first_seed > UINT64_MAX - (o.seeds - 1))
      throw CLI::ValidationError("--first-seed", "seeds past 18446744073709551615");
  });
}

void add_sweep(CLI::App& app, SweepCommandOptions& o, Parsed& p) {
  auto* cmd = subcommand(
      app, p, "sweep", [&o] { return sweep_command(o); },
      "Run a grid of scenario variants over many seeds; write per-run and aggregate tables "
      "(mean, 95% CI); resumable; locally on threads or as a Slurm job array");
  cmd->add_option("sweep", o.sweep, "sweep file (JSON, docs/sweep.md)")->required();
  cmd->add_option("--out", o.out, "output folder (default: out/sweep-<name>)");
  cmd->add_option("-j,--jobs", o.jobs, "runs at once, on threads (default 1)")
      ->check(CLI::Range(1u, 256u));
  cmd->add_flag("--progress", o.progress, "print progress on stderr even when not a terminal");
  cmd->add_flag("--quiet", o.quiet, "print nothing but errors");
  auto* collect = cmd->add_flag("--collect", o.collect,
                                "only make the tables from the results in --out (after --slurm)");
  auto* slurm = cmd->add_flag("--slurm", o.slurm, "submit the pending runs as a Slurm job array");
  cmd->add_flag("--wait", o.wait, "with --slurm: wait for the array, then make the tables")
      ->needs(slurm);
  cmd->add_option("--slurm-chunk", o.chunk, "with --slurm: runs per array task (default 10)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000000}))
      ->needs(slurm);
  cmd->add_option("--sbatch", o.sbatch_args,
                  "with --slurm: an argument for sbatch, e.g. --sbatch=--partition=short "
                  "(repeatable)")
      ->allow_extra_args(false)
      ->needs(slurm);
  cmd->add_option("--slurm-task", o.slurm_task, "(used by the job array) run this task's runs")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1000000}))
      ->excludes(collect)
      ->excludes(slurm);
  collect->excludes(slurm);
}

void add_report(CLI::App& app, ReportOptions& o, Parsed& p) {
  auto* cmd = subcommand(
      app, p, "report", [&o] { return report_command(o); },
      "Write one self-contained HTML page for a run, comparison or sweep folder: summary, "
      "every chart, every verdict with its counterexample slice");
  cmd->add_option("dir", o.dir, "folder written by consim run, compare or sweep (--out)")
      ->required();
  cmd->add_option("--out", o.out, "the HTML file (default: DIR/report.html)");
}

// A usage error, in the same "consim: ..." form as every other error, with
// where to find the usage of the command that was being given.
int usage_error(const CLI::App& app, const std::string& message) {
  std::string command;
  for (const CLI::App* sub : app.get_subcommands()) command = " " + sub->get_name();
  std::fprintf(stderr, "consim%s: %s\nRun 'consim%s --help' for usage.\n", command.c_str(),
               message.c_str(), command.c_str());
  return kExitUsage;
}

// The first argument, if it is neither an option nor a known command.
std::optional<std::string> unknown_command(const CLI::App& app, int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-') return std::nullopt;
  for (const CLI::App* sub : app.get_subcommands({}))
    if (sub->get_name() == argv[1]) return std::nullopt;
  return std::string(argv[1]);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"consim: deterministic simulator for consistency models in replicated stores"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "consim 0.1.0");
  Parsed parsed;
  RunOptions run;
  CompareOptions compare;
  CheckOptions check;
  SwarmCommandOptions swarm;
  SweepCommandOptions sweep;
  ReportOptions report;
  std::string validate_path, analyze_path, analyze_out, analyze_checkers = "all";
  std::optional<std::uint64_t> validate_seed;
  std::vector<std::string> validate_sets;
  add_run(app, run, parsed);
  add_compare(app, compare, parsed);
  add_check(app, check, parsed);
  add_swarm(app, swarm, parsed);
  add_sweep(app, sweep, parsed);
  add_report(app, report, parsed);
  auto* validate = subcommand(
      app, parsed, "validate",
      [&] { return validate_command(validate_path, validate_seed, validate_sets); },
      "Check a scenario file and print what it sets up");
  validate->add_option("scenario", validate_path, "scenario file (JSON)")->required();
  validate->add_option("--seed", validate_seed, "preview the nemesis of this seed")
      ->check(unsigned_integer(0));
  add_sets(validate, validate_sets);
  auto* analyze = subcommand(
      app, parsed, "analyze",
      [&] { return analyze_command(analyze_path, analyze_out, analyze_checkers); },
      "Analyze a trace: write report.json, print a summary");
  analyze->add_option("trace", analyze_path, "trace.jsonl")->required();
  analyze->add_option("--out", analyze_out, "report path (default: report.json beside the trace)");
  analyze->add_option("--checkers", analyze_checkers, checkers_help("checkers for report.json"))
      ->check(checker_names_validator());
  subcommand(app, parsed, "list", list_command,
             "List store models, partition shapes, distributions, checkers and metrics");

  if (auto name = unknown_command(app, argc, argv))
    return usage_error(
        app, "unknown command \"" + *name +
                 "\"; commands: run, compare, swarm, sweep, report, check, validate, analyze or "
                 "list");
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(app, e.what());
  }
  try {
    return parsed.action();
  } catch (const UsageError& e) {
    return usage_error(app, e.what());
  } catch (const consim::InputError& e) {
    std::fprintf(stderr, "consim: %s\n", e.what());
    return kExitBadInput;
  } catch (const consim::OutputError& e) {
    std::fprintf(stderr, "consim: %s\n", e.what());
    return kExitIo;
  } catch (const std::filesystem::filesystem_error& e) {
    std::fprintf(stderr, "consim: %s\n", e.what());
    return kExitIo;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "consim: internal error: %s\n", e.what());
    return kExitInternal;
  }
}
