// One parsed trace line, as the streaming analyses consume it.
//
// The reader (trace_reader.h) turns each JSON line into a TraceEvent with
// names interned to dense ids (nodes, keys, faults, message kinds), so the
// analyses hold integers, not strings. Fields a line type does not carry are
// left at their defaults. See docs/trace-format.md for the line types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/trace/history.h"
#include "base/time.h"

namespace consim {

// clang-format off
enum class EventType : std::uint8_t {
  Header, Invoke, Ok, Fail, Info,
  Send, Deliver, Drop, Duplicate, Hold,
  Fault,  // a fault's begin or end, any kind (docs/trace-format.md)
  Apply, Note, End,
  Role,   // a node announces its role in a term (leader-based models)
  Redirect,  // a node that is not the leader sent an operation away
  Other,  // a line type this version does not know: skipped, not an error
};
// clang-format on

inline constexpr std::uint32_t kNone = UINT32_MAX;

struct TraceEvent {
  std::uint64_t line = 0;  // 1-based position in the file
  EventType type = EventType::Other;
  Time time = 0;
  // Client operations.
  std::uint64_t op = 0;
  bool has_op = false;
  std::int64_t process = 0;
  HistOp f = HistOp::Read;
  std::uint32_t key = kNone;          // interned
  std::optional<std::int64_t> value;  // cas: the new value
  // Apply lines and read ok lines of models that keep concurrent versions:
  // every sibling, when more than one (value is the first); else empty.
  std::vector<std::int64_t> siblings;
  // "vv" of apply lines and of write and cas ok lines (version vectors,
  // mv-register): (interned node, count), ascending by node id; has_vv
  // tells an absent field from an empty vector.
  std::vector<std::pair<std::uint32_t, std::uint64_t>> vv;
  bool has_vv = false;
  std::int64_t expected = 0;  // cas only: the value compared with
  bool cas_failed = false;    // cas completion with "result": false
  // Sets and counters (docs/crdts.md): an add's or remove's item as
  // canonical JSON text; a set read's ok items (has_items: "value" was an
  // array); a remove's ok "result" (the replica held the item).
  std::string item;
  std::vector<std::string> items;
  bool has_items = false;
  std::optional<bool> held;
  // "final": true, on every line of a final read (any workload type: the
  // bank's balances, every replica's set or counter).
  bool final = false;
  std::uint32_t node = kNone;    // interned node name (ops, apply, faults, note, redirect)
  std::uint32_t client = kNone;  // ops: the "client" field, if the line has one
  // Network.
  std::uint64_t msg = 0;
  std::uint32_t from = kNone, to = kNone;  // interned node names
  std::uint32_t kind = kNone;              // interned message kind
  std::uint64_t bytes = 0;
  // Faults: every kind has the same line shape, so nothing here is per kind.
  std::uint32_t fault = kNone;                    // interned fault name
  std::uint32_t fault_kind = kNone;               // interned kind ("partition", ...)
  std::uint32_t action = kNone;                   // interned action ("heal", ...)
  std::uint32_t label = kNone;                    // interned label
  bool fault_end = false;                         // "edge": "end"
  bool down = false;                              // "down": the node is down
  std::vector<std::vector<std::uint32_t>> sides;  // faults that cut the network
  // Notes.
  std::uint32_t what = kNone;  // interned note kind
  std::optional<Time> lasted;  // how long the state the note ends lasted
  // Roles ("leader", "follower", ...) of role lines; node is the announcer.
  std::uint32_t role = kNone;  // interned role name
  std::int64_t term = 0;
  // Redirects: op, node (the one that redirected), `hint` (kNone: none) and
  // `to` (the node the client sends it to next; kNone: it gave up).
  std::uint32_t hint = kNone;  // interned node name
  // The bank workload: a transfer ("f": "transfer", "value": [to, amount];
  // `key` is the account debited).
  bool transfer = false;
  std::uint32_t to_key = kNone;  // interned, like key
  std::int64_t amount = 0;
  // Scripted sessions: a comment's write carries "answers", the value of
  // the post it answers (docs/trace-format.md, "Scripted sessions").
  std::optional<std::int64_t> answers;
  std::uint32_t audit = 0;  // a bank audit's read: "audit": <number>, from 1
};

// Interned names, shared by every event of one file.
struct TraceNames {
  std::vector<std::string> nodes, keys, faults, kinds, notes;
  std::vector<std::string> fault_kinds, actions, labels;
  std::vector<std::string> roles;
};

}  // namespace consim
