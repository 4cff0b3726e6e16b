// The scenario loader's entry points and the top level of the document:
// name, seed, duration, nodes, model, trace. The network, workload,
// clients and faults have their own files (network_json.cc,
// workload_json.cc, clients_json.cc, faults_json.cc); see scenario_loader.h
// for the error contract.
#include "sim/scenario_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sim/scenario_parts.h"

namespace consim {
namespace {

// More nodes than any lesson needs; keeps n x n block matrices small.
constexpr std::size_t kMaxNodes = 1000;

NodeSpec parse_node(const JsonReader& value) {
  NodeSpec node;
  if (value.json().is_string()) {
    node.name = loader::non_empty_string(value);
    return node;
  }
  if (!value.json().is_object())
    value.fail("expected a node name or an object with \"name\", got " +
               json_described(value.json()));
  value.allow_only({"name", "clock_offset", "clock_drift_ppm"});
  node.name = loader::non_empty_string(value.at("name"));
  node.clock_offset = loader::optional_key(value, "clock_offset", Time{0}, loader::signed_duration);
  node.clock_drift_ppm = loader::optional_key(
      value, "clock_drift_ppm", 0.0, [](const JsonReader& r) { return r.as_number(-1e5, 1e5); });
  return node;
}

std::vector<NodeSpec> parse_nodes(const JsonReader& value) {
  auto elements = value.as_array();
  if (elements.empty()) value.fail("a scenario needs at least one node");
  if (elements.size() > kMaxNodes)
    value.fail("at most " + std::to_string(kMaxNodes) + " nodes, got " +
               std::to_string(elements.size()));
  std::vector<NodeSpec> nodes;
  for (const auto& e : elements) {
    NodeSpec node = parse_node(e);
    for (std::size_t i = 0; i < nodes.size(); ++i)
      if (nodes[i].name == node.name)
        e.fail("duplicate node name \"" + node.name + "\" (also $.nodes[" + std::to_string(i) +
               "])");
    nodes.push_back(std::move(node));
  }
  return nodes;
}

Time parse_run_duration(const JsonReader& doc) {
  Time d = doc.duration("duration");
  if (d <= 0) doc.fail_at("duration", "the run must last more than 0s");
  if (d > loader::kMaxRunDuration)
    doc.fail_at("duration", format_duration(d) + " is too long: at most " +
                                format_duration(loader::kMaxRunDuration));
  return d;
}

ModelScenario model_scenario(const Scenario& s) {
  ModelScenario out;
  for (const auto& n : s.nodes) out.node_names.push_back(n.name);
  for (const auto& region : s.topology.regions) {
    std::vector<NodeId> members;
    for (NodeId id = 0; id < out.node_names.size(); ++id)
      for (const auto& name : region.nodes)
        if (name == out.node_names[id]) members.push_back(id);
    out.regions.push_back(std::move(members));
  }
  out.workload = s.workload.type;
  out.decrements = s.workload.decrement_fraction > 0;
  for (const auto& g : s.groups)
    out.decrements = out.decrements || g.workload.decrement_fraction > 0;
  if (const auto& bank = s.workload.bank)
    out.accounts = AccountsSpec{bank->accounts, bank->initial_balance, bank->negative_allowed};
  return out;
}

// The model must serve the workload's type (its catalog row's workloads):
// a register model cannot run transfers or hold sets, the bank model runs
// nothing else. The error names the models that do.
void check_workload_type(const Scenario& s, const ModelCatalog& models) {
  const std::string type(workload_type_name(s.workload.type));
  const ModelInfo& model = *find_model(models, s.model_name);
  auto serves = [&](const ModelInfo& m) {
    return std::find(m.workloads.begin(), m.workloads.end(), type) != m.workloads.end();
  };
  if (serves(model)) return;
  std::vector<std::string> valid;
  for (const ModelInfo& m : models)
    if (serves(m)) valid.push_back(m.name);
  const bool typed = s.workload.type != WorkloadType::Register;
  throw InputError(s.file, typed ? "$.workload.type" : "$.workload",
                   "model \"" + model.name + "\" does not run the " + type +
                       " workload (it runs: " + join_names(model.workloads) +
                       "); models that do: " + join_names(valid));
}

// "model": "name" or {"name": ..., "params": {...}}; missing params = {}.
// The nodes and the workload are parsed first: the model's parser checks its
// parameters against them. `group_decrements`: a client group (not parsed
// yet) decrements a counter.
void parse_model(const JsonReader& value, const ModelCatalog& models, Scenario& s,
                 bool group_decrements) {
  static const nlohmann::json kNoParams = nlohmann::json::object();
  ModelScenario context = model_scenario(s);
  context.decrements = context.decrements || group_decrements;
  if (value.json().is_string()) {
    s.model_name = loader::one_of(value, model_names(models), "model", "models");
    s.model_config = find_model(models, s.model_name)
                         ->parse(JsonReader(kNoParams, s.file, value.path_of("params")), context);
    return;
  }
  value.allow_only({"name", "params"});
  s.model_name = loader::one_of(value.at("name"), model_names(models), "model", "models");
  const ModelInfo* model = find_model(models, s.model_name);
  if (value.has("params")) {
    JsonReader params = value.at("params");
    params.expect_object();
    s.model_config = model->parse(params, context);
  } else {
    s.model_config = model->parse(JsonReader(kNoParams, s.file, value.path_of("params")), context);
  }
}

TraceLevel parse_trace(const JsonReader& value) {
  value.allow_only({"level"});
  std::string level =
      loader::one_of(value.at("level"), {"ops", "state", "full"}, "trace level", "trace levels");
  if (level == "ops") return TraceLevel::Ops;
  if (level == "state") return TraceLevel::State;
  return TraceLevel::Full;
}

std::string read_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) throw InputError(path, "$", "no such file");
  if (std::filesystem::is_directory(path, ec))
    throw InputError(path, "$", "is a directory, not a scenario file");
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw InputError(path, "$", "the file cannot be read");
  return text.str();
}

}  // namespace

