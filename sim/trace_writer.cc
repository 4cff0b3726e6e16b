// Hand-formatted JSON Lines trace output; see trace_writer.h.
#include "sim/trace_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "base/output_file.h"

namespace consim {
namespace {

constexpr std::size_t kFlushAt = 1 << 20;

const char* op_type(OpPhase p) {
  switch (p) {
    case OpPhase::Invoke:
      return "invoke";
    case OpPhase::Ok:
      return "ok";
    case OpPhase::Fail:
      return "fail";
    case OpPhase::Info:
      return "info";
  }
  return "info";
}

template <class Integer>
void append_integer(std::string& out, Integer v) {
  char num[24];
  auto r = std::to_chars(num, num + sizeof num, v);
  out.append(num, r.ptr);
}

}  // namespace

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
          out += esc;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

TraceWriter::TraceWriter(std::string path, TraceLevel level,
                         const std::vector<std::string>& node_names)
    : path_(std::move(path)), tmp_path_(path_ + ".tmp"), level_(level) {
  for (const auto& n : node_names) quoted_nodes_.push_back(json_quote(n));
  file_ = std::fopen(tmp_path_.c_str(), "wb");
  if (!file_) throw OutputError("cannot write " + tmp_path_);
  buf_.reserve(kFlushAt + 4096);
}

TraceWriter::~TraceWriter() {
  if (file_) std::fclose(file_);
  if (!finished_) std::remove(tmp_path_.c_str());
}

void TraceWriter::raw(std::string_view s) { buf_.append(s); }

void TraceWriter::begin(std::string_view type, Time t) {
  raw("{\"type\":\"");
  raw(type);
  raw("\",\"time\":");
  append_integer(buf_, t);
}

void TraceWriter::field(std::string_view name, std::int64_t v) {
  raw(",\"");
  raw(name);
  raw("\":");
  append_integer(buf_, v);
}

void TraceWriter::field_u(std::string_view name, std::uint64_t v) {
  raw(",\"");
  raw(name);
  raw("\":");
  append_integer(buf_, v);
}

void TraceWriter::field_str(std::string_view name, std::string_view v) {
  field_raw(name, json_quote(v));
}

void TraceWriter::field_raw(std::string_view name, std::string_view json) {
  raw(",\"");
  raw(name);
  raw("\":");
  raw(json);
}

void TraceWriter::field_node(std::string_view name, std::uint32_t node) {
  field_raw(name, quoted_nodes_.at(node));
}

void TraceWriter::field_vv(const VersionVector& vv, const DotSet* dots) {
  raw(",\"vv\":{");
  bool first = true;
  for (const auto& [node, count] : vv) {
    if (!first) raw(",");
    first = false;
    raw(quoted_nodes_.at(node));
    raw(":");
    append_integer(buf_, count);
  }
  raw("}");
  if (!dots || dots->empty()) return;
  raw(",\"dots\":{");
  std::optional<std::uint32_t> node;        // the node whose list is open
  for (const auto& [n, counter] : *dots) {  // ordered by node, then counter
    if (node != n) {
      if (node) raw("],");
      raw(quoted_nodes_.at(n));
      raw(":[");
      node = n;
    } else {
      raw(",");
    }
    append_integer(buf_, counter);
  }
  raw("]}");
}

void TraceWriter::field_values(std::string_view name, const std::vector<std::int64_t>& values) {
  field_raw(name, "[");
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) raw(",");
    append_integer(buf_, values[i]);
  }
  raw("]");
}

void TraceWriter::end_line() {
  raw("}\n");
  ++lines_;
  if (buf_.size() >= kFlushAt) flush();
}

void TraceWriter::flush() {
  if (buf_.empty()) return;
  if (std::fwrite(buf_.data(), 1, buf_.size(), file_) != buf_.size())
    throw OutputError("write failed: " + tmp_path_);
  bytes_ += buf_.size();
  buf_.clear();
}

void TraceWriter::header(const nlohmann::ordered_json& header) {
  raw(header.dump());
  raw("\n");
  ++lines_;
}

