// Throughput of the CRDTs of models/crdt/ (local operations and merges, per
// kind) and of the cart and counter checker cores (operations judged per
// second; issue 10 asks for at least 1 M/s on one core). Inputs are drawn
// from a fixed seed before the clock starts; each figure is the best of 3
// runs, in CPU seconds (std::clock: the machine is shared, so wall time
// would measure the neighbours). This program may read the clock: it times
// itself and nothing else does.
//
// Usage: crdt_bench [checker ops]   (default 2000000)
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

}  // namespace

int main(int argc, char** argv) {
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2000000;
  bench_sets();
  bench_counters();
  bench_checkers(n);
  return 0;
}
