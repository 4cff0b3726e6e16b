// Benchmark of the linearizability checker and the trace reader.
//
// Histories come from generate_register_history (linearizable by
// construction) with fixed seeds, so every run checks the same histories;
// only the timings vary. The cases with cas and a value range take the
// general search; the others the unique-value one. Reading the wall clock
// is allowed here and only here: it times the work, it never feeds it.
//
//   ./build-rel/bench/lin_bench            all cases
//   ./build-rel/bench/lin_bench --quick    smaller sizes (CI smoke run)
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>

#include "analysis/checkers/linearizability.h"
#include "analysis/checkers/register_history_gen.h"
#include "analysis/trace/history_loader.h"
#include "analysis/trace/trace_reader.h"

using namespace consim;

namespace {

// Wall and CPU time of a piece of work. On a shared machine the CPU time is
// the steadier number; both are printed.
struct Stopwatch {
  std::chrono::steady_clock::time_point wall = std::chrono::steady_clock::now();
  std::clock_t cpu = std::clock();
  double wall_s() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - wall).count();
  }
  double cpu_s() const { return static_cast<double>(std::clock() - cpu) / CLOCKS_PER_SEC; }
};

History make_history(std::uint32_t keys, std::uint32_t clients, std::uint64_t ops,
                     std::uint64_t seed, double cas_fraction = 0, std::uint64_t value_range = 0) {
  RegisterHistorySpec spec;
  spec.cas_fraction = cas_fraction;
  spec.value_range = value_range;
  spec.keys = keys;
  spec.processes = clients;
  spec.ops = ops;
  spec.write_fraction = 0.5;
  spec.fail_fraction = 0.01;
  spec.info_fraction = 0.02;
  spec.max_duration = 100;  // latency 1-100 units, pause 0-10: clients overlap almost always
  spec.max_think = 10;
  Rng rng(seed);
  return generate_register_history(spec, rng);
}

void time_check(const char* name, const History& h) {
  Stopwatch watch;
  LinearizabilityReport report = check_linearizability(h);
  double wall = watch.wall_s(), cpu = watch.cpu_s();
  std::uint64_t steps = 0;
  for (const auto& k : report.keys) steps += k.steps;
  std::printf("%-40s %8zu ops %5zu keys %-8s wall %7.3f s  cpu %7.3f s %10llu steps\n", name,
              h.ops.size(), report.keys.size(), verdict_name(report.result.verdict), wall, cpu,
              static_cast<unsigned long long>(steps));
  if (report.result.verdict == Verdict::Invalid)
    std::printf("    %s\n", report.result.violations[0].reason.c_str());
}

// A stale read planted in a valid history: a read past the middle returns
// the value an earlier read of its key returned, 20 reads of that key
// before. The cost of finding, shrinking and explaining a violation.
void time_violation(const History& valid) {
  History h = valid;
  for (std::size_t i = h.ops.size() / 2; i < h.ops.size(); ++i) {
    Operation& stale = h.ops[i];
    if (stale.f != HistOp::Read || stale.outcome != Outcome::Ok || !stale.value) continue;
    int reads_back = 0;
    for (std::size_t j = i; j-- > 0;) {
      const Operation& old = h.ops[j];
      if (old.key != stale.key || old.f != HistOp::Read || old.outcome != Outcome::Ok) continue;
      if (++reads_back >= 20 && old.value && old.value != stale.value) {
        stale.value = old.value;
        time_check("same, one stale read planted", h);
        return;
      }
    }
  }
}

