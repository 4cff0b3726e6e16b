// What the event-sourced model's files share: its parsed parameters and its
// two messages. See event_sourced.cc for the protocol.
#pragma once

#include <optional>
#include <string>

#include "base/distribution.h"
#include "models/event_sourcing/event_log.h"
#include "models/model_info.h"
#include "models/model_support.h"

namespace consim::event_sourcing {

// Where queries (reads) go: the CQRS read model, or the log's owner (its
// fold of the log, which every command has reached before its ack).
enum class Queries : std::uint8_t { Projection, Log };
inline constexpr std::array<std::string_view, 2> kQueriesNames = {"projection", "log"};

struct Config : ModelConfig {
  NodeId log_owner = 0;                         // appends every command; default the first node
  NodeId projection = 0;                        // hosts the read model; default the last node
  std::string log_owner_name, projection_name;  // for the trace header
  // The projector's time to apply one event to the read model: a queue with
  // this service time, so a burst of commands builds a backlog.
  // Default 0: the read model lags only by the event's delivery.
  Distribution apply_time = Distribution::constant(0);
  std::string apply_time_json = "\"0ms\"";  // the JSON as written, for the trace header
  // Batch mode: the projector looks at its inbox only every interval (and
  // then applies everything it holds); nullopt: it wakes on every event.
  std::optional<Time> batch_interval;
  Queries queries = Queries::Projection;
  Time retry_initial = 50 * kMillisecond;
  Time retry_max = 1 * kSecond;

  nlohmann::json to_json() const override;
};

// One event shipped from the owner to a subscriber (a log replica or the
// projection), resent until acknowledged (models/retry_queue.h).
struct EventMsg : Payload {
  Event event;
  std::string_view type() const override { return "event"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + 8 + 8; }
};

// The subscriber holds every event up to and including `offset`.
struct EventAck : Payload {
  std::uint64_t offset = 0;
  std::string_view type() const override { return "event-ack"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8; }
};

}  // namespace consim::event_sourcing
