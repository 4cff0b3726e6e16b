// Building a History (analysis/history.h) from a trace or an external
// history file, or from TraceEvents as an analysis streams them.
//
// Pairing: a completion (ok, fail, info) pairs with its invoke by "op" when
// the line has one; otherwise with its process's outstanding invoke, as in
// Jepsen, where a process has at most one operation outstanding. Example:
//   line 1 {"type":"invoke","process":0,"f":"write","key":3,"value":1,"time":5}
//   line 2 {"type":"ok","process":0,"f":"write","key":3,"value":1,"time":9}
// pairs lines 1 and 2. An invoke on a process that has an op outstanding, a
// completion with nothing outstanding, a completion whose f or key differ
// from its invoke's are input errors naming the lines. A value may be
// written to a key any number of times (by writes and by cas). An op never completed stays Info
// with complete_time == kTimeMax and complete_line == 0.
//
// Sets and counters (docs/crdts.md): finish() moves the ops of set keys
// (add, remove, reads returning an array) and counter keys (incr) out of
// History::ops into History::sets and History::counters (history_data.cc).
// A key is a set or a counter by its ops, or for every key by the trace
// header's workload type (take_header), so a counter key only ever read is
// still a counter; a key with both set and counter ops is an input error.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/trace/history.h"
#include "analysis/trace/name_interner.h"
#include "analysis/trace/trace_event.h"
#include "analysis/trace/version_tracker.h"

namespace consim {

class HistoryBuilder {
 public:
  // `file` names the source in error messages and in History::file.
  explicit HistoryBuilder(std::string file);

  // Takes one event; ignores everything but invoke, ok, fail, info, role,
  // apply and note (the last two for History::versions).
  // Throws InputError on a pairing or double-write error.
  void add(const TraceEvent& event, const TraceNames& names);

  // A consim trace's header (add() takes its header line first). Its
  // "bank" object makes this a bank history: every operation goes to
  // History::bank, none to the register ops (without it, transfers, and
  // reads marked "final" once a transfer has been seen, go there still).
  // Its scenario's workload.type ("set", "counter") makes every key of the
  // history one of that type. Throws InputError for a malformed "bank".
  void take_header(const nlohmann::json& header);

  // The history so far, with key and node names copied from `names` (ids
  // are the trace's ids). The builder is left empty.
  History finish(const TraceNames& names);

 private:
  void add_invoke(const TraceEvent& e, const TraceNames& names);
  void add_completion(const TraceEvent& e, const TraceNames& names);
  std::size_t find_outstanding(const TraceEvent& e) const;
  [[noreturn]] void fail(std::uint64_t line, const std::string& message) const;
  // The bank workload's operations (history_bank.cc).
  bool is_bank_op(const TraceEvent& e) const {
    return bank_header_ || e.transfer || e.audit || (e.final && saw_transfers_);
  }
  void add_bank(const TraceEvent& e, const TraceNames& names);
  bool bank_header_ = false;
  bool saw_transfers_ = false;  // a transfer was added (a bank history without header)
  std::unordered_map<std::uint64_t, std::size_t> open_bank_;  // op id -> index in bank ops

  History history_;
  // Every op id seen -> its index in history_.ops; the op is outstanding
  // while its complete_line is 0 (one lookup pairs a completion). consim
  // numbers ops from 1, so ids below twice the ops so far (plus 1024) sit
  // in a vector, any other in a map: memory stays linear in the ops.
  class OpIndex {
   public:
    // The index of op `id`, or nullptr.
    const std::size_t* find(std::uint64_t id) const {
      if (id < dense_.size() && dense_[id] != kAbsent) return &dense_[id];
      if (sparse_.empty()) return nullptr;
      auto it = sparse_.find(id);
      return it == sparse_.end() ? nullptr : &it->second;
    }
    // Adds id -> index unless id is there already (then returns its index).
    const std::size_t* insert(std::uint64_t id, std::size_t index, std::size_t ops);
    void clear() {
      dense_.clear();
      sparse_.clear();
    }

   private:
    static constexpr std::size_t kAbsent = SIZE_MAX;
    std::vector<std::size_t> dense_;
    std::unordered_map<std::uint64_t, std::size_t> sparse_;
  };
  OpIndex op_index_;
  // process -> indices of its outstanding ops (at most one without op ids).
  std::unordered_map<std::int64_t, std::vector<std::size_t>> open_by_process_;

  // Sets and counters (history_data.cc).
  enum class KeyType : std::uint8_t { Register, Set, Counter };
  // 12 bytes an op: items are interned (item_names_), a set read's items
  // kept apart (read_items_), so a long history holds no string per op.
  struct DataOp {
    std::uint32_t item = UINT32_MAX;   // add, remove: index into item_names_
    std::uint32_t items = UINT32_MAX;  // a set read's ok: index into read_items_
    std::int8_t held = -1;             // a remove's ok: 1 held, 0 not, -1 not said
    bool final = false;
  };
  static constexpr std::uint32_t kNoData = UINT32_MAX;
  static constexpr std::uint32_t kItemsNotKept = UINT32_MAX - 1;
  // The header's source.workload.type, into header_type_.
  void take_workload_type(const nlohmann::json& header);
  void note_data(std::size_t index, const TraceEvent& e);
  void split_data_ops(History& out) const;
  std::vector<std::uint32_t> data_of_;  // per op: index into data_, or kNoData
  std::vector<DataOp> data_;
  std::vector<std::string> item_names_;
  NameInterner items_interner_{item_names_};
  std::vector<std::vector<std::string>> read_items_;
  KeyType header_type_ = KeyType::Register;
  VersionTracker versions_;
};

// Reads a whole trace or history file (JSON Lines), or a Jepsen text log
// (jepsen_log.h), told apart by the first non-blank line.
History load_history(const std::string& path);

// Builds a history from events already read (tests, tools).
History history_from_events(const std::vector<TraceEvent>& events, const TraceNames& names,
                            const std::string& file);

}  // namespace consim
