// What the engine knows of a store model, without knowing which models
// exist: a model's parsed parameters (ModelConfig) and a catalog entry
// {name, description, parse, make}. The engine is handed a ModelCatalog by
// its caller (the loader resolves names in it) and a ModelFactory to run;
// models/registry.h is the catalog of the real models, which only the CLI,
// the tests and the benchmarks read.
//
// Invariants: names in a catalog are unique; message_types lists every type
// the model sends (and, ideally, only those); parse either returns a config
// or throws InputError naming the file and the JSON path; make never
// returns null.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "models/model.h"

namespace consim {

class JsonReader;

// A model's parsed, validated parameters. to_json() gives every parameter,
// defaults included, for the trace header.
class ModelConfig {
 public:
  virtual ~ModelConfig() = default;
  virtual nlohmann::json to_json() const = 0;
};

// What a model's parser knows of the scenario it reads parameters for, so
// that a parameter naming a node, or a count bounded by the nodes, is
// checked at load (and by `consim validate`), not when the run starts. The
// file's name is the JsonReader's.
// The bank workload's accounts (workload.type "bank", docs/scenario-format.md),
// for a model that keeps balances: accounts 0..accounts-1 each start with
// initial_balance.
struct AccountsSpec {
  std::uint64_t accounts = 0;
  std::int64_t initial_balance = 0;
  bool negative_allowed = false;  // false: a transfer that would overdraw fails
};

struct ModelScenario {
  std::vector<std::string> node_names;  // NodeId = index; never empty in a loaded scenario
  // The topology's regions (network.topology.regions), each its nodes in
  // the scenario's order; empty when the scenario has none.
  std::vector<std::vector<NodeId>> regions;
  // What the workload's keys hold (workload.type): a model that holds sets
  // and counters reads its CRDT parameters ("set", "counter") for it.
  WorkloadType workload = WorkloadType::Register;
  // A counter workload whose clients decrement (a decrement_fraction above
  // 0, at the top level or in a group): a grow-only counter cannot run it.
  bool decrements = false;
  // The bank workload's accounts: set exactly when `workload` is Bank.
  std::optional<AccountsSpec> accounts;
  std::size_t node_count() const { return node_names.size(); }
};

// Reads the "params" object strictly (unknown keys, types and ranges, node
// names not in `scenario` are errors with the file and the JSON path).
// `params` may be an empty object.
using ModelParser = std::function<std::shared_ptr<const ModelConfig>(
    const JsonReader& params, const ModelScenario& scenario)>;
// One replica of the model on the node behind `ctx`.
using ModelFactory =
    std::function<std::unique_ptr<Replica>(const ModelConfig& config, Context& ctx)>;

struct ModelInfo {
  std::string name;
  std::string description;
  ModelParser parse;
  ModelFactory make;
  // Every message type the model's replicas send (Payload::type()), in any
  // order: the types network.message_latency may name. A test runs every
  // model and checks that it sends no other.
  std::vector<std::string> message_types;
  // The workload types (workload.type, workload_type_name) the model
  // serves; the loader rejects any other at $.workload.type, naming the
  // models that serve it. Register models leave the default; a model that
  // holds CRDTs (models/crdt_store.h) lists "set" and "counter" too.
  std::vector<std::string> workloads = {"register"};
};

using ModelCatalog = std::vector<ModelInfo>;

// The entry for `name` in `catalog`, or nullptr.
const ModelInfo* find_model(const ModelCatalog& catalog, std::string_view name);
// The catalog's names, in its order.
std::vector<std::string> model_names(const ModelCatalog& catalog);

}  // namespace consim
