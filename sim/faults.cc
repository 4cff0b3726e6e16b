// Applying the fault schedule; see faults.h.
#include "sim/faults.h"

#include "sim/partition.h"
#include "sim/trace_writer.h"

namespace consim {
namespace {

const PartitionShape kRandomShapes[] = {PartitionShape::Isolate, PartitionShape::MajorityMinority,
                                        PartitionShape::MajoritiesRing, PartitionShape::Bridge,
                                        PartitionShape::RandomHalves};

FaultSpec draw_fault(const NemesisSpec& n, const Scenario& s, Rng& rng, Time at, int number) {
  FaultSpec f;
  std::string kind = n.kinds[rng.below(n.kinds.size())];
  Time length = n.length.sample_time(rng);
  const std::string& node = s.nodes[rng.below(s.nodes.size())].name;
  f.name = "nemesis " + std::to_string(number) + " (" + kind + ")";
  f.start = at;
  f.end = std::min(at + length, s.duration);
  if (kind == "partition") {
    f.kind = FaultKind::Partition;
    f.partition.shape = kRandomShapes[rng.below(std::size(kRandomShapes))];
  } else if (kind == "crash") {
    f.kind = FaultKind::Crash;
    f.node = node;
  } else if (kind == "pause") {
    f.kind = FaultKind::Pause;
    f.node = node;
  } else {
    f.kind = FaultKind::Clock;
    f.node = node;
    double span = static_cast<double>(2 * n.max_clock_offset);
    f.clock_offset = static_cast<Time>(rng.next_double() * span) - n.max_clock_offset;
    f.end.reset();  // a clock jump stays
  }
  return f;
}

}  // namespace

std::vector<FaultSpec> expand_faults(const Scenario& scenario, Rng rng) {
  std::vector<FaultSpec> out = scenario.faults;
  if (!scenario.nemesis) return out;
  const NemesisSpec& n = *scenario.nemesis;
  Time t = n.start + n.interval.sample_time(rng);
  int number = 1;
  while (t < n.end && t < scenario.duration) {
    FaultSpec f = draw_fault(n, scenario, rng, t, number++);
    Time next_from = f.end.value_or(f.start);
    out.push_back(std::move(f));
    t = next_from + n.interval.sample_time(rng);
  }
  return out;
}

Faults::Faults(EventLoop& loop, TraceWriter& trace, NodeControl& nodes, CutControl& cuts,
               const Scenario& scenario, const NodeNames& names, Rng rng, Rng nemesis_rng)
    : loop_(loop),
      trace_(trace),
      nodes_(nodes),
      cuts_(cuts),
      scenario_(scenario),
      names_(names),
      rng_(rng),
      faults_(expand_faults(scenario, nemesis_rng)) {}

void Faults::start() {
  for (std::uint32_t i = 0; i < faults_.size(); ++i) {
    loop_.schedule_at(faults_[i].start, events::FaultBegins{i});
    if (faults_[i].end && *faults_[i].end < scenario_.duration)
      loop_.schedule_at(*faults_[i].end, events::FaultEnds{i});
  }
}

void Faults::install_cuts() {
  std::vector<const BlockMatrix*> blocks;
  for (const auto& [index, matrix] : active_partitions_) blocks.push_back(&matrix);
  cuts_.set_cuts(union_blocks(blocks, names_.size()));
}

void Faults::begin(std::uint32_t index) {
  const FaultSpec& f = faults_[index];
  Time now = loop_.now();
  auto& trace = trace_;
  if (f.kind == FaultKind::Partition) {
    BlockMatrix m = compile_partition(f.partition, scenario_.nodes, rng_);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> cuts;
    for (std::uint32_t a = 0; a < m.size(); ++a)
      for (std::uint32_t b = 0; b < m.size(); ++b)
        if (m[a][b]) cuts.emplace_back(a, b);
    active_partitions_[index] = std::move(m);
    install_cuts();
    trace.partition(now, f.name, shape_name(f.partition.shape), cuts_.sides(), cuts);
    return;
  }
  NodeId node = *names_.find(f.node);
  switch (f.kind) {
    case FaultKind::Crash:
      trace.fault(now, "crash", f.name, node);
      nodes_.crash(node);
      break;
    case FaultKind::Pause:
      trace.fault(now, "pause", f.name, node);
      nodes_.pause(node);
      break;
    default:
      nodes_.set_clock(node, f.clock_offset, f.clock_drift_ppm);
      trace.clock(now, f.name, node, nodes_.clock_offset(node), nodes_.drift_ppm(node));
      break;
  }
}

void Faults::end(std::uint32_t index) {
  const FaultSpec& f = faults_[index];
  Time now = loop_.now();
  auto& trace = trace_;
  if (f.kind == FaultKind::Partition) {
    active_partitions_.erase(index);
    trace.fault(now, "heal", f.name, std::nullopt);
    install_cuts();
    return;
  }
  NodeId node = *names_.find(f.node);
  if (f.kind == FaultKind::Crash) {
    trace.fault(now, "restart", f.name, node);
    nodes_.restart(node);
  } else if (f.kind == FaultKind::Pause) {
    trace.fault(now, "resume", f.name, node);
    nodes_.resume(node);
  }
}

}  // namespace consim
