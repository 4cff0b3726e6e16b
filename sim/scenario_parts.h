// Internal pieces of the scenario loader, shared by its files
// (scenario_loader.cc, loader_util.cc, network_json.cc, workload_json.cc,
// clients_json.cc, faults_json.cc, partition_json.cc, nemesis_json.cc, distribution_json.cc).
// Use load_scenario() instead.
//
// Each parse_* function reads one part of the document strictly and
// validates it against what is already known (node names, run duration), so
// every error carries the JSON path of the offending value.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/distribution_json.h"
#include "base/json_checks.h"
#include "base/json_input.h"
#include "base/time.h"
#include "models/model_info.h"
#include "sim/partition.h"
#include "sim/scenario.h"

namespace consim::loader {

// The scenario's node names, for checking every name a file mentions.
class NodeNames {
 public:
  explicit NodeNames(const std::vector<NodeSpec>& nodes);
  std::size_t size() const { return names_.size(); }
  const std::vector<std::string>& all() const { return names_; }
  std::optional<std::size_t> index(std::string_view name) const;
  // This value as the name of an existing node.
  std::string node(const JsonReader& value) const;
  // An array of existing node names without repeats, at least `min_size`.
  std::vector<std::string> list(const JsonReader& value, std::size_t min_size) const;

 private:
  std::vector<std::string> names_;  // scenario order
  std::map<std::string, std::size_t, std::less<>> index_;
};

// Longest run and largest clock offset accepted: far beyond any lesson or
// experiment, and small enough that time + offset never overflows.
inline constexpr Time kMaxRunDuration = 30LL * 24 * 3600 * kSecond;
inline constexpr Time kMaxClockOffset = 24LL * 3600 * kSecond;

// A duration that may be negative: "-50ms" or "50ms"; |value| <= kMaxClockOffset.
Time signed_duration(const JsonReader& value);
// Shared with base/distribution_json.cc, so they live in base/json_checks.h.
using consim::one_of;
using consim::positive_number;
// A non-empty string.
std::string non_empty_string(const JsonReader& value);
// A point in the run: a duration in [0, duration].
Time time_in_run(const JsonReader& value, Time duration);

// Reads `value` with `read` if the key is present, else returns `fallback`.
template <class T, class Read>
T optional_key(const JsonReader& parent, std::string_view key, T fallback, Read read) {
  if (!parent.has(key)) return fallback;
  return read(parent.at(key));
}

struct NetworkSpec {
  TopologySpec topology;
  CutPolicy cut_policy = CutPolicy::Drop;
  Distribution client_latency;                  // constant 0 unless given
  std::vector<MessageLatency> message_latency;  // sorted by type
};
// network.message_latency: {"<type>": {"replace" | "add": <distribution>}}.
std::vector<MessageLatency> parse_message_latency(const JsonReader& value);
// The types in network.message_latency that `model` never sends are an error
// at $.network.message_latency.<type>, naming the model and its types.
void check_message_types(const JsonReader& network, const ModelInfo& model);
NetworkSpec parse_network(const JsonReader& network, const NodeNames& nodes);

// `client_latency`: the network's client link, for the check that time advances.
WorkloadSpec parse_workload(const JsonReader& workload, Time duration,
                            const Distribution& client_latency);
// A client group's "workload": `top` with the group's keys over it (every
// key but the key space: "keys", "key_distribution").
WorkloadSpec parse_group_workload(const JsonReader& workload, const WorkloadSpec& top,
                                  Time duration, const Distribution& client_latency);

// The bank workload (bank_workload_json.cc): the keys a "type": "bank"
// workload may have, and its own keys, read into `w` after the shared ones.
std::vector<std::string> bank_workload_keys();
void parse_bank_workload(const JsonReader& workload, Time duration, WorkloadSpec& w);

// A workload's "script" (script_workload_json.cc), read after the keys the
// workload shares (its loop and key space are known). An "own" key gives
// each client its own key, base + its index: check_script_own_keys fails
// when those of `clients` clients go past the key space.
ScriptWorkload parse_script(const JsonReader& script, const WorkloadSpec& w);
void check_script_own_keys(const JsonReader& script, const ScriptWorkload& parsed,
                           std::size_t clients, std::uint64_t keys);
// Sets and counters (workload_data_json.cc).
// The workload's "type" (register when absent).
WorkloadType parse_workload_type(const JsonReader& workload);
// The set and counter keys of a workload or a group's (`group`) over `w`,
// whose type is already set.
void parse_data_mix(const JsonReader& value, bool group, WorkloadSpec& w);
// After the clients: final_reads required for sets and counters, after
// every client's stop plus timeout, before the end.
void check_final_reads(const JsonReader& root, const Scenario& s);
// Whether the document's workload or a group's gives a decrement_fraction
// above 0 (read before the model, whose parser needs it).
bool any_decrements(const JsonReader& root);

// What a client group's workload is parsed against.
struct WorkloadContext {
  const WorkloadSpec& top;
  Time duration;
  const Distribution& client_latency;
};
struct ClientsPart {
  std::vector<ClientSpec> clients;
  std::vector<ClientGroup> groups;  // empty unless "clients" is a list of groups
};
ClientsPart parse_clients(const JsonReader& clients, const NodeNames& nodes,
                          const WorkloadContext& workload);
// One client per node, bound to it, no fallback: the default when the file
// has no "clients".
std::vector<ClientSpec> default_clients(const NodeNames& nodes);

// A partition fault's shape and its keys; `allowed` are the keys every
// fault of the kind may have.
PartitionSpec parse_partition(const JsonReader& fault, const NodeNames& nodes,
                              std::vector<std::string> allowed);

std::vector<FaultSpec> parse_faults(const JsonReader& faults, const NodeNames& nodes,
                                    Time duration);
NemesisSpec parse_nemesis(const JsonReader& nemesis, const NodeNames& nodes, Time duration);

}  // namespace consim::loader
