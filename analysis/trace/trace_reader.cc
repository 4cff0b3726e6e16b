// Streaming trace reader: line buffer, field capture and per-type checks.
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

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <nlohmann/json.hpp>

#include "analysis/trace/flat_json.h"
#include "analysis/trace/json_items.h"
#include "analysis/trace/name_interner.h"
#include "analysis/trace/trace_fields.h"
#include "base/json_input.h"

namespace consim {
// Named, not anonymous: TraceReader::Impl holds these types, and in a
// unity build an anonymous type in a member would be an error.
namespace trace_reader_detail {

using namespace trace_fields;

bool is_op_type(EventType t) {
  return t == EventType::Invoke || t == EventType::Ok || t == EventType::Fail ||
         t == EventType::Info;
}

// "-12", "7": the text of a JSON integer (so "1" as a string key needs quotes).
bool reads_as_integer(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// Reads "[a, b]" (two 64-bit integers; the scanner has checked the JSON).
bool int_pair(std::string_view raw, std::int64_t out[2]) {
  const char* p = raw.data();
  const char* end = p + raw.size();
  auto skip = [&] {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  };
  auto expect = [&](char c) {
    skip();
    if (p == end || *p != c) return false;
    ++p;
    return true;
  };
  for (int i = 0; i < 2; ++i) {
    if (!expect(i == 0 ? '[' : ',')) return false;
    skip();
    auto [next, ec] = std::from_chars(p, end, out[i]);
    if (ec != std::errc() || next == p ||
        (next < end && (*next == '.' || *next == 'e' || *next == 'E')))
      return false;
    p = next;
  }
  if (!expect(']')) return false;
  skip();
  return p == end;
}

// Reads "[a, b, ...]" (64-bit integers; the scanner has checked the JSON).
bool int_list(std::string_view raw, std::vector<std::int64_t>& out) {
  out.clear();
  const char* p = raw.data();
  const char* end = p + raw.size();
  auto skip = [&] {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) ++p;
  };
  skip();
  if (p == end || *p != '[') return false;
  ++p;
  skip();
  if (p < end && *p == ']') return true;
  while (true) {
    skip();
    std::int64_t v = 0;
    auto [next, ec] = std::from_chars(p, end, v);
    if (ec != std::errc() || next == p ||
        (next < end && (*next == '.' || *next == 'e' || *next == 'E')))
      return false;
    out.push_back(v);
    p = next;
    skip();
    if (p < end && *p == ',') {
      ++p;
      continue;
    }
    return p < end && *p == ']';
  }
}

struct Captured {
  bool present = false;
  FlatValue value;
  std::string owned;  // decoded text when the scanner's scratch held it
};

}  // namespace trace_reader_detail

using namespace trace_reader_detail;

struct TraceReader::Impl {
  std::string path;
  std::FILE* file = nullptr;
  std::vector<char> buffer = std::vector<char>(1 << 20);
  std::size_t pos = 0, filled = 0;
  bool eof = false;
  std::uint64_t line_no = 0;
  bool have_time = false;
  Time last_time = 0;
  std::uint64_t last_time_line = 0;
  bool seen_event = false;
  std::uint64_t header_line = 0;  // 0: no header read yet
  std::uint64_t nemesis_lines = 0;
  std::string quoted_key;  // scratch for a string key that reads as an integer
  TraceNames names;
  NameInterner nodes{names.nodes}, keys{names.keys}, faults{names.faults}, kinds{names.kinds},
      notes{names.notes}, fault_kinds{names.fault_kinds}, actions{names.actions},
      labels{names.labels}, roles{names.roles};
  nlohmann::json header;
  FlatScanner scanner;
  Captured fields[kFieldCount];
  std::string_view type_name;
  std::vector<std::vector<std::string>> rows;

