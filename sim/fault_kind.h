// A fault kind is one entry: its name, its JSON parsing, what it does at its
// begin and end, its trace line, whether the nemesis can draw it, and an
// example. The kinds are listed once, in fault_kinds.cc; each kind lives in
// its own header under sim/fault_kinds/.
//
// A kind reaches the engine only through the narrow interfaces below
// (FaultContext: node control, the cut and loss sets, the faults stream),
// never through the World, so a reader of a kind's file knows all it may
// touch.
//
// Invariants:
//  - A parsed fault (FaultEffect) is immutable: everything that changes
//    while it is active lives in the FaultContext, keyed by fault index.
//  - Each begin and end writes exactly one trace line (FaultLine) of the
//    generic shape documented in docs/trace-format.md: "type":"fault",
//    "fault", "kind", "edge", "action", "label", then the kind's own fields.
//  - An unknown kind name is an error listing the valid ones; there is no
//    default kind.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/rng.h"
#include "base/time.h"
#include "sim/ports.h"  // NodeControl

namespace consim {

class JsonReader;

using FaultNode = NodeId;                             // index into the scenario's nodes
using CutMatrix = std::vector<std::vector<bool>>;     // [from][to] cut
using LossMatrix = std::vector<std::vector<double>>;  // [from][to] extra loss

// The node operations a fault may perform: NodeControl (sim/ports.h), by
// node index.

// The network as faults see it: the union of the active cuts and the
// largest active extra loss per pair are installed by the context.
class FaultNetwork {
 public:
  virtual ~FaultNetwork() = default;
  // Installs the cuts (topology) and tells the transport they changed.
  virtual void set_cuts(const CutMatrix& cuts) = 0;
  // The groups of nodes that reach each other under the current cuts.
  virtual std::vector<std::vector<FaultNode>> sides() const = 0;
  // Extra loss per directed pair, on top of each link's own; empty: none.
  virtual void set_extra_loss(const LossMatrix& loss) = 0;
  // Extra duplication per directed pair, on top of each link's own; empty: none.
  virtual void set_extra_duplicate(const LossMatrix& duplicate) = 0;
};

// One fault trace line under construction; the writer adds "type", "time",
// "fault", "kind", "edge", "action" and "label" in that order, then
// `fields` (already-formatted ,"key":value pairs).
struct FaultLine {
  std::string_view fault, kind, action;
  bool end = false;
  std::string label;  // written as "<fault>: <label>"
  std::string fields;

  void add_string(std::string_view key, std::string_view value);
  void add_raw(std::string_view key, std::string_view json);
  void add_int(std::string_view key, std::int64_t value);
  void add_double(std::string_view key, double value);
};

// What a running fault may touch.
class FaultContext {
 public:
  virtual ~FaultContext() = default;
  virtual NodeControl& nodes() = 0;
  virtual const std::vector<std::string>& node_names() const = 0;
  virtual Rng& rng() = 0;  // the "faults" stream
  // This fault's cut / extra loss, replacing any it had; the network gets
  // the union of the active ones.
  virtual void add_cuts(CutMatrix cuts) = 0;
  virtual void add_loss(LossMatrix loss) = 0;
  virtual void add_duplicate(LossMatrix duplicate) = 0;  // probabilities, like loss
  // Removes this fault's cut, loss or duplication (nothing if it had none).
  virtual void remove_own() = 0;
  virtual std::vector<std::vector<FaultNode>> sides() const = 0;
  // Writes this edge's trace line; a kind calls it exactly once per begin
  // and per end, where the line belongs among the effects it causes.
  virtual void trace(const FaultLine& line) = 0;
  // The node with this name (validated at load).
  virtual FaultNode node(const std::string& name) const = 0;
};

// One parsed fault of some kind.
class FaultEffect {
 public:
  virtual ~FaultEffect() = default;
  virtual void begin(FaultContext& ctx, FaultLine& line) const = 0;
  virtual void end(FaultContext& ctx, FaultLine& line) const = 0;
  // The node this fault takes over (crash, pause: a node is up, crashed or
  // paused, one at a time), if any.
  virtual std::optional<std::string> occupies() const { return std::nullopt; }
  // A few words for `consim validate`'s schedule, e.g. "n3" or "isolate".
  virtual std::string summary() const = 0;
};

using EffectPtr = std::shared_ptr<const FaultEffect>;

namespace loader {
class NodeNames;
}

// What a kind's parser gets besides the fault's JSON object.
struct FaultParseContext {
  const loader::NodeNames& nodes;
  // The keys every fault may have ("type", "name", start and end keys);
  // the kind adds its own and calls allow_only.
  std::vector<std::string> common_keys;
};

struct NemesisSpec;

// What the nemesis has drawn before the kind draws its own parts.
struct NemesisDraw {
  const NemesisSpec& nemesis;
  std::size_t node_count;
  std::string node;  // a node drawn for every fault, used or not
};

struct FaultKindEntry {
  const char* name;                       // "crash", as in scenario files and traces
  const char* description;                // one line for `consim list`
  const char* start_key;                  // "at" or "start"
  const char* end_key;                    // "restart", ...; nullptr: the fault has no end
  const char *begin_action, *end_action;  // "crash", "restart": trace "action"
  const char* state;                      // "crashed": for overlap messages (occupies())
  const char* verb;                       // "crashes"
  std::size_t min_nodes;                  // the scenario needs at least this many nodes
  EffectPtr (*parse)(const JsonReader& fault, const FaultParseContext& ctx);
  // nullptr: the nemesis cannot draw this kind. Otherwise draws the kind's
  // own parts from the "nemesis" stream.
  EffectPtr (*draw)(const NemesisDraw& draw, Rng& rng);
  // The key of the "nemesis" object this kind uses when listed in its
  // "kinds" (clock's "max_clock_offset"), or nullptr; nemesis_params checks
  // it (required when listed, rejected otherwise).
  const char* nemesis_key;
  void (*nemesis_params)(const JsonReader& nemesis, bool listed, NemesisSpec& out);
  // A fault of this kind in a scenario of nodes n1..n5 lasting 10 s, as
  // JSON text (for tests and docs).
  const char* example;
  // The value (JSON text) `consim swarm`'s default nemesis gives nemesis_key;
  // a kind with a nemesis_key and no value here is left out of it.
  const char* swarm_value = nullptr;
};

// Every kind, in a fixed order.
const std::vector<const FaultKindEntry*>& fault_kinds();
// The kind with this name, or nullptr.
const FaultKindEntry* find_fault_kind(std::string_view name);
std::vector<std::string> fault_kind_names();
// The kinds the nemesis can draw (entry.draw set), in registry order.
std::vector<std::string> nemesis_kind_names();

}  // namespace consim
