// Stale reads (k and t), t-visibility bins and the bounded latency histogram.
#include <doctest/doctest.h>

#include "analysis/metrics/latency_histogram.h"
#include "analysis/report/run_analysis.h"
#include "tests/unit/trace_builder.h"

using consim::HistOp;
using consim::LatencyHistogram;
using consim::Time;
using consim::testing::phase_entry;
using consim::testing::TraceBuilder;

namespace staleness_test {

namespace {

// Writes a, b, c of key x acknowledged at 10, 20 and 40 ms.
TraceBuilder three_writes() {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 5, 10);
  t.write(2, "x", 2, "n1", 15, 20);
  t.write(3, "x", 3, "n1", 35, 40);
  return t;
}

}  // namespace

TEST_CASE("staleness: a read two versions behind is stale with k = 2 and t = 30 ms") {
  TraceBuilder t = three_writes();
  t.read(4, "x", 1, "n2", 50, 52);
  const nlohmann::json s = t.run()["staleness"]["overall"];
  CHECK(s["reads_ok"] == 1);
  CHECK(s["stale"] == 1);
  CHECK(s["stale_rate"] == 1.0);
  CHECK(s["k"]["histogram"] == nlohmann::json::parse(R"([{"k":2,"count":1}])"));
  CHECK(s["k"]["max"] == 2);
  CHECK(s["t_ms"]["p50"] == 30.0);
  CHECK(s["lower_bounds"] == 0);
}

TEST_CASE("staleness: a read of a write not yet acknowledged is fresh") {
  TraceBuilder t = three_writes();
  t.write(4, "x", 4, "n1", 45, 60);
  t.read(5, "x", 4, "n2", 50, 52);
  const nlohmann::json s = t.run()["staleness"]["overall"];
  CHECK(s["reads_ok"] == 1);
  CHECK(s["stale"] == 0);
  CHECK(s["k"]["max"].is_null());
}

TEST_CASE("staleness: a read of the newest acknowledged write is fresh") {
  TraceBuilder t = three_writes();
  t.read(4, "x", 3, "n2", 50, 52);
  CHECK(t.run()["staleness"]["overall"]["stale"] == 0);
}

TEST_CASE("staleness: a write acknowledged after the read began does not make it stale") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 10);
  t.read(2, "x", 1, "n2", 15, 30);
  t.write(3, "x", 3, "n1", 12, 20);
  CHECK(t.run()["staleness"]["overall"]["stale"] == 0);
}

TEST_CASE("staleness: reading null after acknowledged writes is stale by all of them") {
  TraceBuilder t = three_writes();
  t.read(4, "x", std::nullopt, "n2", 50, 51);
  t.read(5, "y", std::nullopt, "n2", 50, 51);  // y was never written: fresh
  const nlohmann::json s = t.run()["staleness"]["overall"];
  CHECK(s["reads_ok"] == 2);
  CHECK(s["stale"] == 1);
  CHECK(s["k"]["max"] == 3);
  CHECK(s["t_ms"]["max"] == 40.0);
}

TEST_CASE("staleness: a value older than the write window is stale with lower bounds") {
  TraceBuilder t = three_writes();
  t.read(4, "x", 1, "n2", 50, 52);
  consim::AnalysisOptions options;
  options.write_window = 2;  // keeps writes 2 and 3 only
  const nlohmann::json s = t.run(options)["staleness"]["overall"];
  CHECK(s["stale"] == 1);
  CHECK(s["lower_bounds"] == 1);
  CHECK(s["k"]["max"] == 2);
  CHECK(s["t_ms"]["max"] == 30.0);
}

TEST_CASE("staleness: a value never written is unclassified, neither fresh nor stale") {
  TraceBuilder t = three_writes();
  t.read(4, "x", 99, "n2", 50, 52);
  const nlohmann::json s = t.run()["staleness"]["overall"];
  CHECK(s["unclassified"] == 1);
  CHECK(s["stale"] == 0);
}

TEST_CASE("staleness: stale reads are counted in the phase the read was invoked in") {
  TraceBuilder t = three_writes();
  t.partition(45, "p", {{"n1"}, {"n2"}});
  t.read(4, "x", 1, "n2", 50, 52);
  t.read(5, "x", 3, "n1", 30, 46);  // before the partition, fresh at the time
  const nlohmann::json report = t.run();
  CHECK(phase_entry(report["staleness"]["phases"], "before")["stale_rate"] == 0.0);
  CHECK(phase_entry(report["staleness"]["phases"], "during p")["stale"] == 1);
}

