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
#include "models/model.h"

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
//    regions only the explicit links exist.
// How messages travel: `Direct`, a message between two nodes takes their
// own link (nodes are hosts, not routers; every ordered pair must have a
// link); `ShortestPath`, the shortest route by mean latency over links,
// relayed by nodes that are up and not paused.
enum class Routing { Direct, ShortestPath };

struct TopologySpec {
  Routing routing = Routing::Direct;
  bool mesh = true;
  LinkSpec default_link;
  std::vector<RegionSpec> regions;
  LinkSpec inter_region;
  std::vector<ExplicitLink> links;
};

// The latency of every message of one model message type
// (network.message_latency): Replace draws `latency` in place of the link's
// (the route's) latency; Add draws it and adds it to the link's. Loss,
// duplication and cuts stay the link's. docs/scenario-format.md.
struct MessageLatency {
  enum class Mode : std::uint8_t { Replace, Add };
  std::string type;  // as Payload::type() returns it, e.g. "write-ack"
  Mode mode = Mode::Replace;
  Distribution latency;
};

// What happens to a message sent into a cut (or arriving at one).
enum class CutPolicy { Drop, Hold };

struct NodeSpec {
  std::string name;
  Time clock_offset = 0;  // local clock = true time + offset (+ drift)
  double clock_drift_ppm = 0;
};

struct FaultKindEntry;  // sim/fault_kind.h: one entry per kind
class FaultEffect;      // sim/fault_kind.h: a parsed fault's own data and actions

// One scheduled fault. Its kind-specific data (a partition's shape, a
// crash's node, ...) is in `effect`, parsed by the kind's entry.
struct FaultSpec {
  const FaultKindEntry* kind = nullptr;
  std::string name;  // for the report's phases, e.g. "partition 1"
  Time start = 0;
  std::optional<Time> end;  // the kind's end key; none: lasts to the end
  std::shared_ptr<const FaultEffect> effect;
};

// Random faults between start and end, drawn from the "nemesis" stream.
struct NemesisSpec {
  Time start = 0, end = 0;
  Distribution interval;                     // quiet time between faults
  Distribution length;                       // how long each fault lasts
  std::vector<const FaultKindEntry*> kinds;  // kinds whose entry can be drawn
  Time max_clock_offset = 0;                 // the clock kind's nemesis parameter
};

enum class KeyDistribution { Uniform, Zipf };
enum class LoopKind { Closed, Open };

// The bank workload (workload.type "bank", docs/scenario-format.md): clients
// transfer money between accounts 0..accounts-1 (distinct, uniform) and
// read balances; from WorkloadSpec::final_reads on, every account is read
// once (the "final" reads the bank checker sums).
struct BankWorkload {
  std::uint64_t accounts = 100;
  std::int64_t initial_balance = 100;
  std::int64_t amount_min = 1, amount_max = 10;  // uniform, inclusive
  double transfer_fraction = 0.8;                // the rest are balance reads
  bool negative_allowed = false;
  std::optional<Time> audit_every;  // audits (sim/bank_audit.h): their period
  Time audit_settle = 200'000'000;  // an audit's wait once no op is outstanding
};

// A scripted session (workload.script, docs/scenario-format.md "Scripted
// sessions"): each round runs the steps in order, one operation each, a
// think time apart. A step's key or value may depend on an earlier step's
// result (a read: the value it returned; a write: the value it wrote); a
// step whose dependency has no result (skipped, failed, unknown, or a read
// of nothing) is skipped. Example (a commenter): step 1 reads a post key
// {"uniform": [0, 3]}; step 2 writes key {"same_as": step 1, "plus": 10}
// with a value that answers step 1's post; if step 1 read nothing, step 2
// is skipped. Invariants after loading: every `step` reference names an
// earlier step; post_of names a read; fixed, uniform and own keys lie in
// [0, workload keys).
struct ScriptKey {
  enum class Kind : std::uint8_t {
    Fixed,    // `base`
    Uniform,  // uniform in [base, hi], drawn from the client's stream
    Own,      // base + the client's index in its group (each client its own key)
    SameAs,   // the key step `step` used, plus `plus`
    PostOf,   // the key of the post answered by the comment step `step` read, plus `plus`
  };
  Kind kind = Kind::Fixed;
  std::uint64_t base = 0, hi = 0;
  std::size_t step = 0;
  std::uint64_t plus = 0;
};