Scenario parse_scenario(const nlohmann::json& doc, const std::string& file,
                        const ModelCatalog& models) {
  JsonReader r(doc, file);
  r.allow_only({"name", "description", "seed", "duration", "nodes", "network", "model", "clients",
                "workload", "faults", "nemesis", "trace"});
  Scenario s;
  s.file = file;
  s.source = std::make_shared<const nlohmann::json>(doc);
  s.name = loader::non_empty_string(r.at("name"));
  s.description = loader::optional_key(r, "description", std::string(),
                                       [](const JsonReader& v) { return v.as_string(); });
  s.seed = r.has("seed") ? r.seed("seed") : 1;
  s.duration = parse_run_duration(r);
  s.nodes = parse_nodes(r.at("nodes"));
  loader::NodeNames names(s.nodes);
  if (r.has("network")) {
    auto network = loader::parse_network(r.at("network"), names);
    s.topology = std::move(network.topology);
    s.cut_policy = network.cut_policy;
    s.client_latency = network.client_latency;
    s.message_latency = std::move(network.message_latency);
  }
  // The workload first: client groups override it, a bank model's
  // parameters are checked against its accounts, and a CRDT model's against
  // the data type (a g-counter cannot take a group's decrements, so the
  // groups are looked at before they are parsed).
  if (r.has("workload"))
    s.workload = loader::parse_workload(r.at("workload"), s.duration, s.client_latency);
  parse_model(r.at("model"), models, s, loader::any_decrements(r));
  if (r.has("network"))
    loader::check_message_types(r.at("network"), *find_model(models, s.model_name));
  check_workload_type(s, models);
  if (r.has("clients")) {
    auto part =
        loader::parse_clients(r.at("clients"), names, {s.workload, s.duration, s.client_latency});
    s.clients = std::move(part.clients);
    s.groups = std::move(part.groups);
  } else {
    s.clients = loader::default_clients(names);
  }
  if (s.workload.script && s.groups.empty())
    loader::check_script_own_keys(r.at("workload").at("script"), *s.workload.script,
                                  s.clients.size(), s.workload.keys);
  loader::check_final_reads(r, s);
  if (r.has("faults")) s.faults = loader::parse_faults(r.at("faults"), names, s.duration);
  if (r.has("nemesis")) s.nemesis = loader::parse_nemesis(r.at("nemesis"), names, s.duration);
  if (r.has("trace")) s.trace_level = parse_trace(r.at("trace"));
  return s;
}

Scenario parse_scenario_text(const std::string& text, const std::string& file,
                             const ModelCatalog& models) {
  return parse_scenario(parse_json_text(text, file), file, models);
}

Scenario load_scenario(const std::string& path, const ModelCatalog& models) {
  return parse_scenario_text(read_file(path), path, models);
}

void apply_model_override(Scenario& scenario, const ModelCatalog& models,
                          const std::string& model_name) {
  // The scenario's own model keeps the parameters the scenario gives it:
  // `consim compare quorum-r1w1.json --models quorum` compares R=W=1, not
  // the model's defaults.
  if (model_name == scenario.model_name && scenario.model_config) return;
  const ModelInfo* model = find_model(models, model_name);
  if (!model)
    throw InputError(scenario.file, "$.model.name",
                     "unknown model \"" + model_name +
                         "\" given as override; valid models: " + join_names(model_names(models)));
  static const nlohmann::json kNoParams = nlohmann::json::object();
  scenario.model_config = model->parse(JsonReader(kNoParams, scenario.file, "$.model.params"),
                                       model_scenario(scenario));
  if (scenario.source && scenario.source->contains("network"))
    loader::check_message_types(JsonReader(*scenario.source, scenario.file).at("network"), *model);
  scenario.model_name = model_name;
  check_workload_type(scenario, models);
}

}  // namespace consim