  bool next_line(std::string_view& line);
  bool parse(std::string_view line, TraceEvent& event);
  void capture(std::string_view line);
  void fill_op(TraceEvent& e);
  void fill_cas(TraceEvent& e);
  void fill_transfer(TraceEvent& e);
  void fill_siblings(TraceEvent& e);
  void fill_data_op(TraceEvent& e);
  void fill_items(TraceEvent& e);
  void fill_vv(TraceEvent& e);
  void fill_network(TraceEvent& e);
  void fill_fault(TraceEvent& e);
  void fill_note(TraceEvent& e);
  void fill_role(TraceEvent& e);
  void fill_redirect(TraceEvent& e);
  std::uint32_t node_or_null(Field f);
  void fill_header(std::string_view line);
  void check_time(TraceEvent& e);
  bool is_nemesis() const;

  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(path, "line " + std::to_string(line_no), message);
  }
  const FlatValue& need(Field f) const {
    if (!fields[f].present)
      fail("\"" + std::string(type_name) + "\" line is missing required field \"" + kFieldNames[f] +
           "\"");
    return fields[f].value;
  }
  [[noreturn]] void wrong_type(Field f, const char* expected) const {
    // A null has no text of its own (the scanner's text may be a stale view).
    const FlatValue& v = fields[f].value;
    fail("field \"" + std::string(kFieldNames[f]) + "\" must be " + expected + ", got " +
         kind_name(v.kind) + (v.kind == FlatKind::Null ? "" : " " + std::string(v.text)));
  }
  std::int64_t need_i64(Field f) const {
    const FlatValue& v = need(f);
    if (v.kind != FlatKind::Number || !v.fits_i64) wrong_type(f, "a 64-bit integer");
    return v.i64;
  }
  std::uint64_t need_u64(Field f) const {
    const FlatValue& v = need(f);
    if (v.kind != FlatKind::Number || !v.fits_u64) wrong_type(f, "a non-negative integer");
    return v.u64;
  }
  std::string_view need_string(Field f) const {
    const FlatValue& v = need(f);
    if (v.kind != FlatKind::String) wrong_type(f, "a string");
    return v.text;
  }
  // Integer or null; the field must be present when `required`.
  std::optional<std::int64_t> int_or_null(Field f, bool required) const {
    if (!fields[f].present && !required) return std::nullopt;
    const FlatValue& v = need(f);
    if (v.kind == FlatKind::Null) return std::nullopt;
    if (v.kind != FlatKind::Number || !v.fits_i64) wrong_type(f, "an integer or null");
    return v.i64;
  }
};

bool TraceReader::Impl::next_line(std::string_view& line) {
  while (true) {
    const char* start = buffer.data() + pos;
    auto* nl = static_cast<const char*>(std::memchr(start, '\n', filled - pos));
    if (nl != nullptr) {
      line = std::string_view(start, static_cast<std::size_t>(nl - start));
      pos += line.size() + 1;
      return true;
    }
    if (eof) {
      if (pos == filled) return false;
      line = std::string_view(start, filled - pos);
      pos = filled;
      return true;
    }
    // Keep the partial line, make room, read more.
    std::memmove(buffer.data(), start, filled - pos);
    filled -= pos;
    pos = 0;
    if (filled == buffer.size()) buffer.resize(buffer.size() * 2);
    std::size_t got = std::fread(buffer.data() + filled, 1, buffer.size() - filled, file);
    if (got == 0) {
      if (std::ferror(file))
        throw InputError(path, "line " + std::to_string(line_no + 1),
                         "read error: " + std::string(std::strerror(errno)));
      eof = true;
    }
    filled += got;
  }
}

void TraceReader::Impl::capture(std::string_view line) {
  for (auto& f : fields) f.present = false;
  FlatError error = scanner.scan(line, [&](std::string_view key, const FlatValue& value) {
    int f = field_of(key);
    if (f < 0) return;
    Captured& c = fields[f];
    c.present = true;
    // Member by member: a whole-struct copy here stalls on store forwarding.
    c.value.kind = value.kind;
    c.value.text = value.text;
    c.value.boolean = value.boolean;
    c.value.fits_i64 = value.fits_i64;
    c.value.fits_u64 = value.fits_u64;
    c.value.i64 = value.i64;
    c.value.u64 = value.u64;
    const char* data = value.text.data();
    bool in_line = data >= line.data() && data <= line.data() + line.size();
    if (!in_line && value.kind == FlatKind::String) {
      c.owned.assign(value.text);
      c.value.text = c.owned;
    }
  });
  if (error.what != nullptr)
    fail("not JSON: " + std::string(error.what) + " at column " + std::to_string(error.column + 1));
}