TEST_CASE("t-visibility: each read samples every earlier write of its key") {
  // Write a acknowledged at 0, b at 10 ms; a read invoked at 12 ms returns a:
  // (t = 2 ms, stale) for b and (t = 12 ms, fresh) for a.
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 0);
  t.write(2, "x", 2, "n1", 5, 10);
  t.read(3, "x", 1, "n2", 12, 13);
  const nlohmann::json curve = t.run()["t_visibility"]["overall"];
  REQUIRE(curve.size() == 27);
  std::uint64_t samples = 0;
  for (const auto& bin : curve) samples += bin["count"].get<std::uint64_t>();
  CHECK(samples == 2);
  const nlohmann::json& two_ms = curve[7];
  CHECK(two_ms["from_ms"].get<double>() == doctest::Approx(1.584893));
  CHECK(two_ms["count"] == 1);
  CHECK(two_ms["probability"] == 0.0);
  const nlohmann::json& twelve_ms = curve[11];
  CHECK(twelve_ms["from_ms"] == 10.0);
  CHECK(twelve_ms["count"] == 1);
  CHECK(twelve_ms["probability"] == 1.0);
  CHECK(curve[0]["probability"].is_null());
  CHECK(curve[26]["to_ms"].is_null());
}

TEST_CASE("t-visibility: curves during partitions and outside them are kept apart") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 0);
  t.read(2, "x", 1, "n2", 0.05, 1);  // t = 0.05 ms, fresh, outside
  t.partition(100, "p", {{"n1"}, {"n2"}});
  t.write(3, "x", 3, "n1", 100, 100);
  t.read(4, "x", 1, "n2", 150, 151);  // t = 50 ms (stale) and 150 ms (fresh)
  const nlohmann::json v = t.run()["t_visibility"];
  CHECK(v["outside_partition"][0]["count"] == 1);
  CHECK(v["outside_partition"][0]["probability"] == 1.0);
  std::uint64_t during = 0, fresh = 0;
  for (const auto& bin : v["during_partition"]) {
    during += bin["count"].get<std::uint64_t>();
    fresh += bin["fresh"].get<std::uint64_t>();
  }
  CHECK(during == 2);
  CHECK(fresh == 1);
  CHECK(phase_entry(v["phases"], "during p")["partitioned"] == true);
}

TEST_CASE("t-visibility: only the last visibility_window writes before a read are sampled") {
  TraceBuilder t;
  for (int i = 1; i <= 10; ++i) t.write(i, "x", i, "n1", i, i);
  t.read(11, "x", 10, "n2", 20, 21);
  consim::AnalysisOptions options;
  options.visibility_window = 4;
  const nlohmann::json v = t.run(options)["t_visibility"];
  std::uint64_t samples = 0;
  for (const auto& bin : v["overall"]) samples += bin["count"].get<std::uint64_t>();
  CHECK(samples == 4);
  CHECK(v["window_writes"] == 4);
}

TEST_CASE("latency histogram: percentiles are exact for a small run, nearest rank") {
  LatencyHistogram h;
  for (Time ms : {40, 10, 30, 20}) h.add(ms * consim::kMillisecond);
  CHECK(h.exact());
  CHECK(*h.percentile(500) == 20 * consim::kMillisecond);
  CHECK(*h.percentile(950) == 40 * consim::kMillisecond);
  CHECK(*h.percentile(250) == 10 * consim::kMillisecond);
  CHECK_FALSE(LatencyHistogram().percentile(500).has_value());
}

TEST_CASE("latency histogram: past the exact samples, percentiles stay within 1%") {
  LatencyHistogram h;
  // 1..100000 us: the true p50 is 50000 us, p99 99000 us.
  for (Time us = 1; us <= 100000; ++us) h.add(us * consim::kMicrosecond);
  CHECK_FALSE(h.exact());
  const double p50 = static_cast<double>(*h.percentile(500));
  const double p99 = static_cast<double>(*h.percentile(990));
  CHECK(p50 == doctest::Approx(50000.0 * 1000).epsilon(0.01));
  CHECK(p99 == doctest::Approx(99000.0 * 1000).epsilon(0.01));
  CHECK(*h.max() == 100000 * consim::kMicrosecond);
  LatencyHistogram merged;
  merged.merge(h);
  merged.merge(h);
  CHECK(merged.count() == 200000);
  CHECK(*merged.percentile(500) == *h.percentile(500));
}

TEST_CASE("latency histogram: every bucket is narrower than 1/64 of its lower edge") {
  for (Time v : {Time{127}, Time{128}, Time{1000}, Time{123456789}, Time{1} << 40}) {
    const std::size_t b = consim::histogram_bucket_of(v);
    const Time low = consim::histogram_bucket_low(b), high = consim::histogram_bucket_high(b);
    CHECK(low <= v);
    CHECK(v < high);
    CHECK((high - low) * 64 <= std::max<Time>(low, 64));
  }
}

TEST_CASE("staleness: k values past the histogram cap share one entry, mean and max stay exact") {
  TraceBuilder t;
  for (int i = 1; i <= 1100; ++i) t.write(i, "x", i, "n1", i, i);
  t.read(2000, "x", std::nullopt, "n2", 2000, 2001);
  const nlohmann::json k = t.run()["staleness"]["overall"]["k"];
  CHECK(k["histogram"] == nlohmann::json::parse(R"([{"k":1024,"count":1,"or_more":true}])"));
  CHECK(k["max"] == 1100);
  CHECK(k["mean"] == 1100.0);
}

}  // namespace staleness_test
