// The "faults" part of a scenario; see docs/scenario-format.md. The kind
// of each fault is looked up in the fault kind table (fault_kind.h), whose
// entry parses the kind's own keys.
//
// Each fault has a start ("start" for partitions, "at" otherwise) and an
// optional end ("heal", "restart", "resume"; clock faults have none): a
// fault without an end lasts to the end of the run. An unnamed fault is
// called after its type and its rank among faults of that type, counting
// named ones too: faults [crash, partition, crash "boom", crash] are named
// "crash 1", "partition 1", "boom", "crash 3".
// Invariants of the result: 0 <= start < duration, start < end <= duration;
// names are unique; a node is never crashed or paused by two faults at once
// (crash and pause windows of one node do not overlap).
#include <map>

#include "sim/fault_kind.h"
#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

void parse_timing(const JsonReader& f, const FaultKindEntry& k, Time duration, FaultSpec& spec) {
  spec.start = f.duration(k.start_key);
  if (spec.start >= duration)
    f.fail_at(k.start_key, std::string(k.start_key) + " " + format_duration(spec.start) +
                               " is not before the end of the run (duration " +
                               format_duration(duration) + ")");
  if (!k.end_key || !f.has(k.end_key)) return;
  Time end = time_in_run(f.at(k.end_key), duration);
  if (end <= spec.start)
    f.fail_at(k.end_key, std::string(k.end_key) + " " + format_duration(end) + " is not after " +
                             k.start_key + " " + format_duration(spec.start));
  spec.end = end;
}

FaultSpec parse_fault(const JsonReader& f, const NodeNames& nodes, Time duration) {
  std::string type = one_of(f.at("type"), fault_kind_names(), "fault type", "fault types");
  FaultSpec spec;
  spec.kind = find_fault_kind(type);
  const FaultKindEntry& k = *spec.kind;
  if (nodes.size() < k.min_nodes)
    f.fail_at("type", "a " + type + " fault needs at least " + std::to_string(k.min_nodes) +
                          " nodes, the scenario has " + std::to_string(nodes.size()));
  FaultParseContext ctx{nodes, {"type", "name", k.start_key}};
  if (k.end_key) ctx.common_keys.emplace_back(k.end_key);
  spec.effect = k.parse(f, ctx);
  if (f.has("name")) spec.name = non_empty_string(f.at("name"));
  parse_timing(f, k, duration, spec);
  return spec;
}

std::string window(const FaultSpec& f) {
  return format_duration(f.start) + " to " + (f.end ? format_duration(*f.end) : "the end");
}

// Faults that take over a node (crash, pause) must not overlap on one node:
// a node is up, crashed or paused, one at a time. `faults[i]` is checked
// against the faults listed before it; the error points at fault i.
void check_node_windows(const std::vector<JsonReader>& elements,
                        const std::vector<FaultSpec>& faults, std::size_t i, Time duration) {
  const FaultSpec& b = faults[i];
  auto b_node = b.effect->occupies();
  if (!b_node) return;
  Time b_end = b.end.value_or(duration);
  for (std::size_t j = 0; j < i; ++j) {
    const FaultSpec& a = faults[j];
    if (a.effect->occupies() != b_node) continue;
    Time a_end = a.end.value_or(duration);
    if (b.start >= a.start && b.start < a_end)
      elements[i].fail_at(b.kind->start_key, *b_node + " is already " + a.kind->state + " at " +
                                                 format_duration(b.start) + " by \"" + a.name +
                                                 "\" (" + window(a) + ")");
    if (a.start > b.start && a.start < b_end)
      elements[i].fail_at(b.end ? b.kind->end_key : b.kind->start_key,
                          *b_node + " would still be " + b.kind->state + " at " +
                              format_duration(a.start) + ", when \"" + a.name + "\" " +
                              a.kind->verb + " it (" + window(a) + ")");
  }
}

}  // namespace

std::vector<FaultSpec> parse_faults(const JsonReader& value, const NodeNames& nodes,
                                    Time duration) {
  auto elements = value.as_array();
  std::vector<FaultSpec> faults;
  std::map<std::string, int> rank;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    FaultSpec spec = parse_fault(elements[i], nodes, duration);
    int r = ++rank[spec.kind->name];
    if (spec.name.empty()) spec.name = std::string(spec.kind->name) + " " + std::to_string(r);
    for (std::size_t j = 0; j < faults.size(); ++j)
      if (faults[j].name == spec.name) {
        std::string message = "name \"" + spec.name + "\" is already used by " + value.path() +
                              "[" + std::to_string(j) + "]; give the faults distinct names";
        if (elements[i].has("name")) elements[i].fail_at("name", message);
        elements[i].fail("default " + message);
      }
    faults.push_back(std::move(spec));
    check_node_windows(elements, faults, i, duration);
  }
  return faults;
}

}  // namespace consim::loader
