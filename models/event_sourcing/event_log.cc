// The event log and its fold; see event_log.h.
#include "models/event_sourcing/event_log.h"

#include <cstdlib>

namespace consim::event_sourcing {

void apply(State& state, const Event& event) { state[event.key] = event.value; }

State fold(const std::vector<Event>& events) {
  State state;
  for (const Event& e : events) apply(state, e);
  return state;
}

std::uint64_t state_digest(const State& state) {
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](std::uint64_t word) {
    for (int i = 0; i < 8; ++i) {
      h ^= (word >> (8 * i)) & 0xff;
      h *= 1099511628211ull;
    }
  };
  for (const auto& [key, value] : state) {
    mix(key);
    mix(static_cast<std::uint64_t>(value));
  }
  return h;
}

const Event& EventLog::append_new(Key key, Value value) {
  Event e{events_.size(), key, version(key) + 1, value};
  append(e);
  return events_.back();
}

void EventLog::append(const Event& event) {
  // A broken invariant of the model, not bad input: abort.
  if (event.offset != events_.size() || event.version != version(event.key) + 1) std::abort();
  events_.push_back(event);
  versions_[event.key] = event.version;
}

std::uint64_t EventLog::version(Key key) const {
  auto it = versions_.find(key);
  return it == versions_.end() ? 0 : it->second;
}

}  // namespace consim::event_sourcing
