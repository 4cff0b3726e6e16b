// Phase boundaries and names: see phases.h.
#include "analysis/metrics/phases.h"

#include <algorithm>
#include <map>

namespace consim {
namespace {

std::string fault_name(std::uint32_t fault, const TraceNames& names) {
  if (fault < names.faults.size()) return names.faults[fault];
  return "fault #" + std::to_string(fault);
}

}  // namespace

PhaseTracker::PhaseTracker() { phases_.push_back(Phase{"before", 0, 0, {}, {}}); }

bool PhaseTracker::is_active(std::uint32_t fault) const {
  return std::any_of(active_.begin(), active_.end(),
                     [fault](const ActiveFault& a) { return a.fault == fault; });
}

bool PhaseTracker::on_fault(const TraceEvent& event, const TraceNames& names) {
  if (event.type != EventType::Fault) return false;
  return event.fault_end ? end_fault(event, names) : start_fault(event, names);
}

bool PhaseTracker::is_state(std::uint32_t fault) const {
  return std::any_of(states_.begin(), states_.end(),
                     [fault](const State& s) { return s.fault == fault; });
}

bool PhaseTracker::start_fault(const TraceEvent& event, const TraceNames& names) {
  if (is_active(event.fault) || is_state(event.fault)) return false;  // a repeated start line
  if (event.fault_kind < names.fault_kinds.size() &&
      names.fault_kinds[event.fault_kind] == kStateKind) {
    states_.push_back(State{event.fault, event.time});
    return false;
  }
  ActiveFault fault{event.fault, std::nullopt};
  if (!event.sides.empty()) {
    fault.partition = partitions_.size();
    partitions_.push_back(
        PartitionRecord{event.fault, event.line, event.time, std::nullopt, event.sides});
  }
  active_.push_back(fault);
  begin_phase(event.time, during_name(names));
  return true;
}

bool PhaseTracker::end_fault(const TraceEvent& event, const TraceNames& names) {
  auto it = std::find_if(active_.begin(), active_.end(),
                         [&](const ActiveFault& a) { return a.fault == event.fault; });
  if (it == active_.end()) return false;
  if (it->partition) partitions_[*it->partition].end = event.time;
  active_.erase(it);
  begin_phase(event.time,
              active_.empty() ? "after " + fault_name(event.fault, names) : during_name(names));
  return true;
}

std::string PhaseTracker::during_name(const TraceNames& names) const {
  constexpr std::size_t kNamed = 2;  // more are counted, so names stay short
  std::string name = "during ";
  for (std::size_t i = 0; i < active_.size() && i < kNamed; ++i) {
    if (i > 0) name += " + ";
    name += fault_name(active_[i].fault, names);
  }
  if (active_.size() > kNamed) name += " + " + std::to_string(active_.size() - kNamed) + " more";
  return name;
}

void PhaseTracker::begin_phase(Time now, std::string name) {
  Phase next;
  next.name = std::move(name);
  next.start = now;
  for (const ActiveFault& a : active_) {
    next.faults.push_back(a.fault);
    if (a.partition) next.partitions.push_back(*a.partition);
  }
  Phase& last = phases_.back();
  if (!used_ && last.start == now) {
    last = std::move(next);  // zero time, nothing seen: rename in place
    return;
  }
  last.end = now;
  phases_.push_back(std::move(next));
  used_ = false;
}

void PhaseTracker::finish(Time end) { phases_.back().end = std::max(end, phases_.back().start); }

std::vector<std::string> PhaseTracker::unique_names() const {
  std::map<std::string, int> seen;
  std::vector<std::string> names;
  names.reserve(phases_.size());
  for (const Phase& phase : phases_) {
    const int n = ++seen[phase.name];
    names.push_back(n == 1 ? phase.name : phase.name + " (" + std::to_string(n) + ")");
  }
  return names;
}

}  // namespace consim
