// The "nemesis" part of a scenario: random faults between start and end;
// see docs/scenario-format.md.
//
// Invariants of the result: 0 <= start < end <= duration; kinds is a
// non-empty list of distinct names among partition, crash, pause, clock;
// max_clock_offset > 0 exactly when kinds include clock (0 otherwise);
// the fault length has a positive mean, and time advances: the nemesis
// draws at most about kMaxNemesisFaults faults. A fault starts an interval
// after the previous one ended (a clock fault has no end: after its start),
// so faults start mean(interval) + share * mean(length) apart on average,
// share being the part of the kinds that last; the expected count is the
// window over that (renewal counting; exact for constants, and within a few
// per cent whenever the count is large, which is when it matters). Example:
// "interval": "0s", "length": "1ns" over 20 s would be 2e10 faults, and
// "kinds": ["clock"] with "interval": "0s" would never leave the start.
#include <algorithm>
#include <cmath>

#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

std::vector<std::string> parse_kinds(const JsonReader& value, const NodeNames& nodes) {
  auto elements = value.as_array();
  if (elements.empty()) value.fail("expected at least one kind of fault");
  std::vector<std::string> kinds;
  for (const auto& e : elements) {
    auto kind =
        one_of(e, {"partition", "crash", "pause", "clock"}, "nemesis kind", "nemesis kinds");
    for (const auto& k : kinds)
      if (k == kind) e.fail("\"" + kind + "\" is listed twice");
    if (kind == "partition" && nodes.size() < 2)
      e.fail("a partition needs at least 2 nodes, the scenario has 1");
    kinds.push_back(kind);
  }
  return kinds;
}

bool contains(const std::vector<std::string>& list, const std::string& x) {
  for (const auto& e : list)
    if (e == x) return true;
  return false;
}

constexpr double kMaxNemesisFaults = 100'000;

void require_progress(const JsonReader& value, const NemesisSpec& n) {
  double lasting = 0;
  for (const auto& k : n.kinds)
    if (k != "clock") lasting += 1;
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
                                std::to_string(static_cast<long long>(kMaxNemesisFaults)) +
                                ": " + fix);
}

}  // namespace

NemesisSpec parse_nemesis(const JsonReader& value, const NodeNames& nodes, Time duration) {
  value.allow_only({"start", "end", "interval", "length", "kinds", "max_clock_offset"});
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
  bool clock = contains(n.kinds, "clock");
  if (clock) {
    if (!value.has("max_clock_offset"))
      value.fail_at("max_clock_offset", "required when \"kinds\" include \"clock\"");
    n.max_clock_offset = value.duration("max_clock_offset");
    if (n.max_clock_offset <= 0 || n.max_clock_offset > kMaxClockOffset)
      value.fail_at("max_clock_offset",
                    "must be more than 0s and at most " + format_duration(kMaxClockOffset));
  } else if (value.has("max_clock_offset")) {
    value.fail_at("max_clock_offset", "only used when \"kinds\" include \"clock\"");
  }
  require_progress(value, n);
  return n;
}

}  // namespace consim::loader