void TraceWriter::op(Time t, const OpRecord& r) {
  begin(op_type(r.phase), t);
  field_u("op", r.op);
  field_u("process", r.process);
  field_u("client", r.client);
  raw(",\"f\":\"");
  raw(op_name(r.type));
  raw("\"");
  field_u("key", r.key);
  if (r.items) {
    field_values("value", *r.items);
  } else if (r.type == OpType::Transfer) {
    field_raw("value", "[");
    append_integer(buf_, static_cast<std::int64_t>(r.to_key));
    raw(",");
    append_integer(buf_, r.amount);
    raw("]");
  } else if (r.type == OpType::Cas) {
    field_raw("value", "[");
    append_integer(buf_, r.expected);
    raw(",");
    append_integer(buf_, r.value.value_or(0));
    raw("]");
  } else if (r.value) {
    field("value", *r.value);
  } else {
    field_raw("value", "null");
  }
  if (r.type == OpType::Cas && r.phase == OpPhase::Ok)
    field_raw("result", r.cas_matched ? "true" : "false");
  if (r.phase == OpPhase::Ok && r.siblings && r.siblings->size() > 1)
    field_values("siblings", *r.siblings);
  if (r.phase == OpPhase::Ok && r.vv) field_vv(*r.vv, r.dots);
  if (r.held) field_raw("result", *r.held ? "true" : "false");
  if (r.final_read) field_raw("final", "true");
  if (!r.step.empty()) field_str("step", r.step);
  if (r.answers) field("answers", *r.answers);
  if (r.audit) field_raw("audit", std::to_string(r.audit));
  field_node("node", r.node);
  if (r.phase == OpPhase::Fail || r.phase == OpPhase::Info) field_str("reason", r.reason);
  end_line();
}

void TraceWriter::apply(Time t, std::uint32_t node, std::uint64_t key,
                        std::optional<std::int64_t> value) {
  if (!wants_state()) return;
  begin("apply", t);
  field_node("node", node);
  field_u("key", key);
  if (value)
    field("value", *value);
  else
    field_raw("value", "null");
  end_line();
}

void TraceWriter::apply_versions(Time t, std::uint32_t node, std::uint64_t key,
                                 const std::vector<std::int64_t>& values, const VersionVector* vv,
                                 const DotSet* dots) {
  if (!wants_state()) return;
  begin("apply", t);
  field_node("node", node);
  field_u("key", key);
  if (values.empty())
    field_raw("value", "null");
  else
    field("value", values.front());
  if (values.size() > 1) field_values("siblings", values);
  if (vv) field_vv(*vv, dots);
  end_line();
}

void TraceWriter::note(Time t, std::uint32_t node, std::string_view what, std::string_view detail,
                       std::optional<Time> lasted) {
  if (!wants_state()) return;
  begin("note", t);
  field_node("node", node);
  field_str("what", what);
  field_str("detail", detail);
  if (lasted) field("lasted", *lasted);
  end_line();
}

void TraceWriter::role(Time t, std::uint32_t node, std::string_view role, std::uint64_t term) {
  begin("role", t);
  field_node("node", node);
  field_str("role", role);
  field_u("term", term);
  end_line();
}

void TraceWriter::redirect(Time t, std::uint64_t op, std::uint32_t node,
                           std::optional<std::uint32_t> hint, std::optional<std::uint32_t> to) {
  begin("redirect", t);
  field_u("op", op);
  field_node("node", node);
  if (hint)
    field_node("hint", *hint);
  else
    field_raw("hint", "null");
  if (to)
    field_node("to", *to);
  else
    field_raw("to", "null");
  end_line();
}

void TraceWriter::network(Time t, std::string_view type, std::uint64_t msg, std::uint32_t from,
                          std::uint32_t to, std::string_view kind, std::uint64_t bytes,
                          std::string_view reason, const VersionVector* vv, const DotSet* dots) {
  if (!wants_network()) return;
  begin(type, t);
  field_u("msg", msg);
  field_node("from", from);
  field_node("to", to);
  field_str("kind", kind);
  if (type == "send") field_u("bytes", bytes);
  if (type == "drop") field_str("reason", reason);
  if (vv && type == "send") field_vv(*vv, dots);
  end_line();
}

void TraceWriter::fault(Time t, const FaultLine& line) {
  begin("fault", t);
  field_str("fault", line.fault);
  field_str("kind", line.kind);
  field_raw("edge", line.end ? "\"end\"" : "\"begin\"");
  field_str("action", line.action);
  std::string label(line.fault);
  label += ": ";
  label += line.label;
  field_str("label", label);
  raw(line.fields);
  end_line();
}

void TraceWriter::end(Time t, std::uint64_t events) {
  begin("end", t);
  field_u("events", events);
  end_line();
}

void TraceWriter::finish() {
  flush();
  if (std::fclose(file_) != 0) {
    file_ = nullptr;
    throw OutputError("close failed: " + tmp_path_);
  }
  file_ = nullptr;
  if (std::rename(tmp_path_.c_str(), path_.c_str()) != 0)
    throw OutputError("cannot rename " + tmp_path_ + " to " + path_);
  finished_ = true;
}

}  // namespace consim
