// Streaming trace reader: line types, the header, time order, and the
// lines that are not client operations (network, faults, notes, roles,
// redirects). Operations are in trace_ops.cc, the shared state in
// trace_reader_impl.h, lines in line_source.h, field capture and typed
// access in line_fields.h.
//
// Invariants: one line is held at a time (plus the read-ahead buffer); every
// line is validated as JSON by FlatScanner; a known line type must carry its
// required fields with the right JSON types; times never decrease. Names are
// interned in first-seen order (header nodes first), so ids are the same for
// the same file on every run. Unknown fields are ignored; so are unknown line
// types (EventType::Other). From Jepsen: a UTF-8 byte-order mark before line 1
// is skipped; an operation line of process "nemesis" or ":nemesis" is
// skipped (as Other) and counted; "f" may be spelled ":read"; a string key
// that reads as an integer is named with its quotes ("\"1\""), so key 1 and
// key "1" stay two keys.
#include "analysis/trace/trace_reader.h"

#include "analysis/trace/trace_reader_impl.h"
#include "base/json_input.h"

namespace consim {

using namespace trace_fields;

namespace {

bool is_op_line(EventType t) {
  return t == EventType::Invoke || t == EventType::Ok || t == EventType::Fail ||
         t == EventType::Info;
}

// Every field a line type may carry, back at its default.
void reset_event(TraceEvent& e) {
  e.time = 0;
  e.op = 0, e.has_op = false, e.process = 0, e.f = HistOp::Read;
  e.key = e.node = e.from = e.to = e.kind = e.fault = e.what = kNone;
  e.client = e.hint = kNone;
  e.fault_kind = e.action = e.label = kNone;
  e.fault_end = e.down = false;
  e.value.reset();
  e.siblings.clear();
  e.vv.clear();
  e.has_vv = false;
  e.expected = 0;
  e.cas_failed = false;
  e.item.clear();
  e.has_items = false;
  e.held.reset();
  e.final = false;
  e.lasted.reset();
  e.msg = e.bytes = 0;
  e.sides.clear();
  e.role = kNone;
  e.term = 0;
  e.transfer = false;
  e.answers.reset();
  e.audit = 0;
  e.to_key = kNone;
  e.amount = 0;
}

}  // namespace

bool TraceReader::Impl::parse(std::string_view line, TraceEvent& e) {
  fields.capture(line, lines.line_no());
  e.line = lines.line_no();
  e.type = type_of(fields.type_name());
  reset_event(e);
  if (e.type == EventType::Header) {
    if (seen_event) fail("the header must be the first line");
    if (header_line != 0)
      fail("a second header (the header is line " + std::to_string(header_line) + ")");
    header_line = e.line;
    fill_header(line);
    return true;
  }
  seen_event = true;
  if (is_op_line(e.type) && is_nemesis()) {
    ++nemesis_lines;
    e.type = EventType::Other;
    return true;
  }
  check_time(e);
  switch (e.type) {
    case EventType::Invoke:
    case EventType::Ok:
    case EventType::Fail:
    case EventType::Info:
      fill_op(e);
      break;
    case EventType::Send:
    case EventType::Deliver:
    case EventType::Drop:
    case EventType::Duplicate:
    case EventType::Hold:
      fill_network(e);
      break;
    case EventType::Fault:
      fill_fault(e);
      break;
    case EventType::Apply:
      e.node = nodes.intern(fields.need_string(kNode));
      fill_op(e);  // key and value, same rules as an operation's
      break;
    case EventType::Note:
      fill_note(e);
      break;
    case EventType::Role:
      fill_role(e);
      break;
    case EventType::Redirect:
      fill_redirect(e);
      break;
    default:
      break;
  }
  return true;
}

// An operation line of Jepsen's nemesis: process "nemesis" or ":nemesis".
bool TraceReader::Impl::is_nemesis() const {
  if (!fields.has(kProcess) || fields.value(kProcess).kind != FlatKind::String) return false;
  std::string_view p = fields.value(kProcess).text;
  return p == "nemesis" || p == ":nemesis";
}

// Every line but the header carries a time; unknown types may omit it.
void TraceReader::Impl::check_time(TraceEvent& e) {
  if (e.type == EventType::Other && !fields.has(kTime)) return;
  Time t = fields.need_i64(kTime);
  if (t == kTimeMax) fields.wrong_type(kTime, "below 2^63-1");
  if (have_time && t < last_time)
    fail("time " + std::to_string(t) + " is earlier than time " + std::to_string(last_time) +
         " on line " + std::to_string(last_time_line) + ": time must not decrease");
  have_time = true;
  last_time = t;
  last_time_line = e.line;
  e.time = t;
}

void TraceReader::Impl::fill_network(TraceEvent& e) {
  e.msg = fields.need_u64(kMsg);
  e.from = nodes.intern(fields.need_string(kFrom));
  e.to = nodes.intern(fields.need_string(kTo));
  e.kind = kinds.intern(fields.need_string(kKind));
  if (e.type == EventType::Send) e.bytes = fields.need_u64(kBytes);
}

void TraceReader::Impl::fill_note(TraceEvent& e) {
  e.node = nodes.intern(fields.need_string(kNode));
  if (fields.has(kWhat)) e.what = notes.intern(fields.need_string(kWhat));
  if (!fields.has(kLasted)) return;
  std::int64_t lasted = fields.need_i64(kLasted);
  if (lasted < 0) fail("field \"lasted\" must not be negative, got " + std::to_string(lasted));
  e.lasted = lasted;
}

// {"type":"role","time":T,"node":"n1","role":"leader","term":3}: any role
// name (the checks know "leader" and "primary"), a non-negative term.
void TraceReader::Impl::fill_role(TraceEvent& e) {
  e.node = nodes.intern(fields.need_string(kNode));
  e.role = roles.intern(fields.need_string(kRole));
  e.term = fields.need_i64(kTerm);
  if (e.term < 0) fail("field \"term\" must not be negative, got " + std::to_string(e.term));
}

// A node name, or kNone for null (required either way).
std::uint32_t TraceReader::Impl::node_or_null(Field f) {
  if (fields.need(f).kind == FlatKind::Null) return kNone;
  return nodes.intern(fields.need_string(f));
}

// {"op", "node", "hint": node or null, "to": node or null (the client gave up)}.
void TraceReader::Impl::fill_redirect(TraceEvent& e) {
  e.op = fields.need_u64(kOp);
  e.has_op = true;
  e.node = nodes.intern(fields.need_string(kNode));
  e.hint = node_or_null(kHint);
  e.to = node_or_null(kTo);
}

// One shape for every fault kind: the reader needs no list of kinds.
void TraceReader::Impl::fill_fault(TraceEvent& e) {
  e.fault = faults.intern(fields.need_string(kFault));
  e.fault_kind = fault_kinds.intern(fields.need_string(kKind));
  std::string_view edge = fields.need_string(kEdge);
  if (edge == "end")
    e.fault_end = true;
  else if (edge != "begin")
    fail("field \"edge\" must be \"begin\" or \"end\", got \"" + std::string(edge) + "\"");
  e.action = actions.intern(fields.need_string(kAction));
  e.label = labels.intern(fields.need_string(kLabel));
  if (fields.has(kNode)) e.node = nodes.intern(fields.need_string(kNode));
  if (auto down = fields.optional_bool(kDown, "a boolean")) e.down = *down;
  if (!fields.has(kSides)) return;
  const FlatValue& sides = fields.value(kSides);
  if (sides.kind != FlatKind::Array || !fields.scanner().string_rows(sides.text, rows))
    fail("field \"sides\" must be an array of arrays of node names");
  e.sides.resize(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    e.sides[i].clear();
    for (const auto& name : rows[i]) e.sides[i].push_back(nodes.intern(name));
  }
}

void TraceReader::Impl::fill_header(std::string_view line) {
  header = nlohmann::json::parse(line.begin(), line.end(), nullptr, false);
  if (header.is_discarded() || !header.is_object()) fail("not JSON: the header could not be read");
  // Both optional (hand-written histories may have a bare header), but a
  // header that names another format or version is not read as this one.
  if (header.contains("format") && header["format"] != "consim-trace")
    fail("header \"format\" is " + json_excerpt(header["format"]) + ", not \"consim-trace\"");
  if (header.contains("version") && header["version"] != 1)
    fail("header \"version\" is " + json_excerpt(header["version"]) +
         "; this consim reads version 1");
  auto it = header.find("nodes");
  if (it != header.end() && it->is_array())
    for (const auto& n : *it)
      if (n.is_string()) nodes.intern(n.get<std::string>());
}

TraceReader::TraceReader(const std::string& path) : impl_(std::make_unique<Impl>(path)) {}

TraceReader::~TraceReader() = default;

bool TraceReader::next(TraceEvent& event) {
  std::string_view line;
  if (!impl_->lines.next(line)) return false;
  return impl_->parse(line, event);
}

const TraceNames& TraceReader::names() const { return impl_->names; }
std::uint64_t TraceReader::nemesis_lines() const { return impl_->nemesis_lines; }
const nlohmann::json& TraceReader::header() const { return impl_->header; }
const std::string& TraceReader::path() const { return impl_->lines.path(); }

}  // namespace consim
