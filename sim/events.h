// The kinds of simulator event: one small struct per kind, carried by value
// in the event queue's heap entry and dispatched with a switch (std::visit
// over a std::variant compiles to one), never a virtual call or an
// allocation.
//
// Invariants:
//  - Every kind is trivially copyable, 4-byte aligned and at most 12 bytes,
//    so the variant is 16 bytes and a heap entry (time, seq, payload) stays
//    32 bytes. 64-bit ids are stored as two halves (Packed64) for that.
//  - A payload names its handler's own state (a timer slot, a slab index, a
//    fault index); larger data stays with the part that scheduled it.
//  - Adding a kind: add the struct, add it to EventPayload, give it a row in
//    kEventKinds; every dispatcher then fails to compile until it handles
//    it (std::visit needs an overload for each alternative).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>
#include <type_traits>
#include <variant>

namespace consim {

// A 64-bit value stored as two 32-bit halves: 4-byte aligned, so payloads
// holding one pack into the 16-byte variant.
struct Packed64 {
  std::uint32_t lo = 0, hi = 0;
  constexpr Packed64() = default;
  constexpr Packed64(std::uint64_t v)  // NOLINT: implicit on purpose
      : lo(static_cast<std::uint32_t>(v)), hi(static_cast<std::uint32_t>(v >> 32)) {}
  constexpr operator std::uint64_t() const { return (std::uint64_t{hi} << 32) | lo; }
};

namespace events {

// A copy of a model message reaches its destination (Transport's slab slot).
struct CopyArrives {
  std::uint32_t slot;
};
// A node's timer fires (its slot and the slot's generation when it was set:
// a cancelled or re-armed slot has another generation, and the event is
// ignored).
struct TimerFires {
  std::uint32_t node;
  std::uint32_t slot;
  std::uint32_t generation;
};
// A client invokes its next operation.
struct OperationStarts {
  std::uint32_t client;
};
// A client's operation has had no reply within the workload's timeout.
struct OperationTimesOut {
  Packed64 op_id;
};
// A request (client to node) or a reply (node to client) crosses the client
// link (Clients' transit id).
struct ClientLinkArrives {
  Packed64 transit_id;
};
// A scheduled fault starts or ends (its index in the fault schedule).
struct FaultBegins {
  std::uint32_t fault;
};
struct FaultEnds {
  std::uint32_t fault;
};

}  // namespace events

using EventPayload = std::variant<events::CopyArrives, events::TimerFires, events::OperationStarts,
                                  events::OperationTimesOut, events::ClientLinkArrives,
                                  events::FaultBegins, events::FaultEnds>;

static_assert(std::is_trivially_copyable_v<EventPayload>);
static_assert(sizeof(EventPayload) == 16, "keep the heap entry at 32 bytes");

// Per kind, in EventPayload's order: a name for messages, and the scenario
// setting most likely to blame when events of this kind repeat at one
// simulated instant without time advancing (see EventLoop's guard).
struct EventKindInfo {
  std::string_view name;
  std::string_view setting;  // a JSON path in the scenario
  std::string_view why;
};

inline constexpr std::array<EventKindInfo, std::variant_size_v<EventPayload>> kEventKinds{{
    {"message copy arrives", "$.network",
     "a link latency that can be 0 ns lets nodes' messages answer each other at one instant"},
    {"timer fires", "$.model.params",
     "a model timer set with a delay of 0 ns re-arms itself at the same instant"},
    {"client operation starts", "$.workload.think_time",
     "a think time (or an open-loop gap) of 0 ns lets every client invoke its next operation "
     "at the same instant"},
    {"client operation times out", "$.workload.timeout",
     "a timeout of 0 ns with no think time ends each operation at the instant it starts"},
    {"client link delivers", "$.client_latency",
     "a client latency that can be 0 ns, with a think time of 0 ns, lets requests and replies "
     "cross at one instant"},
    {"fault begins", "$.nemesis.interval",
     "faults scheduled at one instant (a nemesis interval or length of 0 ns)"},
    {"fault ends", "$.nemesis.length",
     "faults scheduled at one instant (a nemesis interval or length of 0 ns)"},
}};

}  // namespace consim
