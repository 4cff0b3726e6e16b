// The bank benchmark: runs bench/bank-load.json (1,000 accounts on five
// shards, 20 clients, 60 s simulated, a crash and a partition, state-level
// trace) under one transfer method, then loads the trace's history and runs
// the bank checker, and prints simulated events per wall second, peak
// memory (getrusage: the whole process, run and check) and the checker's
// time. One method per process, so each peak is its own:
//
//   build-rel/bench/bank_bench bench/bank-load.json --method 2pc|saga|none
//
// Reads the wall clock to time itself; nothing in the engine does.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/checkers/bank_check.h"
#include "analysis/trace/history_loader.h"
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

double seconds_since(std::chrono::steady_clock::time_point begin) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bank_bench SCENARIO [--method 2pc|saga|none] [--out PATH]\n");
    return 4;
  }
  std::string method = "2pc", out = "/tmp/consim-bank-bench.jsonl";
  for (int i = 2; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--method")) method = argv[i + 1];
    if (!std::strcmp(argv[i], "--out")) out = argv[i + 1];
  }
  try {
    nlohmann::json doc = parse_json_text(
        [&] {
          std::FILE* f = std::fopen(argv[1], "rb");
          if (!f) throw InputError(argv[1], "$", "no such file");
          std::string text;
          char buf[65536];
          for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) text.append(buf, n);
          std::fclose(f);
          return text;
        }(),
        argv[1]);
    doc["model"]["params"]["method"] = method;
    Scenario s = parse_scenario(doc, argv[1], model_registry());
    auto begin = std::chrono::steady_clock::now();
    RunStats st = run_scenario(s, registered_model(s.model_name).make, out);
    const double run_secs = seconds_since(begin);
    begin = std::chrono::steady_clock::now();
    History h = load_history(out);
    const double load_secs = seconds_since(begin);
    begin = std::chrono::steady_clock::now();
    BankCheck c = check_bank(h);
    const double check_secs = seconds_since(begin);
    const long rss = peak_rss_kib();
    const std::size_t ops = h.bank ? h.bank->ops.size() : 0;
    std::printf(
        "method %s, %s simulated: %.2f s wall\n"
        "  simulator events   %12llu  %8.2f M/s\n"
        "  trace lines        %12llu\n"
        "  bank operations    %12zu  (transfers ok %llu, failed %llu, unknown %llu)\n"
        "  history load       %12.3f s\n"
        "  bank checker       %12.4f s  (%s, money created %lld, half-done %llu)\n"
        "  peak memory (RSS)  %12.1f MiB\n",
        method.c_str(), format_duration(s.duration).c_str(), run_secs,
        static_cast<unsigned long long>(st.events), st.events / run_secs / 1e6,
        static_cast<unsigned long long>(st.trace_lines), ops,
        static_cast<unsigned long long>(c.transfers_ok),
        static_cast<unsigned long long>(c.transfers_failed),
        static_cast<unsigned long long>(c.transfers_unknown), load_secs, check_secs,
        verdict_name(c.result.verdict), static_cast<long long>(c.created),
        static_cast<unsigned long long>(c.half_done), rss / 1024.0);
    std::remove(out.c_str());
  } catch (const InputError& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 3;
  }
  return 0;
}