// A trace of the shape the simulator writes at level "full".
std::string write_trace(std::uint64_t lines) {
  auto path = (std::filesystem::temp_directory_path() / "consim-lin-bench-trace.jsonl").string();
  std::FILE* out = std::fopen(path.c_str(), "wb");
  std::fprintf(out,
               "{\"type\":\"header\",\"format\":\"consim-trace\",\"version\":1,\"seed\":1,"
               "\"model\":\"eventual-async\",\"nodes\":[\"n1\",\"n2\",\"n3\",\"n4\",\"n5\"]}\n");
  std::uint64_t op = 0, msg = 0;
  for (std::uint64_t i = 1, t = 1000; i < lines; ++i, t += 37) {
    int node = static_cast<int>(i % 5) + 1;
    switch (i % 6) {
      case 0:
        ++op;
        std::fprintf(out,
                     "{\"type\":\"invoke\",\"time\":%llu,\"op\":%llu,\"process\":%d,\"f\":"
                     "\"write\",\"key\":%llu,\"value\":%llu,\"node\":\"n%d\"}\n",
                     (unsigned long long)t, (unsigned long long)op, node,
                     (unsigned long long)(i % 1000), (unsigned long long)op, node);
        break;
      case 1:
        std::fprintf(out,
                     "{\"type\":\"send\",\"time\":%llu,\"msg\":%llu,\"from\":\"n%d\",\"to\":"
                     "\"n%d\",\"kind\":\"replicate\",\"bytes\":64}\n",
                     (unsigned long long)t, (unsigned long long)(++msg), node, node % 5 + 1);
        break;
      case 2:
      case 3:
        std::fprintf(out,
                     "{\"type\":\"deliver\",\"time\":%llu,\"msg\":%llu,\"from\":\"n%d\",\"to\":"
                     "\"n%d\",\"kind\":\"replicate\"}\n",
                     (unsigned long long)t, (unsigned long long)msg, node, node % 5 + 1);
        break;
      case 4:
        std::fprintf(
            out,
            "{\"type\":\"apply\",\"time\":%llu,\"node\":\"n%d\",\"key\":%llu,\"value\":%llu}\n",
            (unsigned long long)t, node, (unsigned long long)(i % 1000), (unsigned long long)op);
        break;
      default:
        std::fprintf(out,
                     "{\"type\":\"ok\",\"time\":%llu,\"op\":%llu,\"process\":%d,\"f\":\"write\","
                     "\"key\":%llu,\"value\":%llu,\"node\":\"n%d\"}\n",
                     (unsigned long long)t, (unsigned long long)op, node - 1 == 0 ? 5 : node - 1,
                     (unsigned long long)((i - 5) % 1000), (unsigned long long)op, node);
        break;
    }
  }
  std::fclose(out);
  return path;
}

void time_reader(std::uint64_t lines) {
  std::string path = write_trace(lines);
  double mb = static_cast<double>(std::filesystem::file_size(path)) / 1e6;
  Stopwatch watch;
  TraceReader reader(path);
  TraceEvent e;
  std::uint64_t n = 0;
  while (reader.next(e)) ++n;
  double wall = watch.wall_s(), cpu = watch.cpu_s();
  double m = static_cast<double>(n) / 1e6;
  std::printf(
      "%-40s %8llu lines %.0f MB: wall %.3f s (%.2f M lines/s), cpu %.3f s (%.2f M lines/s)\n",
      "trace reader", static_cast<unsigned long long>(n), mb, wall, m / wall, cpu, m / cpu);
  std::filesystem::remove(path);
}

}  // namespace

int main(int argc, char** argv) {
  bool quick = argc > 1 && std::string(argv[1]) == "--quick";
  std::uint64_t scale = quick ? 10 : 1;
  std::printf("linearizability checker (fixed seeds; wall clock and process CPU time)\n");
  History many = make_history(1000, 10, 1'000'000 / scale, 1);
  time_check("1M ops, 1000 keys, 10 clients", many);
  time_violation(many);
  History one = make_history(1, 10, 10'000 / scale, 2);
  time_check("10k ops, 1 key, 10 clients", one);
  time_violation(one);
  for (std::uint32_t clients = 1; clients <= 32; clients *= 2) {
    std::string name = "10k ops, 1 key, " + std::to_string(clients) + " clients";
    time_check(name.c_str(), make_history(1, clients, 10'000 / scale, 3 + clients));
  }
  // The general search (cas, repeated values): Jepsen-like histories.
  for (std::uint64_t range : {5, 1000}) {
    std::string name = "10k ops, 1 key, 10 clients, cas, values 1-" + std::to_string(range);
    time_check(name.c_str(), make_history(1, 10, 10'000 / scale, 40 + range, 0.2, range));
  }
  time_check("1M ops, 1000 keys, 10 clients, cas, values 1-5",
             make_history(1000, 10, 1'000'000 / scale, 41, 0.2, 5));
  time_reader(2'000'000 / scale);
  return 0;
}
