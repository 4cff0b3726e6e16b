// The trace line vocabulary for the streaming reader: the fields it
// captures, the line types it knows, and fast lookups of both by name.
//
// Invariants: kFieldNames[f] is the JSON key of field f; field_of() returns
// -1 for every key that is not one of them (such keys are ignored), and
// type_of() returns EventType::Other for an unknown line type (skipped).
#pragma once

#include <string_view>

#include "analysis/trace/flat_json.h"
#include "analysis/trace/trace_event.h"

namespace consim::trace_fields {

enum Field : int {
  kType,
  kTime,
  kOp,
  kProcess,
  kF,
  kKey,
  kValue,
  kNode,
  kMsg,
  kFrom,
  kTo,
  kKind,
  kBytes,
  kFault,
  kSides,
  kWhat,
  kLasted,
  kEdge,
  kAction,
  kLabel,
  kDown,
  kResult,
  kRole,
  kTerm,
  kClient,
  kHint,
  kSiblings,
  kFinal,
  kVv,
  kFieldCount
};
extern const char* const kFieldNames[kFieldCount];

// The Field a JSON key names, or -1.
int field_of(std::string_view key);
// The line type a "type" value names; EventType::Other if unknown. Jepsen's
// keyword spellings ":invoke", ":ok", ":fail" and ":info" name the same
// types as "invoke", ...
EventType type_of(std::string_view name);
// "a string", "a number", ... for messages about a wrong JSON type.
const char* kind_name(FlatKind k);

}  // namespace consim::trace_fields
