// Lookups of trace field and line-type names: see trace_fields.h.
#include "analysis/trace/trace_fields.h"

#include <cstddef>
#include <cstring>

namespace consim::trace_fields {
namespace {

// Compares with a literal of known length: compiles to a word compare.
template <std::size_t N>
bool is(std::string_view key, const char (&literal)[N]) {
  return key.size() == N - 1 && std::memcmp(key.data(), literal, N - 1) == 0;
}

struct TypeName {
  std::string_view name;
  EventType type;
};
// clang-format off
constexpr TypeName kTypes[] = {
    {"invoke", EventType::Invoke}, {"ok", EventType::Ok},
    {"fail", EventType::Fail},     {"info", EventType::Info},
    {"send", EventType::Send},     {"deliver", EventType::Deliver},
    {"drop", EventType::Drop},     {"duplicate", EventType::Duplicate},
    {"hold", EventType::Hold},     {"fault", EventType::Fault},
    {"apply", EventType::Apply},   {"note", EventType::Note},
    {"end", EventType::End},       {"header", EventType::Header},
    {"role", EventType::Role},
    {"redirect", EventType::Redirect},
};
// clang-format on

}  // namespace

const char* const kFieldNames[kFieldCount] = {
    "type",   "time", "op",       "process", "f",     "key",     "value", "node",
    "msg",    "from", "to",       "kind",    "bytes", "fault",   "sides", "what",
    "lasted", "edge", "action",   "label",   "down",  "result",  "role",  "term",
    "client", "hint", "siblings", "final",   "vv",    "answers", "audit"};

int field_of(std::string_view key) {
  switch (key.size()) {
    case 1:
      return key[0] == 'f' ? kF : -1;
    case 2:
      return is(key, "op") ? kOp : is(key, "to") ? kTo : is(key, "vv") ? kVv : -1;
    case 3:
      return is(key, "key") ? kKey : is(key, "msg") ? kMsg : -1;
    case 4:
      switch (key[0]) {
        case 't':
          return is(key, "type") ? kType : is(key, "time") ? kTime : is(key, "term") ? kTerm : -1;
        case 'r':
          return is(key, "role") ? kRole : -1;
        case 'n':
          return is(key, "node") ? kNode : -1;
        case 'f':
          return is(key, "from") ? kFrom : -1;
        case 'k':
          return is(key, "kind") ? kKind : -1;
        case 'w':
          return is(key, "what") ? kWhat : -1;
        case 'e':
          return is(key, "edge") ? kEdge : -1;
        case 'd':
          return is(key, "down") ? kDown : -1;
        case 'h':
          return is(key, "hint") ? kHint : -1;
        default:
          return -1;
      }
    case 5:
      switch (key[0]) {
        case 'v':
          return is(key, "value") ? kValue : -1;
        case 'b':
          return is(key, "bytes") ? kBytes : -1;
        case 'f':
          return is(key, "fault") ? kFault : is(key, "final") ? kFinal : -1;
        case 's':
          return is(key, "sides") ? kSides : -1;
        case 'l':
          return is(key, "label") ? kLabel : -1;
        case 'a':
          return is(key, "audit") ? kAudit : -1;
        default:
          return -1;
      }
    case 6:
      return is(key, "lasted")   ? kLasted
             : is(key, "action") ? kAction
             : is(key, "result") ? kResult
             : is(key, "client") ? kClient
                                 : -1;
    case 7:
      return is(key, "process") ? kProcess : is(key, "answers") ? kAnswers : -1;
    case 8:
      return is(key, "siblings") ? kSiblings : -1;
    default:
      return -1;
  }
}

EventType type_of(std::string_view name) {
  // The busiest types first: compares with literals, no call to memcmp.
  if (is(name, "deliver")) return EventType::Deliver;
  if (is(name, "send")) return EventType::Send;
  if (is(name, "invoke")) return EventType::Invoke;
  if (is(name, "ok")) return EventType::Ok;
  if (!name.empty() && name[0] == ':') {  // Jepsen's keywords: ":invoke", ":ok", ...
    EventType t = type_of(name.substr(1));
    bool op = t == EventType::Invoke || t == EventType::Ok || t == EventType::Fail ||
              t == EventType::Info;
    return op ? t : EventType::Other;
  }
  for (const auto& t : kTypes)
    if (t.name.size() == name.size() && std::memcmp(t.name.data(), name.data(), name.size()) == 0)
      return t.type;
  return EventType::Other;
}

const char* kind_name(FlatKind k) {
  switch (k) {
    case FlatKind::String:
      return "a string";
    case FlatKind::Number:
      return "a number";
    case FlatKind::Null:
      return "null";
    case FlatKind::Bool:
      return "a boolean";
    case FlatKind::Array:
      return "an array";
    case FlatKind::Object:
      return "an object";
  }
  return "a value";
}

}  // namespace consim::trace_fields
