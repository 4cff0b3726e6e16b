// The "faults" and "nemesis" parts of a scenario; see docs/scenario-format.md.
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

#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

struct KindInfo {
  FaultKind kind;
  const char* type;
  const char* start_key;
  const char* end_key;  // nullptr: the fault has no end
  const char* state;    // what the node is during the fault
  const char* verb;
};

const std::vector<KindInfo>& kinds() {
  static const std::vector<KindInfo> table = {
      {FaultKind::Partition, "partition", "start", "heal", "partitioned", "partitions"},
      {FaultKind::Crash, "crash", "at", "restart", "crashed", "crashes"},
      {FaultKind::Pause, "pause", "at", "resume", "paused", "pauses"},
      {FaultKind::Clock, "clock", "at", nullptr, "skewed", "skews"},
  };
  return table;
}

const KindInfo& info(FaultKind kind) {
  for (const auto& k : kinds())
    if (k.kind == kind) return k;
  return kinds().front();
}

void parse_timing(const JsonReader& f, const KindInfo& k, Time duration, FaultSpec& spec) {
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

void parse_clock(const JsonReader& f, FaultSpec& spec) {
  if (f.has("offset")) spec.clock_offset = signed_duration(f.at("offset"));
  if (f.has("drift_ppm")) spec.clock_drift_ppm = f.number("drift_ppm", -1e5, 1e5);
  if (!spec.clock_offset && !spec.clock_drift_ppm)
    f.fail("a clock fault sets \"offset\", \"drift_ppm\" or both");
}

FaultSpec parse_fault(const JsonReader& f, const NodeNames& nodes, Time duration) {
  std::vector<std::string> types;
  for (const auto& k : kinds()) types.emplace_back(k.type);
  std::string type = one_of(f.at("type"), types, "fault type", "fault types");
  FaultSpec spec;
  for (const auto& k : kinds())
    if (type == k.type) spec.kind = k.kind;
  const KindInfo& k = info(spec.kind);
  if (spec.kind == FaultKind::Partition) {
    spec.partition = parse_partition(f, nodes);
  } else {
    std::vector<std::string> allowed = {"type", "name", "node", k.start_key};
    if (k.end_key) allowed.emplace_back(k.end_key);
    if (spec.kind == FaultKind::Clock) allowed.insert(allowed.end(), {"offset", "drift_ppm"});
    f.allow_only(allowed);
    spec.node = nodes.node(f.at("node"));
  }
  if (f.has("name")) spec.name = non_empty_string(f.at("name"));
  parse_timing(f, k, duration, spec);
  if (spec.kind == FaultKind::Clock) parse_clock(f, spec);
  return spec;
}

std::string window(const FaultSpec& f) {
  return format_duration(f.start) + " to " + (f.end ? format_duration(*f.end) : "the end");
}

// Crash and pause windows of one node must not overlap: a node is up,
// crashed or paused, one at a time. `faults[i]` is checked against the
// faults listed before it; the error points at fault i.
void check_node_windows(const std::vector<JsonReader>& elements,
                        const std::vector<FaultSpec>& faults, std::size_t i, Time duration) {
  const FaultSpec& b = faults[i];
  if (b.kind != FaultKind::Crash && b.kind != FaultKind::Pause) return;
  Time b_end = b.end.value_or(duration);
  for (std::size_t j = 0; j < i; ++j) {
    const FaultSpec& a = faults[j];
    if ((a.kind != FaultKind::Crash && a.kind != FaultKind::Pause) || a.node != b.node) continue;
    Time a_end = a.end.value_or(duration);
    if (b.start >= a.start && b.start < a_end)
      elements[i].fail_at("at", b.node + " is already " + info(a.kind).state + " at " +
                                    format_duration(b.start) + " by \"" + a.name + "\" (" +
                                    window(a) + ")");
    if (a.start > b.start && a.start < b_end)
      elements[i].fail_at(b.end ? info(b.kind).end_key : "at",
                          b.node + " would still be " + info(b.kind).state + " at " +
                              format_duration(a.start) + ", when \"" + a.name + "\" " +
                              info(a.kind).verb + " it (" + window(a) + ")");
  }
}

}  // namespace

std::vector<FaultSpec> parse_faults(const JsonReader& value, const NodeNames& nodes,
                                    Time duration) {
  auto elements = value.as_array();
  std::vector<FaultSpec> faults;
  std::map<FaultKind, int> rank;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    FaultSpec spec = parse_fault(elements[i], nodes, duration);
    int r = ++rank[spec.kind];
    if (spec.name.empty()) spec.name = std::string(info(spec.kind).type) + " " + std::to_string(r);
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
