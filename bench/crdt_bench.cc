// Throughput of the CRDTs of models/crdt/ (local operations and merges, per
// kind) and of the cart and counter checker cores (operations judged per
// second; issue 10 asks for at least 1 M/s on one core). Inputs are drawn
// from a fixed seed before the clock starts; each figure is the best of 3
// runs, in CPU seconds (std::clock: the machine is shared, so wall time
// would measure the neighbours). This program may read the clock: it times
// itself and nothing else does.
//
// The loader path: the same histories written as a consim trace would
// write them (invoke and ok lines with integer keys and items, final reads
// at the end, in a temporary file), then read by the trace reader into a
// History and judged: operations per CPU second of reading plus checking.
//
// Usage: crdt_bench [--loader] [checker ops]   (default 2000000; --loader:
// the loader path only)
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "analysis/checkers/cart_check.h"
#include "analysis/checkers/counter_check.h"
#include "analysis/trace/history_loader.h"
#include "analysis/trace/trace_reader.h"
#include "base/rng.h"
#include "models/crdt/any_counter.h"
#include "models/crdt/any_set.h"

namespace {

namespace crdt = consim::crdt;
namespace oh = consim::ophistory;

// Best of 3 CPU seconds of fn().
double best_seconds(const std::function<void()>& fn) {
  double best = 1e300;
  for (int run = 0; run < 3; ++run) {
    const std::clock_t start = std::clock();
    fn();
    best = std::min(best, static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC);
  }
  return best;
}

std::string item_name(std::uint64_t i) { return "item-" + std::to_string(i); }

std::vector<crdt::SetOp> set_ops(std::size_t n, std::uint64_t items, consim::Rng& rng) {
  std::vector<crdt::SetOp> ops;
  for (std::size_t i = 0; i < n; ++i) {
    const auto kind = rng.chance(0.6) ? crdt::SetOpKind::Add : crdt::SetOpKind::Remove;
    ops.push_back({kind, static_cast<crdt::Replica>(rng.below(3)), item_name(rng.below(items)),
                   static_cast<std::int64_t>(i)});
  }
  return ops;
}

void bench_sets() {
  constexpr std::size_t kOps = 300000;
  constexpr std::uint64_t kItems = 100;
  std::printf("%-18s %14s %16s\n", "set kind", "apply ops/s", "merges/s (100)");
  for (const auto& info : crdt::set_kinds()) {
    consim::Rng rng(42);
    const auto ops = set_ops(kOps, kItems, rng);
    const double apply_s = best_seconds([&] {
      crdt::AnySet s(info.kind);
      for (const auto& op : ops) s.apply(op);
      if (s.items().size() > kItems) std::abort();
    });
    // Two replicas diverged by 2,000 ops each over a common past of 2,000;
    // each timed merge joins a fresh copy of one into the other.
    crdt::AnySet base(info.kind);
    for (std::size_t i = 0; i < 2000; ++i) base.apply(ops[i]);
    crdt::AnySet a = base, b = base;
    for (std::size_t i = 2000; i < 6000; ++i) {
      auto op = ops[i];
      op.replica = i < 4000 ? 0 : 1;
      (i < 4000 ? a : b).apply(op);
    }
    constexpr int kMerges = 20000;
    const double merge_s = best_seconds([&] {
      for (int i = 0; i < kMerges; ++i) {
        crdt::AnySet copy = a;
        copy.merge(b);
        if (copy.items().size() > kItems) std::abort();
      }
    });
    std::printf("%-18s %14.0f %16.0f\n", std::string(info.name).c_str(),
                static_cast<double>(kOps) / apply_s, kMerges / merge_s);
  }
}

void bench_counters() {
  constexpr std::size_t kOps = 2000000;
  std::printf("%-18s %14s %16s\n", "counter kind", "apply ops/s", "merges/s (5 r)");
  for (const auto& info : crdt::counter_kinds()) {
    consim::Rng rng(43);
    std::vector<crdt::CounterOp> ops;
    for (std::size_t i = 0; i < kOps; ++i) {
      const auto delta = static_cast<std::int64_t>(rng.below(3));
      ops.push_back({static_cast<crdt::Replica>(rng.below(5)),
                     info.decrements && rng.chance(0.3) ? -delta : delta});
    }
    const double apply_s = best_seconds([&] {
      crdt::AnyCounter c(info.kind);
      for (const auto& op : ops) c.apply(op);
      if (c.value() == INT64_MIN) std::abort();
    });
    crdt::AnyCounter a(info.kind), b(info.kind);
    for (std::size_t i = 0; i < 1000; ++i) (i % 2 ? a : b).apply(ops[i]);
    constexpr int kMerges = 500000;
    const double merge_s = best_seconds([&] {
      for (int i = 0; i < kMerges; ++i) {
        crdt::AnyCounter copy = a;
        copy.merge(b);
        if (copy.value() == INT64_MIN) std::abort();
      }
    });
    std::printf("%-18s %14.0f %16.0f\n", std::string(info.name).c_str(),
                static_cast<double>(kOps) / apply_s, kMerges / merge_s);
  }
}

// A valid cart history: 100 carts of 50 items, adds and removes applied in
// invoke order to a single copy, overlapping intervals, one final read per
// cart from each of 3 replicas.
oh::SetHistory cart_history(std::size_t n) {
  consim::Rng rng(44);
  oh::SetHistory h;
  std::vector<std::set<std::string>> carts(100);
  for (std::size_t i = 0; i < n; ++i) {
    const auto cart = rng.below(100);
    const auto f = rng.chance(0.6) ? oh::SetF::Add : oh::SetF::Remove;
    std::string item = "\"" + item_name(rng.below(50)) + "\"";
    const auto t = static_cast<std::int64_t>(i) * 10;
    if (f == oh::SetF::Add) {
      carts[cart].insert(item);
    } else {
      carts[cart].erase(item);
    }
    h.ops.push_back({f, "cart/" + std::to_string(cart), std::move(item), t,
                     t + 5 + static_cast<std::int64_t>(rng.below(20)), oh::Status::Ok, true,
                     i + 1});
  }
  for (std::size_t c = 0; c < carts.size(); ++c) {
    for (int r = 0; r < 3; ++r) {
      h.final_reads.push_back({"cart/" + std::to_string(c),
                               "n" + std::to_string(r + 1),
                               {carts[c].begin(), carts[c].end()},
                               n + c * 3 + r + 1});
    }
  }
  return h;
}

oh::CounterHistory counter_history(std::size_t n) {
  consim::Rng rng(45);
  oh::CounterHistory h;
  std::vector<std::int64_t> values(100, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const auto key = rng.below(100);
    const auto t = static_cast<std::int64_t>(i) * 10;
    const bool read = rng.chance(0.2);
    const std::int64_t delta = static_cast<std::int64_t>(rng.below(5)) - 1;
    if (!read) values[key] += delta;
    h.ops.push_back({read ? oh::CounterF::Read : oh::CounterF::Incr, "likes/" + std::to_string(key),
                     read ? values[key] : delta, t, t + 5, oh::Status::Ok, false, i + 1});
  }
  for (std::size_t k = 0; k < values.size(); ++k) {
    const auto t = static_cast<std::int64_t>(n) * 10 + 100;
    h.ops.push_back({oh::CounterF::Read, "likes/" + std::to_string(k), values[k], t, t + 1,
                     oh::Status::Ok, true, n + k + 1});
  }
  return h;
}

void bench_checkers(std::size_t n) {
  const auto carts = cart_history(n);
  bool valid = true;
  const double cart_s = best_seconds(
      [&] { valid = consim::check_cart(carts).result.verdict == consim::Verdict::Valid; });
  const auto counters = counter_history(n);
  bool counter_valid = true;
  const double counter_s = best_seconds([&] {
    counter_valid = consim::check_counter(counters).result.verdict == consim::Verdict::Valid;
  });
  std::printf("cart checker:    %zu ops in %.3f s: %.2f M ops/s (%s)\n", carts.ops.size(), cart_s,
              static_cast<double>(carts.ops.size()) / cart_s / 1e6, valid ? "valid" : "INVALID");
  std::printf("counter checker: %zu ops in %.3f s: %.2f M ops/s (%s)\n", counters.ops.size(),
              counter_s, static_cast<double>(counters.ops.size()) / counter_s / 1e6,
              counter_valid ? "valid" : "INVALID");
  if (!valid || !counter_valid) std::exit(1);
}

// Writes `h` as JSON Lines the way the simulator does: cart c is key c, item
// "item-k" is k (the prefix dropped), 16 processes (as many clients), each op completed before its
// next.
void write_cart_trace(const oh::SetHistory& h, const char* path) {
  std::FILE* f = std::fopen(path, "wb");
  if (!f) std::abort();
  std::fputs(
      "{\"type\":\"header\",\"format\":\"consim-trace\",\"version\":1,"
      "\"source\":{\"workload\":{\"type\":\"set\"}}}\n",
      f);
  auto item = [](const std::string& quoted) { return quoted.substr(6, quoted.size() - 7); };
  auto key = [](const std::string& k) { return k.substr(k.find('/') + 1); };
  std::uint64_t op = 0;
  for (const auto& o : h.ops) {
    const char* fname = o.f == oh::SetF::Add ? "add" : "remove";
    ++op;
    std::fprintf(f,
                 "{\"type\":\"invoke\",\"time\":%lld,\"op\":%llu,\"process\":%llu,\"client\":0,"
                 "\"f\":\"%s\",\"key\":%s,\"value\":%s,\"node\":\"n1\"}\n",
                 static_cast<long long>(o.invoke), static_cast<unsigned long long>(op),
                 static_cast<unsigned long long>(op % 16), fname, key(o.key).c_str(),
                 item(o.item).c_str());
    std::fprintf(f,
                 "{\"type\":\"ok\",\"time\":%lld,\"op\":%llu,\"process\":%llu,\"client\":0,"
                 "\"f\":\"%s\",\"key\":%s,\"value\":%s%s,\"node\":\"n1\"}\n",
                 static_cast<long long>(o.invoke), static_cast<unsigned long long>(op),
                 static_cast<unsigned long long>(op % 16), fname, key(o.key).c_str(),
                 item(o.item).c_str(), o.f == oh::SetF::Remove ? ",\"result\":true" : "");
  }
  const long long end = h.ops.empty() ? 0 : static_cast<long long>(h.ops.back().invoke) + 100;
  for (const auto& r : h.final_reads) {
    std::string items;
    for (const auto& i : r.items) items += (items.empty() ? "" : ",") + item(i);
    ++op;
    for (const char* type : {"invoke", "ok"})
      std::fprintf(f,
                   "{\"type\":\"%s\",\"time\":%lld,\"op\":%llu,\"process\":%llu,\"client\":0,"
                   "\"f\":\"read\",\"key\":%s,\"value\":%s,\"final\":true,\"node\":\"%s\"}\n",
                   type, end, static_cast<unsigned long long>(op),
                   static_cast<unsigned long long>(op % 16), key(r.key).c_str(),
                   type[0] == 'o' ? ("[" + items + "]").c_str() : "null", r.where.c_str());
  }
  std::fclose(f);
}

void write_counter_trace(const oh::CounterHistory& h, const char* path) {
  std::FILE* f = std::fopen(path, "wb");
  if (!f) std::abort();
  std::fputs(
      "{\"type\":\"header\",\"format\":\"consim-trace\",\"version\":1,"
      "\"source\":{\"workload\":{\"type\":\"counter\"}}}\n",
      f);
  std::uint64_t op = 0;
  for (const auto& o : h.ops) {
    const bool read = o.f == oh::CounterF::Read;
    const std::string key = o.key.substr(o.key.find('/') + 1);
    ++op;
    for (const char* type : {"invoke", "ok"}) {
      const bool ok = type[0] == 'o';
      std::string value = read && !ok ? "null" : std::to_string(o.value);
      std::fprintf(f,
                   "{\"type\":\"%s\",\"time\":%lld,\"op\":%llu,\"process\":%llu,\"client\":0,"
                   "\"f\":\"%s\",\"key\":%s,\"value\":%s%s,\"node\":\"n1\"}\n",
                   type, static_cast<long long>(ok && !o.final ? o.complete : o.invoke),
                   static_cast<unsigned long long>(op), static_cast<unsigned long long>(op % 16),
                   read ? "read" : "incr", key.c_str(), value.c_str(),
                   o.final ? ",\"final\":true" : "");
    }
  }
  std::fclose(f);
}

// Ops per CPU second through the trace reader and the history builder,
// then the checker (the file written beforehand, not timed).
void bench_loader(std::size_t n) {
  const std::string dir = std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp";
  const std::string cart_path = dir + "/crdt_bench_cart.jsonl";
  const std::string counter_path = dir + "/crdt_bench_counter.jsonl";
  const auto carts = cart_history(n);
  write_cart_trace(carts, cart_path.c_str());
  const auto counters = counter_history(n);
  write_counter_trace(counters, counter_path.c_str());
  bool valid = true, counter_valid = true;
  std::size_t cart_ops = 0, counter_ops = 0;
  const double cart_s = best_seconds([&] {
    consim::History h = consim::load_history(cart_path);
    cart_ops = h.sets.ops.size();
    valid = cart_ops == carts.ops.size() &&
            consim::check_cart(h.sets).result.verdict == consim::Verdict::Valid;
  });
  const double counter_s = best_seconds([&] {
    consim::History h = consim::load_history(counter_path);
    counter_ops = h.counters.ops.size();
    counter_valid = counter_ops == counters.ops.size() &&
                    consim::check_counter(h.counters).result.verdict == consim::Verdict::Valid;
  });
  std::size_t lines = 0;
  const double read_s = best_seconds([&] {
    consim::TraceReader reader(cart_path);
    consim::TraceEvent e;
    lines = 0;
    while (reader.next(e)) ++lines;
  });
  double load_s = best_seconds([&] { cart_ops = consim::load_history(cart_path).sets.ops.size(); });
  std::remove(cart_path.c_str());
  std::remove(counter_path.c_str());
  std::printf(
      "  of which the cart trace's reader alone: %zu lines in %.3f s (%.2f M lines/s); "
      "reader and history builder: %.3f s\n",
      lines, read_s, static_cast<double>(lines) / read_s / 1e6, load_s);
  std::printf("trace -> cart checker:    %zu ops in %.3f s: %.2f M ops/s (%s)\n", cart_ops, cart_s,
              static_cast<double>(cart_ops) / cart_s / 1e6, valid ? "valid" : "INVALID");
  std::printf("trace -> counter checker: %zu ops in %.3f s: %.2f M ops/s (%s)\n", counter_ops,
              counter_s, static_cast<double>(counter_ops) / counter_s / 1e6,
              counter_valid ? "valid" : "INVALID");
  if (!valid || !counter_valid) std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
  const bool loader_only = argc > 1 && std::string(argv[1]) == "--loader";
  const int first = loader_only ? 2 : 1;
  const std::size_t n = argc > first ? std::strtoull(argv[first], nullptr, 10) : 2000000;
  if (!loader_only) {
    bench_sets();
    bench_counters();
    bench_checkers(n);
  }
  bench_loader(n);
  return 0;
}
