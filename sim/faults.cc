// Applying the fault schedule; see faults.h.
#include "sim/faults.h"

#include "sim/partition.h"
#include "sim/world.h"

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

Faults::Faults(World& world)
    : world_(world),
      sink_(world.loop.add_sink(this)),
      rng_(world.root.fork("faults")),
      faults_(expand_faults(world.scenario, world.root.fork("nemesis"))) {}

void Faults::start() {
  for (std::uint32_t i = 0; i < faults_.size(); ++i) {
    world_.loop.schedule_at(faults_[i].start, sink_, i, 0);
    if (faults_[i].end && *faults_[i].end < world_.scenario.duration)
      world_.loop.schedule_at(*faults_[i].end, sink_, i, 1);
  }
}

void Faults::on_event(std::uint32_t index, std::uint64_t is_end) {
  if (is_end)
    end(index);
  else
    begin(index);
}

void Faults::install_cuts() {
  std::vector<const BlockMatrix*> blocks;
  for (const auto& [index, matrix] : active_partitions_) blocks.push_back(&matrix);
  world_.topology.set_blocked(union_blocks(blocks, world_.nodes.size()));
  world_.transport.cuts_changed();
}

void Faults::begin(std::uint32_t index) {
  const FaultSpec& f = faults_[index];
  Time now = world_.loop.now();
  auto& trace = world_.trace;
  if (f.kind == FaultKind::Partition) {
    BlockMatrix m = compile_partition(f.partition, world_.scenario.nodes, rng_);
    std::vector<std::pair<std::uint32_t, std::uint32_t>> cuts;
    for (std::uint32_t a = 0; a < m.size(); ++a)
      for (std::uint32_t b = 0; b < m.size(); ++b)
        if (m[a][b]) cuts.emplace_back(a, b);
    active_partitions_[index] = std::move(m);
    install_cuts();
    trace.partition(now, f.name, shape_name(f.partition.shape), world_.topology.sides(), cuts);
    return;
  }
  NodeId node = *world_.topology.find(f.node);
  NodeRuntime& rt = *world_.nodes[node];
  switch (f.kind) {
    case FaultKind::Crash:
      trace.fault(now, "crash", f.name, node);
      rt.crash();
      break;
    case FaultKind::Pause:
      trace.fault(now, "pause", f.name, node);
      rt.pause();
      break;
    default:
      rt.set_clock(f.clock_offset, f.clock_drift_ppm);
      trace.clock(now, f.name, node, rt.clock_offset(), rt.drift_ppm());
      break;
  }
}

void Faults::end(std::uint32_t index) {
  const FaultSpec& f = faults_[index];
  Time now = world_.loop.now();
  auto& trace = world_.trace;
  if (f.kind == FaultKind::Partition) {
    active_partitions_.erase(index);
    trace.fault(now, "heal", f.name, std::nullopt);
    install_cuts();
    return;
  }
  NodeId node = *world_.topology.find(f.node);
  NodeRuntime& rt = *world_.nodes[node];
  if (f.kind == FaultKind::Crash) {
    trace.fault(now, "restart", f.name, node);
    rt.restart();
  } else if (f.kind == FaultKind::Pause) {
    trace.fault(now, "resume", f.name, node);
    rt.resume();
  }
}

}  // namespace consim
