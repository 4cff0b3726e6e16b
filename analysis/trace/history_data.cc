// The set and counter part of HistoryBuilder (history_loader.h): which keys
// are sets or counters, and their ops as ophistory records for the cart and
// counter checkers (analysis/checkers/op_history.h).
//
// Example: invoke add key 7 "hat" at line 3, ok at line 4 (time 9); a
// final read of key 7 at n2 returning ["hat"] at line 90: key 7 is a set;
// History::sets gets SetOpRecord{Add, "7", "\"hat\"", 5, 9, Ok, line 3}
// and FinalSetRead{"7", "n2", ["\"hat\""], line 89 (the read's invoke)};
// History::ops keeps neither.
#include <nlohmann/json.hpp>

#include "analysis/trace/history_loader.h"
#include "base/json_input.h"

namespace consim {
namespace {

ophistory::Status status_of(const Operation& op) {
  return op.outcome == Outcome::Ok     ? ophistory::Status::Ok
         : op.outcome == Outcome::Fail ? ophistory::Status::Fail
                                       : ophistory::Status::Info;
}

std::int64_t complete_of(const Operation& op) {
  return op.outcome == Outcome::Info ? ophistory::kNever : op.complete_time;
}

}  // namespace

void HistoryBuilder::take_workload_type(const nlohmann::json& header) {
  if (!header.is_object()) return;
  auto source = header.find("source");
  if (source == header.end() || !source->is_object()) return;
  auto workload = source->find("workload");
  if (workload == source->end() || !workload->is_object()) return;
  auto type = workload->find("type");
  if (type == workload->end() || !type->is_string()) return;
  if (*type == "set") header_type_ = KeyType::Set;
  if (*type == "counter") header_type_ = KeyType::Counter;
}

void HistoryBuilder::note_data(std::size_t index, const TraceEvent& e) {
  const bool data_f = e.f == HistOp::Add || e.f == HistOp::Remove || e.f == HistOp::Incr;
  if (!data_f && !e.has_items && !e.final) return;
  if (data_of_[index] == kNoData) {
    data_of_[index] = static_cast<std::uint32_t>(data_.size());
    data_.emplace_back();
  }
  DataOp& d = data_[data_of_[index]];
  if (!e.item.empty() && d.item == UINT32_MAX) d.item = items_interner_.intern(e.item);
  d.final = d.final || e.final;
  if (e.has_items && !d.final) d.items = kItemsNotKept;  // a set, judged only at the end
  if (e.has_items && d.final) {
    d.items = static_cast<std::uint32_t>(read_items_.size());
    read_items_.push_back(e.items);
  }
  if (e.held) d.held = *e.held ? 1 : 0;
}

void HistoryBuilder::split_data_ops(History& out) const {
  std::vector<KeyType> type(out.key_names.size(), header_type_);
  std::vector<std::uint64_t> first_line(out.key_names.size(), 0);
  for (std::size_t i = 0; i < out.ops.size(); ++i) {
    const Operation& op = out.ops[i];
    const std::uint32_t d = data_of_[i];
    KeyType t = op.f == HistOp::Incr ? KeyType::Counter
                : op.f == HistOp::Add || op.f == HistOp::Remove ||
                        (d != kNoData && data_[d].items != UINT32_MAX)
                    ? KeyType::Set
                    : KeyType::Register;
    if (t == KeyType::Register) continue;
    KeyType& k = type[op.key];
    if (k != KeyType::Register && k != t && first_line[op.key] != 0)
      fail(op.invoke_line, "key " + out.key_names[op.key] +
                               " has set operations and counter "
                               "operations (line " +
                               std::to_string(first_line[op.key]) + ")");
    k = t;
    if (first_line[op.key] == 0) first_line[op.key] = op.invoke_line;
  }
  std::vector<Operation> registers;
  if (!data_.empty()) out.sets.ops.reserve(data_.size());
  for (std::size_t i = 0; i < out.ops.size(); ++i) {
    const Operation& op = out.ops[i];
    const KeyType t = type[op.key];
    if (t == KeyType::Register) {
      registers.push_back(op);
      continue;
    }
    static const DataOp kEmpty;
    const DataOp& d = data_of_[i] == kNoData ? kEmpty : data_[data_of_[i]];
    const std::string& key = out.key_names[op.key];
    if (t == KeyType::Set && op.f == HistOp::Read) {
      if (!d.final || op.outcome != Outcome::Ok) continue;  // earlier reads: information only
      std::string where = op.node != kNone && op.node < out.node_names.size()
                              ? out.node_names[op.node]
                              : "process " + std::to_string(op.process);
      std::vector<std::string> items;
      if (d.items < kItemsNotKept) items = read_items_[d.items];
      out.sets.final_reads.push_back({key, std::move(where), std::move(items), op.invoke_line});
    } else if (t == KeyType::Set) {
      if (op.f != HistOp::Add && op.f != HistOp::Remove)
        fail(op.invoke_line, "key " + key + " is a set: a " +
                                 (op.f == HistOp::Incr ? "incr" : "write or cas") +
                                 " is not a set operation");
      ophistory::SetOpRecord r;
      r.f = op.f == HistOp::Add ? ophistory::SetF::Add : ophistory::SetF::Remove;
      r.key = key;
      if (d.item != UINT32_MAX) r.item = item_names_[d.item];
      r.invoke = op.invoke_time;
      r.complete = complete_of(op);
      r.status = status_of(op);
      if (d.held >= 0) r.observed = d.held == 1;
      r.line = op.invoke_line;
      out.sets.ops.push_back(std::move(r));
    } else {
      if (op.f != HistOp::Incr && op.f != HistOp::Read)
        fail(op.invoke_line, "key " + key + " is a counter: only incr and read apply to it");
      ophistory::CounterOpRecord r;
      r.f = op.f == HistOp::Incr ? ophistory::CounterF::Incr : ophistory::CounterF::Read;
      r.key = key;
      r.value = op.value.value_or(0);
      r.invoke = op.invoke_time;
      r.complete = complete_of(op);
      r.status = status_of(op);
      r.final = d.final;
      r.line = op.invoke_line;
      out.counters.ops.push_back(std::move(r));
    }
  }
  out.ops = std::move(registers);
}

}  // namespace consim
