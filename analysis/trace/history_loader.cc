// Pairs invokes with completions into a History; see history_loader.h.
#include "analysis/trace/history_loader.h"

#include <algorithm>

#include "analysis/trace/jepsen_log.h"
#include "analysis/trace/trace_reader.h"
#include "base/json_input.h"

namespace consim {
namespace {

const char* f_name(HistOp f) {
  switch (f) {
    case HistOp::Read:
      return "read";
    case HistOp::Write:
      return "write";
    case HistOp::Cas:
      return "cas";
    case HistOp::Add:
      return "add";
    case HistOp::Remove:
      return "remove";
    case HistOp::Incr:
      return "incr";
  }
  return "?";
}

const char* type_name(EventType t) {
  return t == EventType::Ok ? "ok" : t == EventType::Fail ? "fail" : "info";
}

}  // namespace

const std::size_t* HistoryBuilder::OpIndex::insert(std::uint64_t id, std::size_t index,
                                                   std::size_t ops) {
  if (const std::size_t* there = find(id)) return there;
  if (id < dense_.size()) {
    dense_[id] = index;
  } else if (id < 2 * ops + 1024) {
    dense_.resize(
        std::max<std::size_t>(id + 1, std::min<std::size_t>(2 * dense_.size(), 2 * ops + 1024)),
        kAbsent);
    dense_[id] = index;
  } else {
    sparse_.emplace(id, index);
  }
  return nullptr;
}

HistoryBuilder::HistoryBuilder(std::string file) { history_.file = std::move(file); }

void HistoryBuilder::fail(std::uint64_t line, const std::string& message) const {
  throw InputError(history_.file, "line " + std::to_string(line), message);
}

void HistoryBuilder::add(const TraceEvent& e, const TraceNames& names) {
  const bool op_line = e.type == EventType::Invoke || e.type == EventType::Ok ||
                       e.type == EventType::Fail || e.type == EventType::Info;
  if (op_line && is_bank_op(e)) return add_bank(e, names);
  switch (e.type) {
    case EventType::Invoke:
      add_invoke(e, names);
      break;
    case EventType::Ok:
    case EventType::Fail:
    case EventType::Info:
      add_completion(e, names);
      break;
    case EventType::Role:
      history_.roles.push_back(RoleChange{e.line, e.time, e.node, names.roles[e.role], e.term});
      break;
    case EventType::Apply:
      versions_.apply(e);
      break;
    case EventType::Note:
      versions_.note(e, names);
      break;
    default:
      break;
  }
}

void HistoryBuilder::add_invoke(const TraceEvent& e, const TraceNames& /*names*/) {
  std::size_t index = history_.ops.size();
  auto& open = open_by_process_[e.process];
  if (!e.has_op && !open.empty())
    fail(e.line, "process " + std::to_string(e.process) + " invokes an operation while its " +
                     "operation at line " + std::to_string(history_.ops[open.back()].invoke_line) +
                     " is still outstanding");
  if (e.has_op) {
    if (const std::size_t* first = op_index_.insert(e.op, index, history_.ops.size()))
      fail(e.line, "op " + std::to_string(e.op) + " is invoked twice (lines " +
                       std::to_string(history_.ops[*first].invoke_line) + " and " +
                       std::to_string(e.line) + ")");
  }
  open.push_back(index);
  Operation op;
  op.invoke_line = e.line;
  op.process = e.process;
  op.f = e.f;
  op.key = e.key;
  op.value = e.f == HistOp::Read ? std::nullopt : e.value;
  op.expected = e.expected;
  op.invoke_time = e.time;
  op.node = e.node;
  if (e.answers && e.f == HistOp::Write) history_.answers[e.line] = *e.answers;
  history_.ops.push_back(op);
  data_of_.push_back(kNoData);
  note_data(index, e);
}

// The outstanding op this completion belongs to (throws if none).
std::size_t HistoryBuilder::find_outstanding(const TraceEvent& e) const {
  const char* what = type_name(e.type);
  if (e.has_op) {
    const std::size_t* index = op_index_.find(e.op);
    if (index == nullptr)
      fail(e.line,
           std::string(what) + " for op " + std::to_string(e.op) + ", which was never invoked");
    const Operation& op = history_.ops[*index];
    if (op.complete_line == 0) return *index;
    fail(e.line, std::string(what) + " for op " + std::to_string(e.op) + " (invoked at line " +
                     std::to_string(op.invoke_line) + "), which has already completed");
  }
  auto it = open_by_process_.find(e.process);
  if (it == open_by_process_.end() || it->second.empty())
    fail(e.line, std::string(what) + " on process " + std::to_string(e.process) +
                     ", which has no outstanding operation");
  if (it->second.size() > 1)
    fail(e.line, std::string(what) + " without \"op\" on process " + std::to_string(e.process) +
                     ", which has " + std::to_string(it->second.size()) +
                     " outstanding operations: add \"op\" to pair them");
  return it->second.front();
}

void HistoryBuilder::add_completion(const TraceEvent& e, const TraceNames& names) {
  std::size_t index = find_outstanding(e);
  Operation& op = history_.ops[index];
  // Built only for an error message: one per completion cost more than the
  // rest of the pairing (crdt_bench's loader path).
  auto at = [&op] { return " but its invoke (line " + std::to_string(op.invoke_line) + ")"; };
  if (op.process != e.process)
    fail(e.line, "completion on process " + std::to_string(e.process) + at() + " was on process " +
                     std::to_string(op.process));
  if (op.f != e.f)
    fail(e.line, std::string("completion is a ") + f_name(e.f) + at() + " was a " + f_name(op.f));
  if (op.key != e.key)
    fail(e.line, "completion is for key " + names.keys[e.key] + at() + " was for key " +
                     names.keys[op.key]);
  if (op.f == HistOp::Write && e.value && e.value != op.value)
    fail(e.line, "completion carries value " + std::to_string(*e.value) + at() + " wrote " +
                     std::to_string(*op.value));
  if (op.f == HistOp::Cas && e.value && (e.value != op.value || e.expected != op.expected))
    fail(e.line, "completion carries cas [" + std::to_string(e.expected) + ", " +
                     std::to_string(*e.value) + "]" + at() + " was cas [" +
                     std::to_string(op.expected) + ", " + std::to_string(*op.value) + "]");
  op.complete_line = e.line;
  if (e.type == EventType::Ok) {
    op.outcome = Outcome::Ok;
    op.complete_time = e.time;
    if (op.f == HistOp::Read) op.value = e.value;
    if (op.f == HistOp::Read) op.siblings = static_cast<std::uint32_t>(e.siblings.size());
    if (op.f == HistOp::Read && !e.siblings.empty())
      history_.read_siblings[op.invoke_line] = e.siblings;
    op.cas_failed = e.cas_failed;
    if (op.f != HistOp::Read && e.has_vv && !e.cas_failed && op.value)
      versions_.acknowledged(e, op.key, *op.value, op.invoke_line);
  } else if (e.type == EventType::Fail) {
    op.outcome = Outcome::Fail;
    op.complete_time = e.time;
  } else {
    op.outcome = Outcome::Info;  // unknown: may take effect any time after the invoke
    op.complete_time = kTimeMax;
  }
  if (op.node == kNone) op.node = e.node;
  note_data(index, e);
  auto& open = open_by_process_[op.process];
  open.erase(std::find(open.begin(), open.end(), index));
}

History HistoryBuilder::finish(const TraceNames& names) {
  History out = std::move(history_);
  VersionFacts versions = versions_.finish();
  if (versions.apply_lines > 0 || versions.lww_overwrote > 0) out.versions = std::move(versions);
  out.key_names = names.keys;
  out.node_names = names.nodes;
  split_data_ops(out);
  data_of_.clear();
  data_.clear();
  read_items_.clear();
  history_ = History{};
  history_.file = out.file;
  op_index_.clear();
  open_by_process_.clear();
  open_bank_.clear();
  bank_header_ = false;
  saw_transfers_ = false;
  header_type_ = KeyType::Register;
  return out;
}

History load_history(const std::string& path) {
  if (looks_like_jepsen_log(path)) return load_jepsen_log(path);
  TraceReader reader(path);
  HistoryBuilder builder(path);
  TraceEvent event;
  while (reader.next(event)) {
    if (event.type == EventType::Header) builder.take_header(reader.header());
    builder.add(event, reader.names());
  }
  History h = builder.finish(reader.names());
  h.nemesis_lines = reader.nemesis_lines();
  return h;
}

History history_from_events(const std::vector<TraceEvent>& events, const TraceNames& names,
                            const std::string& file) {
  HistoryBuilder builder(file);
  for (const auto& e : events) builder.add(e, names);
  return builder.finish(names);
}

}  // namespace consim