bool TraceReader::Impl::parse(std::string_view line, TraceEvent& e) {
  capture(line);
  if (!fields[kType].present) fail("missing \"type\"");
  if (fields[kType].value.kind != FlatKind::String) wrong_type(kType, "a string");
  type_name = fields[kType].value.text;
  e.line = line_no;
  e.type = type_of(type_name);
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
  if (e.type == EventType::Header) {
    if (seen_event) fail("the header must be the first line");
    if (header_line != 0)
      fail("a second header (the header is line " + std::to_string(header_line) + ")");
    header_line = line_no;
    fill_header(line);
    return true;
  }
  seen_event = true;
  if (is_op_type(e.type) && is_nemesis()) {
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
      e.node = nodes.intern(need_string(kNode));
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
  if (!fields[kProcess].present || fields[kProcess].value.kind != FlatKind::String) return false;
  std::string_view p = fields[kProcess].value.text;
  return p == "nemesis" || p == ":nemesis";
}

// Every line but the header carries a time; unknown types may omit it.
void TraceReader::Impl::check_time(TraceEvent& e) {
  if (e.type == EventType::Other && !fields[kTime].present) return;
  Time t = need_i64(kTime);
  if (t == kTimeMax) wrong_type(kTime, "below 2^63-1");
  if (have_time && t < last_time)
    fail("time " + std::to_string(t) + " is earlier than time " + std::to_string(last_time) +
         " on line " + std::to_string(last_time_line) + ": time must not decrease");
  have_time = true;
  last_time = t;
  last_time_line = line_no;
  e.time = t;
}

void TraceReader::Impl::fill_op(TraceEvent& e) {
  const FlatValue& key = need(kKey);
  if (key.kind == FlatKind::String && reads_as_integer(key.text)) {
    quoted_key.assign("\"").append(key.text).append("\"");
    e.key = keys.intern(quoted_key);
  } else if (key.kind == FlatKind::String || (key.kind == FlatKind::Number && key.fits_i64)) {
    e.key = keys.intern(key.text);
  } else {
    wrong_type(kKey, "an integer or a string");
  }
  if (e.type == EventType::Apply) {
    e.value = int_or_null(kValue, true);
    fill_siblings(e);
    fill_vv(e);
    return;
  }
  e.process = need_i64(kProcess);
  std::string_view f = need_string(kF);
  if (!f.empty() && f[0] == ':') f.remove_prefix(1);  // Jepsen's ":read"
  if (f == "read") {
    e.f = HistOp::Read;
  } else if (f == "write") {
    e.f = HistOp::Write;
  } else if (f == "cas") {
    e.f = HistOp::Cas;
  } else if (f == "transfer") {
    // The run analysis counts a transfer with the writes (availability,
    // latency); it carries no written value, so no staleness or lost write.
    e.transfer = true;
    e.f = HistOp::Write;
  } else if (f == "add") {
    e.f = HistOp::Add;
  } else if (f == "remove") {
    e.f = HistOp::Remove;
  } else if (f == "incr") {
    e.f = HistOp::Incr;
  } else {
    fail(
        "field \"f\" must be \"read\", \"write\", \"cas\", \"transfer\", \"add\", \"remove\" "
        "or \"incr\", got \"" +
        std::string(f) + "\"");
  }
  if (e.transfer) {
    fill_transfer(e);
  } else if (e.f == HistOp::Cas) {
    fill_cas(e);
  } else if (e.f == HistOp::Add || e.f == HistOp::Remove || e.f == HistOp::Incr) {
    fill_data_op(e);
  } else if (e.f == HistOp::Read && e.type == EventType::Ok && fields[kValue].present &&
             fields[kValue].value.kind == FlatKind::Array) {
    fill_items(e);
  } else {
    // The value carries meaning on a write's invoke and a read's ok.
    bool write_invoke = e.f == HistOp::Write && e.type == EventType::Invoke;
    bool read_ok = e.f == HistOp::Read && e.type == EventType::Ok;
    e.value = int_or_null(kValue, write_invoke || read_ok);
    if (write_invoke && !e.value)
      fail("field \"value\" of a write's invoke must be an integer, got null");
    if (read_ok) fill_siblings(e);
  }
  if (fields[kFinal].present) {
    if (fields[kFinal].value.kind != FlatKind::Bool) wrong_type(kFinal, "true or false");
    e.final = fields[kFinal].value.boolean;
  }
  if (fields[kAudit].present) {
    const std::uint64_t n = need_u64(kAudit);
    if (n == 0 || n > UINT32_MAX) fail("field \"audit\" must be an audit number from 1");
    e.audit = static_cast<std::uint32_t>(n);
  }
  if (e.type == EventType::Ok && e.f != HistOp::Read) fill_vv(e);
  if (fields[kAnswers].present) {
    if (e.f != HistOp::Write || e.transfer)
      fail("field \"answers\" belongs to a write (a comment naming the post it answers)");
    e.answers = need_i64(kAnswers);
  }
  if (fields[kOp].present) {
    e.op = need_u64(kOp);
    e.has_op = true;
  }
  if (fields[kNode].present) e.node = nodes.intern(need_string(kNode));
  // consim's client number; another tool's "client" (a name, ...) is not it.
  const FlatValue& client = fields[kClient].value;
  if (fields[kClient].present && client.kind == FlatKind::Number && client.fits_u64 &&
      client.u64 < kNone)
    e.client = static_cast<std::uint32_t>(client.u64);
}

// "siblings": [v1, v2, ...] (apply lines, read ok lines): optional; at
// least two integers, the first equal to "value".
void TraceReader::Impl::fill_siblings(TraceEvent& e) {
  if (!fields[kSiblings].present) return;
  const FlatValue& v = fields[kSiblings].value;
  if (v.kind != FlatKind::Array || !int_list(v.text, e.siblings) || e.siblings.size() < 2)
    wrong_type(kSiblings, "an array of at least two integers");
  if (e.value != e.siblings.front())
    fail("field \"siblings\" must start with the line's \"value\"");
}

// An add or remove carries its item ("value", any JSON value but null)
// on the invoke, optionally on the completion; a remove's ok may say
// "result": whether the replica held the item. An incr carries its delta
// (an integer) on the invoke.
void TraceReader::Impl::fill_data_op(TraceEvent& e) {
  const bool invoke = e.type == EventType::Invoke;
  const bool given = fields[kValue].present && fields[kValue].value.kind != FlatKind::Null;
  if (e.f == HistOp::Incr) {
    e.value = int_or_null(kValue, invoke);
    if (invoke && !e.value)
      fail("field \"value\" of an incr's invoke must be an integer (the delta), got null");
  } else if (invoke || given) {
    const FlatValue& v = need(kValue);
    if (v.kind == FlatKind::Null)
      fail("field \"value\" of an add or remove must be its item, got null");
    if (!canonical_item(v, e.item)) wrong_type(kValue, "a JSON value");
  }
  if (e.f == HistOp::Remove && e.type == EventType::Ok && fields[kResult].present) {
    const FlatValue& r = fields[kResult].value;
    if (r.kind != FlatKind::Bool) wrong_type(kResult, "true or false");
    e.held = r.boolean;
  }
}

// A set read's ok: "value" is the array of its items.
void TraceReader::Impl::fill_items(TraceEvent& e) {
  if (!canonical_items(fields[kValue].value.text, e.items)) wrong_type(kValue, "an array of items");
  e.has_items = true;
}

// "vv": {"n1": 2, "n2": 1} (apply lines, write and cas ok lines): optional;
// node name -> non-negative integer count. Only conflict runs write it, so
// the general parser is fast enough here.
void TraceReader::Impl::fill_vv(TraceEvent& e) {
  if (!fields[kVv].present) return;
  const FlatValue& v = fields[kVv].value;
  const char* expected = "an object from node name to a non-negative integer count";
  if (v.kind != FlatKind::Object) wrong_type(kVv, expected);
  nlohmann::json vv = nlohmann::json::parse(v.text, nullptr, false);
  if (!vv.is_object()) wrong_type(kVv, expected);
  for (const auto& [node, count] : vv.items()) {
    if (!count.is_number_unsigned()) wrong_type(kVv, expected);
    e.vv.emplace_back(nodes.intern(node), count.get<std::uint64_t>());
  }
  std::sort(e.vv.begin(), e.vv.end());
  e.has_vv = true;
}

// A cas carries "value": [expected, new] (Jepsen's form): required on the
// invoke, optional on the completion. An ok may say "result": false, the
// comparison failed (nothing written); true or absent, it succeeded.
void TraceReader::Impl::fill_cas(TraceEvent& e) {
  const bool invoke = e.type == EventType::Invoke;
  if (invoke || (fields[kValue].present && fields[kValue].value.kind != FlatKind::Null)) {
    const FlatValue& v = need(kValue);
    std::int64_t pair[2];
    if (v.kind != FlatKind::Array || !int_pair(v.text, pair))
      fail("field \"value\" must be [expected, new] (two integers) for a cas, got " +
           (v.kind == FlatKind::Null ? std::string("null")
                                     : kind_name(v.kind) + (" " + std::string(v.text))));
    e.expected = pair[0];
    e.value = pair[1];
  }
  if (fields[kResult].present) {
    const FlatValue& r = fields[kResult].value;
    if (r.kind != FlatKind::Bool) wrong_type(kResult, "true or false");
    e.cas_failed = e.type == EventType::Ok && !r.boolean;
  }
}

// A transfer carries "value": [to, amount] (the account credited, the
// amount, positive) on every line; "key" is the account debited.
void TraceReader::Impl::fill_transfer(TraceEvent& e) {
  const FlatValue& v = need(kValue);
  std::int64_t pair[2];
  if (v.kind != FlatKind::Array || !int_pair(v.text, pair) || pair[1] <= 0)
    fail(
        "field \"value\" must be [to, amount] (an account and a positive amount) for a "
        "transfer, got " +
        (v.kind == FlatKind::Null ? std::string("null")
                                  : kind_name(v.kind) + (" " + std::string(v.text))));
  e.to_key = keys.intern(std::to_string(pair[0]));
  e.amount = pair[1];
}

void TraceReader::Impl::fill_network(TraceEvent& e) {
  e.msg = need_u64(kMsg);
  e.from = nodes.intern(need_string(kFrom));
  e.to = nodes.intern(need_string(kTo));
  e.kind = kinds.intern(need_string(kKind));
  if (e.type == EventType::Send) e.bytes = need_u64(kBytes);
}

void TraceReader::Impl::fill_note(TraceEvent& e) {
  e.node = nodes.intern(need_string(kNode));
  if (fields[kWhat].present) e.what = notes.intern(need_string(kWhat));
  if (!fields[kLasted].present) return;
  std::int64_t lasted = need_i64(kLasted);
  if (lasted < 0) fail("field \"lasted\" must not be negative, got " + std::to_string(lasted));
  e.lasted = lasted;
}

// {"type":"role","time":T,"node":"n1","role":"leader","term":3}: any role
// name (the checks know "leader" and "primary"), a non-negative term.
void TraceReader::Impl::fill_role(TraceEvent& e) {
  e.node = nodes.intern(need_string(kNode));
  e.role = roles.intern(need_string(kRole));
  e.term = need_i64(kTerm);
  if (e.term < 0) fail("field \"term\" must not be negative, got " + std::to_string(e.term));
}

// A node name, or kNone for null (required either way).
std::uint32_t TraceReader::Impl::node_or_null(Field f) {
  if (need(f).kind == FlatKind::Null) return kNone;
  return nodes.intern(need_string(f));
}

// {"op", "node", "hint": node or null, "to": node or null (the client gave up)}.
void TraceReader::Impl::fill_redirect(TraceEvent& e) {
  e.op = need_u64(kOp);
  e.has_op = true;
  e.node = nodes.intern(need_string(kNode));
  e.hint = node_or_null(kHint);
  e.to = node_or_null(kTo);
}

// One shape for every fault kind: the reader needs no list of kinds.
void TraceReader::Impl::fill_fault(TraceEvent& e) {
  e.fault = faults.intern(need_string(kFault));
  e.fault_kind = fault_kinds.intern(need_string(kKind));
  std::string_view edge = need_string(kEdge);
  if (edge == "end")
    e.fault_end = true;
  else if (edge != "begin")
    fail("field \"edge\" must be \"begin\" or \"end\", got \"" + std::string(edge) + "\"");
  e.action = actions.intern(need_string(kAction));
  e.label = labels.intern(need_string(kLabel));
  if (fields[kNode].present) e.node = nodes.intern(need_string(kNode));
  if (fields[kDown].present) {
    const FlatValue& down = fields[kDown].value;
    if (down.kind != FlatKind::Bool) wrong_type(kDown, "a boolean");
    e.down = down.boolean;
  }
  if (!fields[kSides].present) return;
  const FlatValue& sides = fields[kSides].value;
  if (sides.kind != FlatKind::Array || !scanner.string_rows(sides.text, rows))
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

TraceReader::TraceReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  impl_->path = path;
  impl_->file = std::fopen(path.c_str(), "rb");
  if (impl_->file == nullptr)
    throw InputError(path, "$", "cannot open: " + std::string(std::strerror(errno)));
  impl_->header = nullptr;
}

TraceReader::~TraceReader() {
  if (impl_->file != nullptr) std::fclose(impl_->file);
}

bool TraceReader::next(TraceEvent& event) {
  std::string_view line;
  while (impl_->next_line(line)) {
    ++impl_->line_no;
    if (impl_->line_no == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    if (blank) continue;  // a blank line is no event; it still counts as a line
    return impl_->parse(line, event);
  }
  return false;
}

const TraceNames& TraceReader::names() const { return impl_->names; }
std::uint64_t TraceReader::nemesis_lines() const { return impl_->nemesis_lines; }
const nlohmann::json& TraceReader::header() const { return impl_->header; }
const std::string& TraceReader::path() const { return impl_->path; }

}  // namespace consim
