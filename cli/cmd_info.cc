// `consim validate` and `consim list`: describe what a scenario sets up, and
// what the registry offers.
#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "analysis/report/metric_registry.h"
#include "base/distribution.h"
#include "base/text_table.h"
#include "cli/commands.h"
#include "cli/exit_codes.h"
#include "cli/scenario_sets.h"
#include "models/registry.h"
#include "sim/fault_kind.h"
#include "sim/faults.h"
#include "sim/partition.h"
#include "sim/scenario_loader.h"

namespace consim::cli {
namespace {

void print_fault(const FaultSpec& f) {
  std::string what = std::string(f.kind->name) + " " + f.effect->summary();
  std::printf("  %-28s %-36s %s .. %s\n", f.name.c_str(), what.c_str(),
              format_duration(f.start).c_str(), f.end ? format_duration(*f.end).c_str() : "end");
}

std::string number(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", x);
  return buf;
}

std::string describe_link(const LinkSpec& l) {
  char rest[64];
  std::snprintf(rest, sizeof rest, ", loss %g, duplicate %g", l.loss, l.duplicate);
  return l.latency.describe() + rest;
}

void print_network(const Scenario& s) {
  const TopologySpec& t = s.topology;
  std::string shape = !t.regions.empty() ? std::to_string(t.regions.size()) + " regions"
                      : t.mesh           ? "full mesh"
                                         : "explicit links";
  const char* routing = t.routing == Routing::Direct ? "direct" : "shortest-path";
  std::printf("network: %s, %s routing; default link %s\n", shape.c_str(), routing,
              describe_link(t.default_link).c_str());
  if (!t.regions.empty())
    std::printf("  between regions: %s\n", describe_link(t.inter_region).c_str());
  if (!t.links.empty()) std::printf("  %zu explicit links\n", t.links.size());
  std::printf("  client link %s; cut messages are %s\n", s.client_latency.describe().c_str(),
              s.cut_policy == CutPolicy::Drop ? "dropped" : "held until the heal");
}

std::string describe_loop(const WorkloadSpec& w) {
  return w.loop == LoopKind::Closed
             ? "closed loop, think time " + w.think_time.describe()
             : "open loop, " + number(w.rate_per_second) + " ops/s per client";
}

void print_workload(const Scenario& s) {
  const WorkloadSpec& w = s.workload;
  std::string keys =
      std::to_string(w.keys) + " keys " +
      (w.key_distribution == KeyDistribution::Uniform ? std::string("uniform")
                                                      : "zipf(" + number(w.zipf_exponent) + ")");
  std::printf("workload: %zu clients, %s, read fraction %.2f, %s, timeout %s\n", s.clients.size(),
              keys.c_str(), w.read_fraction, describe_loop(w).c_str(),
              format_duration(w.timeout).c_str());
  if (const auto& b = w.bank)
    std::printf(
        "  bank: %llu accounts of %lld, amounts uniform [%lld, %lld], %.0f%% transfers, negative "
        "balances %s; transfers stop at %s, final reads at %s\n",
        static_cast<unsigned long long>(b->accounts), static_cast<long long>(b->initial_balance),
        static_cast<long long>(b->amount_min), static_cast<long long>(b->amount_max),
        100 * b->transfer_fraction, b->negative_allowed ? "allowed" : "forbidden",
        format_duration(w.stop.value_or(s.duration)).c_str(),
        format_duration(w.final_reads.value_or(s.duration)).c_str());
  if (w.bank && w.bank->audit_every)
    std::printf("  audits every %s from %s (settle %s): every account read, money judged\n",
                format_duration(*w.bank->audit_every).c_str(), format_duration(w.start).c_str(),
                format_duration(w.bank->audit_settle).c_str());
  if (w.type == WorkloadType::Set)
    std::printf("  set: items %llu..%llu, remove fraction %.2f; final reads at %s\n",
                static_cast<unsigned long long>(w.items_first),
                static_cast<unsigned long long>(w.items_first + w.items - 1), w.remove_fraction,
                format_duration(w.final_reads.value_or(s.duration)).c_str());
  if (w.type == WorkloadType::Counter)
    std::printf("  counter: decrement fraction %.2f; final reads at %s\n", w.decrement_fraction,
                format_duration(w.final_reads.value_or(s.duration)).c_str());
  for (const ClientGroup& g : s.groups) {
    std::string nodes;
    for (const auto& n : g.nodes) nodes += " " + n;
    const WorkloadSpec& gw = g.workload;
    std::printf("  group %s: clients %zu-%zu at%s, read fraction %.2f, %s, timeout %s\n",
                g.name.c_str(), g.first_client, g.first_client + g.count - 1, nodes.c_str(),
                gw.read_fraction, describe_loop(gw).c_str(), format_duration(gw.timeout).c_str());
  }
}

}  // namespace

int validate_command(const std::string& path, std::optional<std::uint64_t> seed,
                     const std::vector<std::string>& sets) {
  Scenario s = scenario_to_run(path, sets, std::nullopt);
  if (seed) s.seed = *seed;
  std::printf("%s: ok\n", path.c_str());
  std::printf("scenario %s, seed %llu, duration %s\n", s.name.c_str(),
              static_cast<unsigned long long>(s.seed), format_duration(s.duration).c_str());
  std::printf("%zu nodes, model %s %s\n", s.nodes.size(), s.model_name.c_str(),
              s.model_config->to_json().dump().c_str());
  print_network(s);
  print_workload(s);
  std::vector<FaultSpec> faults = expand_faults(s, Rng(s.seed).fork("nemesis"));
  std::printf("%zu fault%s%s%s\n", faults.size(), faults.size() == 1 ? "" : "s",
              s.nemesis ? " (nemesis included)" : "", faults.empty() ? "" : ":");
  for (const auto& f : faults) print_fault(f);
  return kExitOk;
}

int list_command() {
  std::vector<std::pair<std::string, std::string>> models, shapes, distributions;
  for (const auto& m : model_registry()) {
    // A model of another workload than the register one says which (workload.type).
    const bool plain = m.workloads.size() == 1 && m.workloads.front() == "register";
    models.emplace_back(
        m.name, m.description + (plain ? "" : " [workload: " + join_names(m.workloads) + "]"));
  }
  for (const auto& s : partition_shapes()) shapes.emplace_back(s.name, s.description);
  for (const auto& d : distribution_kinds()) distributions.emplace_back(d.name, d.description);
  std::printf("store models (\"model\": {\"name\": ...}):\n%s", name_list(models).c_str());
  std::vector<std::pair<std::string, std::string>> kinds;
  for (const FaultKindEntry* k : fault_kinds()) kinds.emplace_back(k->name, k->description);
  std::printf("\nfault kinds (\"type\": ...):\n%s", name_list(kinds).c_str());
  std::printf("\npartition shapes (\"shape\": ...):\n%s", name_list(shapes).c_str());
  std::printf("\ndistributions (\"type\": ...):\n%s", name_list(distributions).c_str());
  std::vector<std::pair<std::string, std::string>> checkers, metrics;
  for (const auto& c : checker_registry())
    checkers.emplace_back(std::string(c.name), std::string(c.description));
  for (const auto& m : metric_registry())
    metrics.emplace_back(std::string(m.name), std::string(m.description));
  std::printf("\ncheckers (check --consistency, run/compare/analyze --checkers):\n%s",
              name_list(checkers).c_str());
  std::printf("\nmetrics (sections of report.json):\n%s", name_list(metrics).c_str());
  return kExitOk;
}

}  // namespace consim::cli
