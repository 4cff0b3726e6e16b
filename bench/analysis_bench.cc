// Throughput and memory of the streaming run analysis on a synthetic trace.
//
// Generates a full-level trace on the fly (5 nodes, 100 keys, 8 clients,
// half reads and half writes, leader n1 replicating to four followers, two
// partitions cutting n4 and n5 off), feeds it to RunAnalysis and prints
// events per second and the peak resident set size after 1 M events and at
// the end: memory must stay flat as the trace grows. The generator's own cost
// is measured in a separate pass and reported, so the analysis rate can be
// read both with and without it. This program may read the wall clock: it
// times itself and nothing else does.
//
// Usage: analysis_bench [events]   (default 5000000)
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/report/run_analysis.h"
#include "base/rng.h"

namespace {

using consim::EventType;
using consim::HistOp;
using consim::Time;
using consim::TraceEvent;

constexpr std::uint32_t kNodes = 5, kKeys = 100, kClients = 8;

long peak_rss_kb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

// Emits the synthetic trace, one event at a time, to `sink`.
class Generator {
 public:
  explicit Generator(std::uint64_t target) : target_(target), rng_(2024) {
    for (std::uint32_t n = 0; n < kNodes; ++n) {
      std::string name = "n";  // appended: GCC 12 misreports "n" + string under -O3
      name += std::to_string(n + 1);
      names_.nodes.push_back(name);
    }
    for (std::uint32_t k = 0; k < kKeys; ++k) names_.keys.push_back(std::to_string(k));
    names_.faults = {"p1", "p2"};
    names_.kinds = {"replicate", "ack", "read"};
    held_.assign(kNodes, std::vector<std::int64_t>(kKeys, 0));
    clients_.resize(kClients);
  }
  const consim::TraceNames& names() const { return names_; }

  void run(const std::function<void(const TraceEvent&)>& sink) {
    sink_ = &sink;
    for (std::uint64_t step = 0; emitted_ < target_; ++step) {
      now_ += 50 * consim::kMicrosecond;
      fault_schedule();
      Client& c = clients_[step % kClients];
      if (c.open) complete(c);
      start(c, step % kClients);
    }
    TraceEvent end = base(EventType::End);
    emit(end);
  }

 private:
  struct Client {
    bool open = false;
    TraceEvent invoke;
  };

  TraceEvent base(EventType type) const {
    TraceEvent e;
    e.type = type;
    e.time = now_;
    return e;
  }
  void emit(TraceEvent& e) {
    e.line = ++emitted_ + 1;
    (*sink_)(e);
  }
  bool cut(std::uint32_t node) const { return partitioned_ && node >= 3; }

  void fault_schedule() {
    const std::uint64_t tenth = target_ / 10;
    const bool want = (emitted_ >= 2 * tenth && emitted_ < 3 * tenth) ||
                      (emitted_ >= 6 * tenth && emitted_ < 7 * tenth);
    if (want == partitioned_) return;
    TraceEvent e = base(want ? EventType::Partition : EventType::Heal);
    e.fault = emitted_ < 5 * tenth ? 0 : 1;
    if (want) e.sides = {{0, 1, 2}, {3, 4}};
    partitioned_ = want;
    emit(e);
    if (!want) heal_replicas();
  }
  void heal_replicas() {
    for (std::uint32_t n = 3; n < kNodes; ++n) {
      for (std::uint32_t k = 0; k < kKeys; ++k) apply(n, k, held_[0][k]);
    }
  }
  void apply(std::uint32_t node, std::uint32_t key, std::int64_t value) {
    held_[node][key] = value;
    TraceEvent e = base(EventType::Apply);
    e.node = node;
    e.key = key;
    e.value = value;
    emit(e);
  }
  void message(EventType type, std::uint32_t from, std::uint32_t to, std::uint32_t kind) {
    TraceEvent e = base(type);
    e.msg = ++messages_;
    e.from = from;
    e.to = to;
    e.kind = kind;
    e.bytes = 64;
    emit(e);
  }

