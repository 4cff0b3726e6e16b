// PBS benchmark: one run of bench/pbs-grid.json (or another scenario) with
// the quorum's n, r, w and the seed given, trace at level ops, analysed;
// prints one JSON line: the configuration, operations, simulator events,
// wall time of the run and of the analysis, events per second, the
// stale-read rate, the stale rate in t-visibility's first bin (t < 0.1 ms
// after the acknowledgement) and k-staleness P(within the last 1..3
// versions). bench/pbs_grid.sh runs the whole grid.
//
//   build/bench/pbs_bench bench/pbs-grid.json --n 3 --r 1 --w 1 --seed 7
//   build/bench/pbs_bench bench/pbs-grid.json --model eventual-async --seed 7
//
// Reads the wall clock to time itself; nothing in the engine does.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/report/analyze.h"
#include "base/json_input.h"
#include "models/registry.h"
#include "sim/scenario_loader.h"
#include "sim/simulator.h"

using namespace consim;

namespace {

double seconds_since(std::chrono::steady_clock::time_point begin) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

nlohmann::json first_bin_stale(const nlohmann::json& report) {
  const nlohmann::json& p = report["t_visibility"]["overall"][0]["probability"];
  return p.is_null() ? nlohmann::json() : nlohmann::json(1.0 - p.get<double>());
}

std::uint64_t operations(const nlohmann::json& report) {
  const nlohmann::json& all = report["overall"]["all"];
  return all["ok"].get<std::uint64_t>() + all["fail"].get<std::uint64_t>() +
         all["info"].get<std::uint64_t>();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr,
                 "usage: pbs_bench SCENARIO [--n N --r R --w W] [--seed S] [--model NAME]\n");
    return 4;
  }
  std::string model = "quorum";
  std::uint64_t seed = 1;
  nlohmann::json params = nlohmann::json::object();
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--n" || flag == "--r" || flag == "--w")
      params[flag.substr(2)] = std::atoi(argv[i + 1]);
    if (flag == "--seed") seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (flag == "--model") model = argv[i + 1];
  }
  const std::string trace = "/tmp/consim-pbs-bench-" + std::to_string(getpid()) + ".jsonl";
  try {
    Scenario s = load_scenario(argv[1], model_registry());
    if (model != s.model_name) {
      apply_model_override(s, model_registry(), model);
    } else if (!params.empty()) {
      nlohmann::json doc = *s.source;
      for (const auto& [k, v] : params.items()) doc["model"]["params"][k] = v;
      s = parse_scenario(doc, argv[1], model_registry());
    }
    s.seed = seed;
    auto begin = std::chrono::steady_clock::now();
    RunStats st = run_scenario(s, registered_model(s.model_name).make, trace);
    const double run_secs = seconds_since(begin);
    begin = std::chrono::steady_clock::now();
    AnalyzeOptions options;
    options.checkers = std::vector<std::string>{};
    const nlohmann::json report = analyze_trace(trace, options);
    const double analyze_secs = seconds_since(begin);
    std::remove(trace.c_str());
    nlohmann::json within = nlohmann::json::array();
    for (const auto& e : report["k_staleness"]["within_last"])
      if (within.size() < 3) within.push_back(e["probability"]);
    nlohmann::json line = {{"model", s.model_name},
                           {"params", params},
                           {"seed", seed},
                           {"ops", operations(report)},
                           {"events", st.events},
                           {"run_s", run_secs},
                           {"analyze_s", analyze_secs},
                           {"events_per_s", static_cast<double>(st.events) / run_secs},
                           {"stale_rate", report["staleness"]["overall"]["stale_rate"]},
                           {"stale_t0", first_bin_stale(report)},
                           {"within_last_1_3", within}};
    std::printf("%s\n", line.dump().c_str());
  } catch (const InputError& e) {
    std::remove(trace.c_str());
    std::fprintf(stderr, "%s\n", e.what());
    return 3;
  }
  return 0;
}
