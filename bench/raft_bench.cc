// Raft under load: runs a scenario (bench/raft-load.json: 5 nodes, 50
// clients, 60 s simulated, full trace) and prints simulated events and
// completed client operations per wall second and peak memory. `--scale K`
// runs K times the duration (faults unchanged), to show memory stays flat
// in run length; `--model NAME` runs another model on the same scenario.
//
//   build-rel/bench/raft_bench bench/raft-load.json [--scale K] [--model NAME]
//
// Reads the wall clock to time itself; nothing in the engine does. The
// operations are counted afterwards from the trace (its ok/fail/info lines),
// outside the timed part.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
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

// Completed operations in a trace, and how many of them ended ok.
struct OpCount {
  unsigned long long done = 0, ok = 0;
};

OpCount count_ops(const std::string& path) {
  OpCount c;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    bool ok = line.starts_with("{\"type\":\"ok\"");
    if (ok || line.starts_with("{\"type\":\"fail\"") || line.starts_with("{\"type\":\"info\"")) {
      ++c.done;
      c.ok += ok;
    }
  }
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: raft_bench SCENARIO [--scale K] [--model NAME] [--out PATH]\n");
    return 4;
  }
  int scale = 1;
  std::string model, out = "/tmp/consim-raft-bench.jsonl";
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--scale")) scale = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--model")) model = argv[i + 1];
    if (!std::strcmp(argv[i], "--out")) out = argv[i + 1];
  }
  try {
    Scenario s = load_scenario(argv[1], model_registry());
    if (!model.empty()) apply_model_override(s, model_registry(), model);
    s.duration *= scale;
    auto begin = std::chrono::steady_clock::now();
    RunStats st = run_scenario(s, registered_model(s.model_name).make, out);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    long rss = peak_rss_kib();
    OpCount ops = count_ops(out);
    std::printf(
        "model %s, %d x %s simulated: %.2f s wall\n"
        "  simulator events   %12llu  %8.2f M/s\n"
        "  client operations  %12llu  %8.3f M/s  (%llu ok)\n"
        "  messages           %12llu\n"
        "  trace lines        %12llu  %8.2f M/s\n"
        "  peak memory (RSS)  %12.1f MiB\n",
        s.model_name.c_str(), scale, format_duration(s.duration / scale).c_str(), secs,
        static_cast<unsigned long long>(st.events), st.events / secs / 1e6, ops.done,
        ops.done / secs / 1e6, ops.ok, static_cast<unsigned long long>(st.messages),
        static_cast<unsigned long long>(st.trace_lines), st.trace_lines / secs / 1e6,
        rss / 1024.0);
    std::remove(out.c_str());
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 3;
  }
  return 0;
}
