// Engine benchmark: the demo scenario scaled up (5 nodes, 50 clients, 60 s of
// simulated time, full trace) under each model; prints simulated events per
// second, trace lines per second, MB/s and peak memory. `--scale K` runs K
// times the duration (faults unchanged), to show memory does not grow with
// the run's length.
//
//   build-rel/bench/engine_bench bench/demo-scaled.json [--scale K] [--model NAME]
//
// Reads the wall clock to time itself; nothing in the engine does.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "base/json_input.h"
#include "models/registry.h"
#include "sim/scenario_loader.h"
#include "sim/simulator.h"

using namespace consim;

namespace {

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: engine_bench SCENARIO [--scale K] [--model NAME] [--out PATH]\n");
    return 4;
  }
  int scale = 1;
  std::string model, out = "/tmp/consim-engine-bench.jsonl";
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--scale")) scale = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--model")) model = argv[i + 1];
    if (!std::strcmp(argv[i], "--out")) out = argv[i + 1];
  }
  try {
    Scenario s = load_scenario(argv[1], model_registry());
    if (!model.empty()) apply_model_override(s, model_registry(), model);
    // Only the length grows: the faults stay where they are, so a longer
    // run adds fault-free time and memory must stay flat.
    s.duration *= scale;
    auto begin = std::chrono::steady_clock::now();
    RunStats st = run_scenario(s, registered_model(s.model_name).make, out);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::printf(
        "model %s, %d x %s simulated: %.2f s wall\n"
        "  simulator events   %12llu  %8.2f M/s\n"
        "  trace lines        %12llu  %8.2f M/s\n"
        "  trace bytes        %12.1f MB  %6.1f MB/s\n"
        "  peak memory (RSS)  %12.1f MiB\n",
        s.model_name.c_str(), scale, format_duration(s.duration / scale).c_str(), secs,
        static_cast<unsigned long long>(st.events), st.events / secs / 1e6,
        static_cast<unsigned long long>(st.trace_lines), st.trace_lines / secs / 1e6,
        st.trace_bytes / 1e6, st.trace_bytes / 1e6 / secs, peak_rss_kib() / 1024.0);
    std::remove(out.c_str());
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 3;
  }
  return 0;
}
