// Sweep runs on threads, their result files, resuming; see sweep_runner.h.
#include "cli/sweep_runner.h"

#include <unistd.h>  // isatty

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "analysis/checkers/checks.h"
#include "analysis/report/analyze.h"
#include "base/json_input.h"
#include "base/output_file.h"
#include "cli/run_pool.h"
#include "models/registry.h"
#include "sim/simulator.h"

namespace consim::cli {
namespace {

// "runs done, elapsed, remaining" on stderr: rewritten in place on a
// terminal, a line per run otherwise. Wall-clock time is for this line
// only; nothing written to a file depends on it.
class Progress {
 public:
  Progress(bool on, std::size_t total, std::size_t resumed)
      : on_(on), tty_(isatty(2) != 0), total_(total), resumed_(resumed) {}
  void run_done() {
    if (!on_) return;
    std::lock_guard lock(mutex_);
    ++ran_;
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const std::size_t left = total_ - resumed_ - ran_;
    std::fprintf(stderr,
                 "%ssweep: %zu/%zu runs done (%zu resumed), %.1f s elapsed, about %.0f s left%s",
                 tty_ ? "\r" : "", resumed_ + ran_, total_, resumed_, elapsed,
                 elapsed / static_cast<double>(ran_) * static_cast<double>(left),
                 tty_ && left > 0 ? "\x1b[K" : "\n");
    std::fflush(stderr);
  }

 private:
  bool on_, tty_;
  std::size_t total_, resumed_, ran_ = 0;
  std::mutex mutex_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::optional<nlohmann::json> read_result(const std::string& path, const std::string& key) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("key", "") != key ||
      !doc.contains("report")) {
    std::fprintf(stderr, "consim: %s is not a finished run's result: removed; rerun the sweep\n",
                 path.c_str());
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return std::nullopt;
  }
  return doc;
}

void run_one(const SweepSpec& spec, const SweepPlan& plan, const SweepRun& run,
             const std::string& out, const std::string& tmp) {
  Scenario s = plan.points[run.point].scenario;
  s.seed = run.seed;
  const std::string trace = tmp + "/" + run.key + ".jsonl";
  AnalyzeOptions options;
  options.checkers = parse_checker_list(spec.checkers);  // the loader checked the names
  nlohmann::json report;
  try {
    run_scenario(s, registered_model(s.model_name).make, trace);
    report = analyze_trace(trace, options);
  } catch (const InputError& e) {
    throw InputError(spec.file, "$",
                     "run " + describe_run(spec, plan, run) + " failed: " + e.what());
  }
  std::filesystem::remove(trace);
  report.erase("timeline");
  run_metrics(spec, report, describe_run(spec, plan, run));  // a missing metric stops the sweep
  nlohmann::json values = nlohmann::json::object();
  for (std::size_t a = 0; a < spec.axes.size(); ++a)
    values[spec.axes[a].name] = plan.points[run.point].labels[a];
  const nlohmann::json result = {
      {"key", run.key}, {"seed", run.seed}, {"values", values}, {"report", report}};
  write_file_atomically(run_file(out, run), result.dump() + "\n");
}

}  // namespace

std::string run_file(const std::string& out, const SweepRun& run) {
  return (std::filesystem::path(out) / "runs" / (run.key + ".json")).string();
}

std::vector<std::size_t> pending_runs(const SweepPlan& plan, const std::string& out) {
  std::vector<std::size_t> pending;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    const SweepRun& run = plan.runs[i];
    if (!seen.insert(run.key).second) continue;
    std::error_code ec;
    if (!std::filesystem::exists(run_file(out, run), ec)) pending.push_back(i);
  }
  return pending;
}

void execute_runs(const SweepSpec& spec, const SweepPlan& plan,
                  const std::vector<std::size_t>& indices, const std::string& out,
                  const SweepExecution& options) {
  if (indices.empty()) return;
  std::filesystem::create_directories(std::filesystem::path(out) / "runs");
  TempDir tmp("consim-sweep");
  std::set<std::string> keys;
  for (const SweepRun& run : plan.runs) keys.insert(run.key);
  Progress progress(options.progress, keys.size(), options.resumed);
  run_in_parallel(indices.size(), options.jobs, [&](std::uint64_t i) {
    run_one(spec, plan, plan.runs[indices[i]], out, tmp.path());
    progress.run_done();
  });
}

std::vector<std::optional<MetricRow>> read_rows(const SweepSpec& spec, const SweepPlan& plan,
                                                const std::string& out) {
  std::vector<std::optional<MetricRow>> rows;
  for (const SweepRun& run : plan.runs) {
    const auto result = read_result(run_file(out, run), run.key);
    if (!result) {
      rows.emplace_back();
      continue;
    }
    rows.push_back(run_metrics(spec, (*result)["report"], describe_run(spec, plan, run)));
  }
  return rows;
}

void remove_leftovers(const std::string& out) {
  std::error_code ec;
  const auto dir = std::filesystem::path(out) / "runs";
  if (!std::filesystem::is_directory(dir, ec)) return;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().extension() == ".tmp") std::filesystem::remove(entry.path(), ec);
}

}  // namespace consim::cli
