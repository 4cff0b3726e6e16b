// The "nemesis" part of a scenario: random faults between start and end;
// see docs/scenario-format.md.
//
// Invariants of the result: 0 <= start < end <= duration; kinds is a
// non-empty list of distinct kinds whose entry can be drawn (fault_kind.h);
// each kind's own nemesis keys (clock: max_clock_offset) are checked by
// its entry, present exactly when the kind is listed;
// the fault length has a positive mean, and time advances: the nemesis
// draws at most about kMaxNemesisFaults faults. A fault starts an interval
// after the previous one ended (a kind without an end, such as clock: after
// its start), so faults start mean(interval) + share * mean(length) apart on
// average, share being the part of the kinds that last; the expected count
// is the window over that (renewal counting; exact for constants, and within
// a few per cent whenever the count is large, which is when it matters).
// Example: "interval": "0s", "length": "1ns" over 20 s would be 2e10 faults,
// and "kinds": ["clock"] with "interval": "0s" would never leave the start.
#include <algorithm>
#include <cmath>

#include "sim/fault_kind.h"
#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

std::vector<const FaultKindEntry*> parse_kinds(const JsonReader& value, const NodeNames& nodes) {
  auto elements = value.as_array();
  if (elements.empty()) value.fail("expected at least one kind of fault");
  std::vector<const FaultKindEntry*> kinds;
  for (const auto& e : elements) {
    auto name = one_of(e, nemesis_kind_names(), "nemesis kind", "nemesis kinds");
    const FaultKindEntry* kind = find_fault_kind(name);
    for (const FaultKindEntry* k : kinds)
      if (k == kind) e.fail("\"" + name + "\" is listed twice");
    if (nodes.size() < kind->min_nodes)
      e.fail("a " + name + " needs at least " + std::to_string(kind->min_nodes) +
             " nodes, the scenario has " + std::to_string(nodes.size()));
    kinds.push_back(kind);
  }
  return kinds;
}

constexpr double kMaxNemesisFaults = 100'000;

void require_progress(const JsonReader& value, const NemesisSpec& n) {
  double lasting = 0;
  for (const auto& k : n.kinds)
    if (k->end_key != nullptr) lasting += 1;
  double share = lasting / static_cast<double>(n.kinds.size());
  double gap = std::max(n.interval.mean(), 0.0) + share * std::max(n.length.mean(), 0.0);
  double window = static_cast<double>(n.end - n.start);
  if (gap * kMaxNemesisFaults >= window) return;
  auto shown = [](double ns) { return format_duration(static_cast<Time>(std::llround(ns))); };
  std::string count = gap > 0 ? "about " + std::to_string(std::llround(window / gap)) + " faults"
                              : "an endless number of faults";
  std::string fix = share > 0 ? "make \"interval\" or \"length\" longer"
                              : "make \"interval\" longer (clock faults have no length)";
  value.fail_at("interval", "time cannot advance: faults would start " + shown(gap) +
                                " apart on average (interval plus length), " + count +
                                " in the nemesis's " + shown(window) + "; at most " +
                                std::to_string(static_cast<long long>(kMaxNemesisFaults)) + ": " +
                                fix);
}

}  // namespace

NemesisSpec parse_nemesis(const JsonReader& value, const NodeNames& nodes, Time duration) {
  std::vector<std::string> allowed = {"start", "end", "interval", "length", "kinds"};
  for (const FaultKindEntry* k : fault_kinds())
    if (k->nemesis_key) allowed.emplace_back(k->nemesis_key);
  value.allow_only(allowed);
  NemesisSpec n;
  n.start =
      optional_key(value, "start", Time{0}, [](const JsonReader& v) { return v.as_duration(); });
  if (n.start >= duration)
    value.fail_at("start", "start " + format_duration(n.start) +
                               " is not before the end of the run (duration " +
                               format_duration(duration) + ")");
  n.end = optional_key(value, "end", duration,
                       [&](const JsonReader& v) { return time_in_run(v, duration); });
  if (n.end <= n.start)
    value.fail_at(
        "end", "end " + format_duration(n.end) + " is not after start " + format_duration(n.start));
  n.interval = parse_distribution(value.at("interval"));
  n.length = parse_distribution(value.at("length"));
  if (!(n.length.mean() > 0)) value.fail_at("length", "faults must last: the length's mean is 0");
  n.kinds = parse_kinds(value.at("kinds"), nodes);
  for (const FaultKindEntry* k : fault_kinds()) {
    if (!k->nemesis_params) continue;
    bool listed = std::find(n.kinds.begin(), n.kinds.end(), k) != n.kinds.end();
    k->nemesis_params(value, listed, n);
  }
  require_progress(value, n);
  return n;
}

}  // namespace consim::loader