struct ScriptStep {
  std::string name;    // unique in the script; the trace's "step"
  bool write = false;  // else a read
  ScriptKey key;
  // A write: answers the result of this earlier step (its value names the
  // post it answers; the trace's "answers"). None: a plain new value.
  std::optional<std::size_t> answers;
  std::optional<Distribution> think_time;  // before this step; none: the workload's
};

struct ScriptWorkload {
  std::vector<ScriptStep> steps;        // at least one
  std::optional<std::uint64_t> repeat;  // rounds; none: until the workload stops
  // Mixed with random operations: each round runs the script with this
  // probability, else one operation of the register workload.
  double fraction = 1;
};

struct WorkloadSpec {
  double read_fraction = 0.5;
  double cas_fraction = 0;  // compare-and-set; writes are 1 - read_fraction - cas_fraction
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
  // The workload's type; `type` is the top-level workload's,
  // shared by every group (one key space). Set ops: below read_fraction a
  // read, then remove_fraction a remove, the rest adds, each of an item
  // drawn uniformly from items_first..items_first + items - 1 (a group may
  // give its own range, so that clients on different nodes never touch one
  // item). Counter ops: below read_fraction a read,
  // then decrement_fraction an incr of -1, the rest an incr of +1.
  WorkloadType type = WorkloadType::Register;
  double remove_fraction = 0;
  double decrement_fraction = 0;
  std::uint64_t items = 5;
  std::uint64_t items_first = 1;
  // When the final reads ("final": true, sim/final_reads.cc) start, after
  // the run has quiesced; top level only. Sets and counters: every node is
  // read once per key (required). Bank: every account once (always set:
  // the loader gives it a default).
  std::optional<Time> final_reads;
  std::optional<BankWorkload> bank;      // set exactly when type is Bank
  std::optional<ScriptWorkload> script;  // none: random operations only
};

struct ClientSpec {
  std::string node;
  std::vector<std::string> fallback;  // tried in order when node times out
  std::size_t group = 0;              // index into Scenario::groups (when there are groups)
};

// A group of clients from a `clients` list of groups: clients
// first_client .. first_client + count - 1, each running `workload` (the
// top-level workload with the group's own keys over it; the key space is
// the top-level one, shared by every group).
struct ClientGroup {
  std::string name;  // unique among the groups
  std::size_t first_client = 0;
  std::size_t count = 0;
  std::vector<std::string> nodes;  // bound round robin
  WorkloadSpec workload;
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
  // Per message type, sorted by type, types unique and sent by the model
  // (empty: every message takes its link's latency).
  std::vector<MessageLatency> message_latency;
  std::string model_name;
  std::shared_ptr<const ModelConfig> model_config;
  std::vector<ClientSpec> clients;
  WorkloadSpec workload;  // the top-level workload
  // Empty unless `clients` is a list of groups; then every client is in one.
  std::vector<ClientGroup> groups;
  std::vector<FaultSpec> faults;
  std::optional<NemesisSpec> nemesis;
  TraceLevel trace_level = TraceLevel::Full;
  // The document as read, echoed in the trace header (shared: copies of a
  // scenario, one per model in `compare`, do not copy the document).
  std::shared_ptr<const nlohmann::json> source;

  // The workload client `client` runs: its group's, else the top-level one.
  const WorkloadSpec& workload_of(std::size_t client) const {
    return groups.empty() ? workload : groups[clients[client].group].workload;
  }
};

}  // namespace consim
