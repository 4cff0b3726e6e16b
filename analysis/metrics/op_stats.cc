// Outcome counts and latency histograms per operation type.
#include "analysis/metrics/op_stats.h"

#include <nlohmann/json.hpp>

namespace consim {

void OutcomeCounts::add(Outcome outcome) {
  switch (outcome) {
    case Outcome::Ok:
      ++ok;
      break;
    case Outcome::Fail:
      ++fail;
      break;
    case Outcome::Info:
      ++info;
      break;
  }
}

void OutcomeCounts::merge(const OutcomeCounts& other) {
  ok += other.ok;
  fail += other.fail;
  info += other.info;
}

void TypeStats::merge(const TypeStats& other) {
  counts.merge(other.counts);
  latency.merge(other.latency);
}

void OpStats::add(HistOp f, Outcome outcome, Time latency) {
  TypeStats& stats = f == HistOp::Read ? read_ : write_;
  stats.counts.add(outcome);
  if (outcome == Outcome::Ok) stats.latency.add(latency);
}

void OpStats::merge(const OpStats& other) {
  read_.merge(other.read_);
  write_.merge(other.write_);
}

nlohmann::json ratio_json(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return nullptr;
  return static_cast<double>(part) / static_cast<double>(whole);
}

nlohmann::json ms_json(std::optional<Time> t) {
  if (!t) return nullptr;
  return to_ms(*t);
}

nlohmann::json percentiles_json(const LatencyHistogram& histogram) {
  return {{"p50", ms_json(histogram.percentile(500))},
          {"p95", ms_json(histogram.percentile(950))},
          {"p99", ms_json(histogram.percentile(990))},
          {"max", ms_json(histogram.max())}};
}

namespace {

nlohmann::json type_json(const TypeStats& stats) {
  return {{"ok", stats.counts.ok},
          {"fail", stats.counts.fail},
          {"info", stats.counts.info},
          {"availability", ratio_json(stats.counts.ok, stats.counts.total())},
          {"latency_ms", percentiles_json(stats.latency)}};
}

}  // namespace

nlohmann::json OpStats::to_json() const {
  TypeStats all = read_;
  all.merge(write_);
  return {{"read", type_json(read_)}, {"write", type_json(write_)}, {"all", type_json(all)}};
}

}  // namespace consim
