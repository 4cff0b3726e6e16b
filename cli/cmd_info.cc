// `consim validate` and `consim list`: describe what a scenario sets up, and
// what the registry offers.
#include <cstdio>

#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "models/registry.h"
#include "sim/distribution.h"
#include "sim/faults.h"
#include "sim/partition.h"
#include "sim/scenario_loader.h"

namespace consim::cli {
namespace {

const char* fault_kind(FaultKind k) {
  switch (k) {
    case FaultKind::Partition:
      return "partition";
    case FaultKind::Crash:
      return "crash";
    case FaultKind::Pause:
      return "pause";
    case FaultKind::Clock:
      return "clock";
  }
  return "fault";
}

void print_fault(const FaultSpec& f) {
  std::string what = fault_kind(f.kind);
  if (f.kind == FaultKind::Partition)
    what += " (" + std::string(shape_name(f.partition.shape)) + ")";
  else
    what += " of " + f.node;
  std::printf("  %-28s %-36s %s .. %s\n", f.name.c_str(), what.c_str(),
              format_duration(f.start).c_str(), f.end ? format_duration(*f.end).c_str() : "end");
}

}  // namespace

int validate_command(const std::string& path) {
  Scenario s = load_scenario(path);
  std::printf("%s: ok\n", path.c_str());
  std::printf("scenario %s, seed %llu, duration %s\n", s.name.c_str(),
              static_cast<unsigned long long>(s.seed), format_duration(s.duration).c_str());
  std::printf("%zu nodes, model %s, %zu clients, %llu keys, read fraction %.2f\n", s.nodes.size(),
              s.model_name.c_str(), s.clients.size(),
              static_cast<unsigned long long>(s.workload.keys), s.workload.read_fraction);
  std::vector<FaultSpec> faults = expand_faults(s, Rng(s.seed).fork("nemesis"));
  std::printf("%zu faults%s:\n", faults.size(), s.nemesis ? " (nemesis included)" : "");
  for (const auto& f : faults) print_fault(f);
  return kExitOk;
}

int list_command() {
  std::printf("store models (\"model\": {\"name\": ...}):\n");
  for (const auto& m : model_registry())
    std::printf("  %-16s %s\n", m.name.c_str(), m.description.c_str());
  std::printf("\npartition shapes (\"shape\": ...):\n");
  for (const auto& s : partition_shapes()) std::printf("  %-18s %s\n", s.name, s.description);
  std::printf("\ndistributions (\"type\": ...):\n");
  for (const auto& d : distribution_kinds()) std::printf("  %-12s %s\n", d.name, d.description);
  return kExitOk;
}

}  // namespace consim::cli