  void start(Client& c, std::uint64_t process) {
    TraceEvent e = base(EventType::Invoke);
    e.op = ++ops_;
    e.has_op = true;
    e.process = static_cast<std::int64_t>(process);
    e.key = static_cast<std::uint32_t>(rng_.below(kKeys));
    e.f = rng_.chance(0.5) ? HistOp::Read : HistOp::Write;
    e.node = e.f == HistOp::Write ? 0 : static_cast<std::uint32_t>(rng_.below(kNodes));
    if (e.f == HistOp::Write) e.value = static_cast<std::int64_t>(e.op);
    emit(e);
    c.invoke = e;
    c.open = true;
    if (e.f == HistOp::Write) {
      apply(0, e.key, *e.value);
      for (std::uint32_t n = 1; n < kNodes; ++n) message(EventType::Send, 0, n, 0);
    } else if (e.node != 0) {
      message(EventType::Send, e.node, 0, 2);
    }
  }

  void complete(Client& c) {
    TraceEvent e = c.invoke;
    e.time = now_;
    e.type = rng_.chance(0.01) ? EventType::Info : EventType::Ok;
    c.open = false;
    if (e.f == HistOp::Read) {
      e.value = held_[e.node][e.key] == 0 ? std::nullopt : std::optional(held_[e.node][e.key]);
      emit(e);
      return;
    }
    for (std::uint32_t n = 1; n < kNodes; ++n) {
      if (cut(n)) continue;
      message(EventType::Deliver, 0, n, 0);
      message(EventType::Send, n, 0, 1);
    }
    emit(e);
    for (std::uint32_t n = 1; n < kNodes; ++n) {
      if (!cut(n)) apply(n, e.key, *c.invoke.value);
    }
  }

  std::uint64_t target_, emitted_ = 0, ops_ = 0, messages_ = 0;
  consim::Rng rng_;
  consim::TraceNames names_;
  std::vector<std::vector<std::int64_t>> held_;
  std::vector<Client> clients_;
  Time now_ = 0;
  bool partitioned_ = false;
  const std::function<void(const TraceEvent&)>* sink_ = nullptr;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t events = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 5'000'000;
  std::uint64_t count = 0;

  Generator dry(events);
  auto start = std::chrono::steady_clock::now();
  dry.run([&](const TraceEvent&) { ++count; });
  const double generate_s = seconds_since(start);

  Generator gen(events);
  const nlohmann::json header = {{"scenario", "bench"}, {"model", "synthetic"}, {"seed", 2024}};
  consim::RunAnalysis analysis(header);
  std::vector<long> rss_per_million;  // peak RSS after each million events
  count = 0;
  start = std::chrono::steady_clock::now();
  gen.run([&](const TraceEvent& e) {
    analysis.on_event(e, gen.names());
    if (++count % 1'000'000 == 0) rss_per_million.push_back(peak_rss_kb());
  });
  const long rss_before_finish = peak_rss_kb();
  const nlohmann::json report = analysis.finish(gen.names());
  const double total_s = seconds_since(start);

  std::printf(
      "events: %llu (%llu ops, %zu phases)\n", static_cast<unsigned long long>(count),
      static_cast<unsigned long long>(report["overall"]["all"]["ok"].get<std::uint64_t>() +
                                      report["overall"]["all"]["info"].get<std::uint64_t>()),
      report["phases"].size());
  std::printf("generation alone: %.2f s (%.2f M events/s)\n", generate_s,
              static_cast<double>(count) / generate_s / 1e6);
  std::printf("generation + analysis: %.2f s (%.2f M events/s)\n", total_s,
              static_cast<double>(count) / total_s / 1e6);
  std::printf("analysis alone: %.2f M events/s\n",
              static_cast<double>(count) / (total_s - generate_s) / 1e6);
  std::printf("peak RSS (KiB) after each million events:");
  for (long kb : rss_per_million) std::printf(" %ld", kb);
  std::printf("\npeak RSS (KiB) before finish(): %ld, after: %ld\n", rss_before_finish,
              peak_rss_kb());
  std::printf("stale-read rate %.4f, lost writes %llu\n",
              report["staleness"]["overall"]["stale_rate"].get<double>(),
              static_cast<unsigned long long>(report["lost_writes"]["count"].get<std::uint64_t>()));
  return 0;
}
