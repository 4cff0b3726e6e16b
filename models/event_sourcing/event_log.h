// An event store's log and the state folded from it: the core of event
// sourcing, shared by every node of the event-sourced model.
//
// The log is one stream of events in append order (offsets 0, 1, 2, ...);
// an entity's log (entity = key) is the subsequence of its events, each
// numbered by the entity's version (1, 2, ... per key). An event is
// "entity k set to v" (a command = a register write). The state is the fold
// of the log: apply(state, e) sets state[e.key] = e.value, so
// fold(log) = state holds by construction for a replica that applies each
// event as it appends it, and a replica that lost its state (a crash)
// rebuilds it by replaying the log.
//
// Worked example: log [x=5 (x v1), y=7 (y v1), x=9 (x v2)] folds to
// {x: 9, y: 7}; x's entity log is [x=5, x=9], its version 2.
//
// Invariants: offsets are dense and start at 0; append() takes only the
// next offset (a gap is the caller's to buffer); versions of a key are
// dense from 1 in offset order.
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "models/model.h"

namespace consim::event_sourcing {

struct Event {
  std::uint64_t offset = 0;   // position in the store's one stream
  Key key = 0;                // the entity
  std::uint64_t version = 0;  // the entity's version after this event (1 = first)
  Value value = 0;            // "entity key set to value"
};

using State = std::map<Key, Value>;

// apply(state, e): the fold's step.
void apply(State& state, const Event& event);
// The fold of `events` from the empty state.
State fold(const std::vector<Event>& events);
// A digest of a state (FNV-1a over the sorted (key, value) pairs), printed
// in the trace's "rebuilt" note so a test can compare it with the state the
// replica served (its apply lines). Empty state: the FNV offset basis.
std::uint64_t state_digest(const State& state);

class EventLog {
 public:
  // Appends a new event for `key` at the end (the owner's append): its
  // offset and version are the next ones.
  const Event& append_new(Key key, Value value);
  // Appends an event shipped from the owner; it must carry the next offset.
  void append(const Event& event);

  std::uint64_t size() const { return events_.size(); }
  const Event& at(std::uint64_t offset) const { return events_[offset]; }
  const std::vector<Event>& events() const { return events_; }
  // The entity's version: how many events of `key` the log holds.
  std::uint64_t version(Key key) const;
  std::size_t entities() const { return versions_.size(); }

 private:
  std::vector<Event> events_;
  std::map<Key, std::uint64_t> versions_;
};

}  // namespace consim::event_sourcing
