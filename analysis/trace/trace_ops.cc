// The trace reader's client operations (invoke, ok, fail, info) and the
// key and value rules that apply lines share with them; see
// trace_reader_impl.h for the state and trace_reader.cc for the rest.
//
// Invariants: "f" names one of read, write, cas, transfer, add, remove and
// incr (Jepsen's ":read" spelling too); the value's shape follows from f
// and the line type (a write's invoke and a read's ok must say it, a cas
// carries [expected, new], a transfer [to, amount], an add or remove its
// item as canonical JSON text, json_items.h); a string key that reads as an
// integer is interned with its quotes, so key 1 and key "1" are two keys.
#include <algorithm>

#include "analysis/trace/int_arrays.h"
#include "analysis/trace/json_items.h"
#include "analysis/trace/trace_reader_impl.h"

namespace consim {

using namespace trace_fields;

namespace {

// "-12", "7": the text of a JSON integer (so "1" as a string key needs quotes).
bool reads_as_integer(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

// "a string abc", "null": what a wrong value was, for a message.
std::string described(const FlatValue& v) {
  return v.kind == FlatKind::Null ? std::string("null")
                                  : kind_name(v.kind) + (" " + std::string(v.text));
}

}  // namespace

void TraceReader::Impl::fill_op(TraceEvent& e) {
  fill_key(e);
  if (e.type == EventType::Apply) {
    e.value = fields.int_or_null(kValue, true);
    fill_siblings(e);
    fill_vv(e);
    return;
  }
  e.process = fields.need_i64(kProcess);
  fill_f(e);
  if (e.transfer) {
    fill_transfer(e);
  } else if (e.f == HistOp::Cas) {
    fill_cas(e);
  } else if (e.f == HistOp::Add || e.f == HistOp::Remove || e.f == HistOp::Incr) {
    fill_data_op(e);
  } else if (e.f == HistOp::Read && e.type == EventType::Ok && fields.has(kValue) &&
             fields.value(kValue).kind == FlatKind::Array) {
    fill_items(e);
  } else {
    // The value carries meaning on a write's invoke and a read's ok.
    bool write_invoke = e.f == HistOp::Write && e.type == EventType::Invoke;
    bool read_ok = e.f == HistOp::Read && e.type == EventType::Ok;
    e.value = fields.int_or_null(kValue, write_invoke || read_ok);
    if (write_invoke && !e.value)
      fail("field \"value\" of a write's invoke must be an integer, got null");
    if (read_ok) fill_siblings(e);
  }
  fill_op_extras(e);
}

void TraceReader::Impl::fill_key(TraceEvent& e) {
  const FlatValue& key = fields.need(kKey);
  if (key.kind == FlatKind::String && reads_as_integer(key.text)) {
    quoted_key.assign("\"").append(key.text).append("\"");
    e.key = keys.intern(quoted_key);
  } else if (key.kind == FlatKind::String || (key.kind == FlatKind::Number && key.fits_i64)) {
    e.key = keys.intern(key.text);
  } else {
    fields.wrong_type(kKey, "an integer or a string");
  }
}

void TraceReader::Impl::fill_f(TraceEvent& e) {
  std::string_view f = fields.need_string(kF);
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
}

// What any operation line may carry besides its value: "final", "audit",
// "vv", "answers", "op", "node", "client".
void TraceReader::Impl::fill_op_extras(TraceEvent& e) {
  if (auto final = fields.optional_bool(kFinal, "true or false")) e.final = *final;
  if (fields.has(kAudit)) {
    const std::uint64_t n = fields.need_u64(kAudit);
    if (n == 0 || n > UINT32_MAX) fail("field \"audit\" must be an audit number from 1");
    e.audit = static_cast<std::uint32_t>(n);
  }
  if (e.type == EventType::Ok && e.f != HistOp::Read) fill_vv(e);
  if (fields.has(kAnswers)) {
    if (e.f != HistOp::Write || e.transfer)
      fail("field \"answers\" belongs to a write (a comment naming the post it answers)");
    e.answers = fields.need_i64(kAnswers);
  }
  if (fields.has(kOp)) {
    e.op = fields.need_u64(kOp);
    e.has_op = true;
  }
  if (fields.has(kNode)) e.node = nodes.intern(fields.need_string(kNode));
  // consim's client number; another tool's "client" (a name, ...) is not it.
  const FlatValue& client = fields.value(kClient);
  if (fields.has(kClient) && client.kind == FlatKind::Number && client.fits_u64 &&
      client.u64 < kNone)
    e.client = static_cast<std::uint32_t>(client.u64);
}

// "siblings": [v1, v2, ...] (apply lines, read ok lines): optional; at
// least two integers, the first equal to "value".
void TraceReader::Impl::fill_siblings(TraceEvent& e) {
  if (!fields.has(kSiblings)) return;
  const FlatValue& v = fields.value(kSiblings);
  if (v.kind != FlatKind::Array || !int_list(v.text, e.siblings) || e.siblings.size() < 2)
    fields.wrong_type(kSiblings, "an array of at least two integers");
  if (e.value != e.siblings.front())
    fail("field \"siblings\" must start with the line's \"value\"");
}

// An add or remove carries its item ("value", any JSON value but null)
// on the invoke, optionally on the completion; a remove's ok may say
// "result": whether the replica held the item. An incr carries its delta
// (an integer) on the invoke.
void TraceReader::Impl::fill_data_op(TraceEvent& e) {
  const bool invoke = e.type == EventType::Invoke;
  const bool given = fields.has(kValue) && fields.value(kValue).kind != FlatKind::Null;
  if (e.f == HistOp::Incr) {
    e.value = fields.int_or_null(kValue, invoke);
    if (invoke && !e.value)
      fail("field \"value\" of an incr's invoke must be an integer (the delta), got null");
  } else if (invoke || given) {
    const FlatValue& v = fields.need(kValue);
    if (v.kind == FlatKind::Null)
      fail("field \"value\" of an add or remove must be its item, got null");
    if (!canonical_item(v, e.item)) fields.wrong_type(kValue, "a JSON value");
  }
  if (e.f == HistOp::Remove && e.type == EventType::Ok)
    if (auto held = fields.optional_bool(kResult, "true or false")) e.held = *held;
}

// A set read's ok: "value" is the array of its items.
void TraceReader::Impl::fill_items(TraceEvent& e) {
  if (!canonical_items(fields.value(kValue).text, e.items))
    fields.wrong_type(kValue, "an array of items");
  e.has_items = true;
}

// "vv": {"n1": 2, "n2": 1} (apply lines, write and cas ok lines): optional;
// node name -> non-negative integer count. Only conflict runs write it, so
// the general parser is fast enough here.
void TraceReader::Impl::fill_vv(TraceEvent& e) {
  if (!fields.has(kVv)) return;
  const FlatValue& v = fields.value(kVv);
  const char* expected = "an object from node name to a non-negative integer count";
  if (v.kind != FlatKind::Object) fields.wrong_type(kVv, expected);
  nlohmann::json vv = nlohmann::json::parse(v.text, nullptr, false);
  if (!vv.is_object()) fields.wrong_type(kVv, expected);
  for (const auto& [node, count] : vv.items()) {
    if (!count.is_number_unsigned()) fields.wrong_type(kVv, expected);
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
  if (invoke || (fields.has(kValue) && fields.value(kValue).kind != FlatKind::Null)) {
    const FlatValue& v = fields.need(kValue);
    std::int64_t pair[2];
    if (v.kind != FlatKind::Array || !int_pair(v.text, pair))
      fail("field \"value\" must be [expected, new] (two integers) for a cas, got " + described(v));
    e.expected = pair[0];
    e.value = pair[1];
  }
  if (auto result = fields.optional_bool(kResult, "true or false"))
    e.cas_failed = e.type == EventType::Ok && !*result;
}

// A transfer carries "value": [to, amount] (the account credited, the
// amount, positive) on every line; "key" is the account debited.
void TraceReader::Impl::fill_transfer(TraceEvent& e) {
  const FlatValue& v = fields.need(kValue);
  std::int64_t pair[2];
  if (v.kind != FlatKind::Array || !int_pair(v.text, pair) || pair[1] <= 0)
    fail(
        "field \"value\" must be [to, amount] (an account and a positive amount) for a "
        "transfer, got " +
        described(v));
  e.to_key = keys.intern(std::to_string(pair[0]));
  e.amount = pair[1];
}

}  // namespace consim
