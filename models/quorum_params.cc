// Strict parsing of the quorum model's parameters (docs/models.md, "quorum")
// and its consistent-hashing ring.
//
// Invariants: 1 <= n <= the node count, 1 <= r, w <= n (defaults: n = the
// node count, r = w = n/2 + 1, a strict majority quorum);
// sloppy quorums need preferred replicas (not replica_choice random); the
// ring's hash is fixed (FNV-1a then a splitmix64 finaliser), so a key's
// preference list depends only on the node names, never on the run.
#include <algorithm>
#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>

#include "models/quorum.h"
#include "models/quorum_parts.h"

namespace consim {
namespace quorum {
namespace {

constexpr std::array<std::string_view, 2> kReadTargets = {"all", "r"};
constexpr std::array<std::string_view, 2> kVersions = {"clock", "quorum-read"};
constexpr std::array<std::string_view, 3> kReadRepair = {"off", "async", "blocking"};
constexpr std::array<std::string_view, 2> kReplicaChoice = {"preferred", "random"};

std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

std::size_t count_param(const JsonReader& params, std::string_view key, std::size_t max,
                        std::size_t fallback, const std::string& bound) {
  if (!params.has(key)) return fallback;
  std::int64_t v = params.integer(key, INT64_MIN, INT64_MAX);
  if (v < 1 || static_cast<std::size_t>(v) > max)
    params.fail_at(key, "must be from 1 to " + std::to_string(max) + " (" + bound + "), got " +
                            std::to_string(v));
  return static_cast<std::size_t>(v);
}

}  // namespace

nlohmann::json Config::to_json() const {
  nlohmann::json j = {{"n", n},
                      {"r", r},
                      {"w", w},
                      {"read_targets", name_of(read_targets, kReadTargets)},
                      {"versions", name_of(versions, kVersions)},
                      {"read_repair", name_of(read_repair, kReadRepair)},
                      {"replica_choice", name_of(replica_choice, kReplicaChoice)},
                      {"sloppy", sloppy},
                      {"request_timeout", format_duration(request_timeout)},
                      {"suspect_timeout", format_duration(suspect_timeout)},
                      {"virtual_nodes", virtual_nodes},
                      {"retry_initial", format_duration(retry_initial)},
                      {"retry_max", format_duration(retry_max)},
                      {"conflict", std::string(conflict::strategy_name(conflict))},
                      {"anti_entropy", anti_entropy_param_text(anti_entropy)}};
  crdt.to_json(j);
  return j;
}

Ring::Ring(const std::vector<std::string>& names, std::size_t virtual_nodes)
    : nodes_(names.size()) {
  for (NodeId id = 0; id < names.size(); ++id)
    for (std::size_t i = 0; i < virtual_nodes; ++i)
      tokens_.emplace_back(mix(fnv1a(names[id] + "#" + std::to_string(i))), id);
  std::sort(tokens_.begin(), tokens_.end());
}

std::vector<NodeId> Ring::walk(Key key) const {
  std::uint64_t at = mix(key ^ 0x6b6579ULL);
  auto it = std::lower_bound(tokens_.begin(), tokens_.end(), std::make_pair(at, NodeId{0}));
  std::vector<NodeId> out;
  std::vector<bool> met(nodes_, false);
  for (std::size_t step = 0; step < tokens_.size() && out.size() < nodes_; ++step, ++it) {
    if (it == tokens_.end()) it = tokens_.begin();
    if (!met[it->second]) {
      met[it->second] = true;
      out.push_back(it->second);
    }
  }
  return out;
}

}  // namespace quorum

std::shared_ptr<const ModelConfig> parse_quorum_params(const JsonReader& params,
                                                       const ModelScenario& scenario) {
  using namespace quorum;
  params.allow_only({"n", "r", "w", "read_targets", "versions", "read_repair", "replica_choice",
                     "sloppy", "request_timeout", "suspect_timeout", "virtual_nodes",
                     "retry_initial", "retry_max", "conflict", "anti_entropy", "set", "counter"});
  auto c = std::make_shared<Config>();
  std::size_t nodes = scenario.node_count();
  c->n = count_param(params, "n", nodes, nodes,
                     "the scenario has " + std::to_string(nodes) + " nodes");
  std::string of_n = "at most n = " + std::to_string(c->n);
  c->r = count_param(params, "r", c->n, c->n / 2 + 1, of_n);
  c->w = count_param(params, "w", c->n, c->n / 2 + 1, of_n);
  c->read_targets = choice(params, "read_targets", kReadTargets, c->read_targets);
  c->versions = choice(params, "versions", kVersions, c->versions);
  c->read_repair = choice(params, "read_repair", kReadRepair, c->read_repair);
  c->replica_choice = choice(params, "replica_choice", kReplicaChoice, c->replica_choice);
  c->sloppy = boolean_param(params, "sloppy", c->sloppy);
  if (c->sloppy && c->replica_choice == ReplicaChoice::Random)
    params.fail_at("sloppy",
                   "a sloppy quorum replaces preferred replicas; it cannot be combined with "
                   "replica_choice \"random\"");
  c->request_timeout = positive_duration_param(params, "request_timeout", c->request_timeout);
  c->suspect_timeout = positive_duration_param(params, "suspect_timeout", c->suspect_timeout);
  if (c->suspect_timeout >= c->request_timeout)
    params.fail_at(params.has("suspect_timeout") ? "suspect_timeout" : "request_timeout",
                   "suspect_timeout (" + format_duration(c->suspect_timeout) +
                       ") must be shorter than request_timeout (" +
                       format_duration(c->request_timeout) + ")");
  c->virtual_nodes =
      count_param(params, "virtual_nodes", 1024, c->virtual_nodes, "tokens per node");
  read_retry_params(params, c->retry_initial, c->retry_max);
  c->conflict = conflict::strategy_param(params);
  c->anti_entropy = anti_entropy_param(params, "anti_entropy", std::nullopt);
  c->node_names = scenario.node_names;
  c->crdt = crdt_params(params, scenario);
  if (c->crdt.holds_crdts() && c->sloppy)
    params.fail_at("sloppy",
                   "a sloppy quorum (hinted handoff) holds register versions only; with a " +
                       std::string(workload_type_name(scenario.workload)) +
                       " workload use a strict quorum (sloppy: false)");
  return c;
}

std::unique_ptr<Replica> make_quorum(const ModelConfig& config, Context& ctx) {
  return std::make_unique<quorum::QuorumReplica>(dynamic_cast<const quorum::Config&>(config), ctx);
}

}  // namespace consim
