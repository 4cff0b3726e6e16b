// The typed scenario: everything a run needs, parsed and validated once by
// the loader (scenario_loader.h) from a scenario file. docs/scenario-format.md
// documents the file; this struct is what the engine reads.
//
// Invariants after loading: node names are unique and non-empty; every node
// named anywhere exists; every time window lies in [0, duration] with
// start < end; every probability is in [0, 1]; the model config was parsed
// by the model's own parser.
#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/distribution.h"
#include "base/time.h"

namespace consim {

class ModelConfig;

struct LinkSpec {
  Distribution latency = Distribution::constant(1'000'000);  // one way
  double loss = 0;       // probability a message on this link is lost
  double duplicate = 0;  // probability it is delivered twice
};

struct ExplicitLink {
  std::string a, b;
  LinkSpec spec;
  bool one_way = false;  // a->b only
};

struct RegionSpec {
  std::string name;
  std::vector<std::string> nodes;
  LinkSpec intra;  // between nodes of this region
};

// Which pairs of nodes are linked, and how:
//  - mesh: every ordered pair gets `default_link`;
//  - regions: pairs inside a region get its `intra` link, pairs across
//    regions get `inter_region` (every node must be in exactly one region);
//  - explicit `links` add or override pairs. With mesh = false and no
//    regions only the explicit links exist, and messages between nodes that
//    are not neighbours follow the shortest route (by mean latency).
struct TopologySpec {
  bool mesh = true;
  LinkSpec default_link;
  std::vector<RegionSpec> regions;
  LinkSpec inter_region;
  std::vector<ExplicitLink> links;
};

// What happens to a message sent into a cut (or arriving at one).
enum class CutPolicy { Drop, Hold };

struct NodeSpec {
  std::string name;
  Time clock_offset = 0;  // local clock = true time + offset (+ drift)
  double clock_drift_ppm = 0;
};

enum class PartitionShape {
  Groups,   // explicit groups: nodes in different groups are cut
  OneWay,   // from -> to cut, to -> from open
  Isolate,  // one node cut from all others
  MajorityMinority,
  MajoritiesRing,  // each node sees a majority, no two see the same one
  Bridge,          // two sides, one node sees both
  RandomHalves,
};

struct PartitionSpec {
  PartitionShape shape = PartitionShape::Groups;
  std::vector<std::vector<std::string>> groups;  // Groups
  std::vector<std::string> from, to;             // OneWay
  std::optional<std::string> node;               // Isolate, Bridge (the bridge)
  std::vector<std::string> minority;             // MajorityMinority (empty: random)
};

enum class FaultKind { Partition, Crash, Pause, Clock };

struct FaultSpec {
  FaultKind kind = FaultKind::Partition;
  std::string name;  // for the report's phases, e.g. "partition 1"
  Time start = 0;
  std::optional<Time> end;                // heal / restart / resume; none: lasts to the end
  PartitionSpec partition;                // kind == Partition
  std::string node;                       // Crash, Pause, Clock
  std::optional<Time> clock_offset;       // Clock: new offset
  std::optional<double> clock_drift_ppm;  // Clock: new drift
};

// Random faults between start and end, drawn from the "nemesis" stream.
struct NemesisSpec {
  Time start = 0, end = 0;
  Distribution interval;           // quiet time between faults
  Distribution length;             // how long each fault lasts
  std::vector<std::string> kinds;  // among "partition", "crash", "pause", "clock"
  Time max_clock_offset = 0;
};

enum class KeyDistribution { Uniform, Zipf };
enum class LoopKind { Closed, Open };

struct WorkloadSpec {
  double read_fraction = 0.5;
  std::uint64_t keys = 10;
  KeyDistribution key_distribution = KeyDistribution::Uniform;
  double zipf_exponent = 1.0;
  LoopKind loop = LoopKind::Closed;
  Distribution think_time = Distribution::constant(10'000'000);  // closed loop
  double rate_per_second = 0;  // open loop, per client, Poisson arrivals
  Time timeout = 1'000'000'000;
  int retries = 0;  // a failed op is retried this many times, as new ops
  Time start = 0;
  std::optional<Time> stop;  // none: until the end of the run
  // From this time on clients only read (to watch replicas converge); none: never.
  std::optional<Time> writes_stop;
};

struct ClientSpec {
  std::string node;
  std::vector<std::string> fallback;  // tried in order when node times out
};

enum class TraceLevel { Ops, State, Full };

struct Scenario {
  std::string file;  // where it was loaded from, for messages
  std::string name;
  std::string description;
  std::uint64_t seed = 1;
  Time duration = 0;
  std::vector<NodeSpec> nodes;  // NodeId = index here
  TopologySpec topology;
  CutPolicy cut_policy = CutPolicy::Drop;
  // One-way delay between a client and the node it talks to, each way. The
  // client link is never lost, duplicated or cut: a client stands beside
  // its node. Constant 0 by default (requests and replies are immediate).
  Distribution client_latency;
  std::string model_name;
  std::shared_ptr<const ModelConfig> model_config;
  std::vector<ClientSpec> clients;
  WorkloadSpec workload;
  std::vector<FaultSpec> faults;
  std::optional<NemesisSpec> nemesis;
  TraceLevel trace_level = TraceLevel::Full;
  // The document as read, echoed in the trace header (shared: copies of a
  // scenario, one per model in `compare`, do not copy the document).
  std::shared_ptr<const nlohmann::json> source;
};

}  // namespace consim
