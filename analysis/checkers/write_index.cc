// See write_index.h.
#include "analysis/checkers/write_index.h"

#include <string>

#include "base/json_input.h"

namespace consim {

WriteIndex index_unique_writes(const History& h) {
  WriteIndex index(h.key_names.size());
  for (std::uint32_t i = 0; i < h.ops.size(); ++i) {
    const Operation& op = h.ops[i];
    if (op.f != HistOp::Write) continue;
    if (op.key >= index.size()) index.resize(op.key + 1);
    std::string where = "line " + std::to_string(op.invoke_line);
    if (!op.value) throw InputError(h.file, where, "a write has no value");
    auto [it, fresh] = index[op.key].emplace(*op.value, i);
    if (!fresh) {
      std::string key = op.key < h.key_names.size() ? h.key_names[op.key] : std::to_string(op.key);
      throw InputError(h.file, where,
                       "value " + std::to_string(*op.value) + " is written to key " + key +
                           " again (first at line " +
                           std::to_string(h.ops[it->second].invoke_line) +
                           "); the causal and session checkers need unique values");
    }
  }
  return index;
}

const History& cas_as_writes(const History& history, History& storage) {
  bool any = false;
  for (const Operation& op : history.ops) any = any || op.f == HistOp::Cas;
  if (!any) return history;
  storage.key_names = history.key_names;
  storage.node_names = history.node_names;
  storage.file = history.file;
  storage.read_siblings = history.read_siblings;
  storage.ops.clear();
  for (const Operation& op : history.ops) {
    if (op.f == HistOp::Cas && op.outcome == Outcome::Ok && op.cas_failed) continue;
    storage.ops.push_back(op);
    if (op.f == HistOp::Cas) storage.ops.back().f = HistOp::Write;
  }
  return storage;
}

std::uint32_t write_of(const WriteIndex& index, const Operation& read) {
  if (!read.value || read.key >= index.size()) return UINT32_MAX;
  auto it = index[read.key].find(*read.value);
  return it == index[read.key].end() ? UINT32_MAX : it->second;
}

}  // namespace consim
