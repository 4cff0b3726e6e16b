// Streams the run's JSON Lines trace (docs/trace-format.md) to disk.
//
// Invariants:
//  - Output goes to "<path>.tmp" and is renamed to <path> only by finish();
//    a run that throws or aborts leaves no file at <path> (the destructor
//    removes the temporary file if finish() was not called).
//  - Lines are formatted by hand into a buffer (no JSON library on the hot
//    path): integers with std::to_chars, names pre-quoted once. Same calls,
//    same bytes.
//  - The level filters what is written: Ops (client operations, redirects,
//    roles, faults),
//    State (+ apply, note), Full (+ network). Callers may ask wants_*() to
//    skip building arguments.
#pragma once

#include <cstdint>
#include <cstdio>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"
#include "models/model.h"
#include "sim/fault_kind.h"
#include "sim/scenario.h"

namespace consim {

enum class OpPhase { Invoke, Ok, Fail, Info };

struct OpRecord {
  OpPhase phase = OpPhase::Invoke;
  std::uint64_t op = 0;
  std::uint64_t process = 0;   // Jepsen's process: a new one after each info
  std::uint32_t client = 0;    // the client that runs it, for the whole run
  OpType type = OpType::Read;  // "f": op_name(type)
  std::uint64_t key = 0;
  std::optional<std::int64_t> value;
  std::uint32_t node = 0;
  std::string_view reason;  // fail / info
  // A cas: "value":[expected, value]; its ok line adds "result"
  // (cas_matched: false when the comparison failed and nothing was written).
  std::int64_t expected = 0;
  bool cas_matched = true;
  // Ok lines only: a read's siblings (written when more than one) and the
  // version vector of a read's context or a write's new version (models
  // with version vectors); null: not written.
  const std::vector<std::int64_t>* siblings = nullptr;
  const DotSet* dots = nullptr;  // with vv: the dots past it ("dots", when any)
  const VersionVector* vv = nullptr;
  // A set read's ok writes `items` as its "value" (an array); a remove's ok
  // writes `held` as "result" (docs/crdts.md).
  const std::vector<std::int64_t>* items = nullptr;
  std::optional<bool> held = std::nullopt;
  // A transfer (the bank workload): "key" the account debited, "value":
  // [account credited, amount].
  std::uint64_t to_key = 0;
  std::int64_t amount = 0;
  // A final read (sim/final_reads.cc): every line adds "final": true.
  bool final_read = false;
  // Scripted sessions: the step's name ("step") and, on a comment, the
  // value of the post it answers ("answers"); absent on other operations.
  std::string_view step{};
  std::optional<std::int64_t> answers{};
  std::uint32_t audit = 0;  // a bank audit's read: "audit": <number>
};

class TraceWriter {
 public:
  // Opens "<path>.tmp". Throws std::runtime_error if it cannot.
  TraceWriter(std::string path, TraceLevel level, const std::vector<std::string>& node_names);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  bool wants_state() const { return level_ != TraceLevel::Ops; }
  bool wants_network() const { return level_ == TraceLevel::Full; }

  void header(const nlohmann::ordered_json& header);
  void op(Time t, const OpRecord& r);
  void apply(Time t, std::uint32_t node, std::uint64_t key, std::optional<std::int64_t> value);
  // A replica exposing `values` (siblings when more than one; "value" is the
  // first) with version vector `vv` and the dots past it (null: none
  // written).
  void apply_versions(Time t, std::uint32_t node, std::uint64_t key,
                      const std::vector<std::int64_t>& values, const VersionVector* vv,
                      const DotSet* dots);
  void note(Time t, std::uint32_t node, std::string_view what, std::string_view detail,
            std::optional<Time> lasted = std::nullopt);
  // A node's new role in a term (Context::role); written at every level.
  void role(Time t, std::uint32_t node, std::string_view role, std::uint64_t term);
  // A request redirected by `node` (not the leader) with `hint` (nullopt:
  // none) and re-sent to `to` (nullopt: the client gave up); written at
  // every level.
  void redirect(Time t, std::uint64_t op, std::uint32_t node, std::optional<std::uint32_t> hint,
                std::optional<std::uint32_t> to);
  // type: send, deliver, drop, duplicate, hold. reason only for drop; bytes
  // and vv (the message's version vector, if any, and the dots past it)
  // only for send.
  void network(Time t, std::string_view type, std::uint64_t msg, std::uint32_t from,
               std::uint32_t to, std::string_view kind, std::uint64_t bytes,
               std::string_view reason, const VersionVector* vv = nullptr,
               const DotSet* dots = nullptr);
  // A fault's begin or end (docs/trace-format.md, "fault lines").
  void fault(Time t, const FaultLine& line);
  void end(Time t, std::uint64_t events);

  // Flushes, closes and renames the temporary file into place.
  void finish();

  std::uint64_t lines() const { return lines_; }
  std::uint64_t bytes() const { return bytes_; }

 private:
  void begin(std::string_view type, Time t);
  void field(std::string_view name, std::int64_t v);
  void field_u(std::string_view name, std::uint64_t v);
  void field_str(std::string_view name, std::string_view v);  // escapes
  void field_raw(std::string_view name, std::string_view json);
  void field_node(std::string_view name, std::uint32_t node);
  // "vv":{...}, then "dots":{"n1":[5,7]} when `dots` holds any.
  void field_vv(const VersionVector& vv, const DotSet* dots);
  void field_values(std::string_view name, const std::vector<std::int64_t>& values);
  void end_line();
  void raw(std::string_view s);
  void flush();

  std::string path_;
  std::string tmp_path_;
  TraceLevel level_;
  std::vector<std::string> quoted_nodes_;
  std::FILE* file_ = nullptr;
  std::string buf_;
  std::uint64_t lines_ = 0;
  std::uint64_t bytes_ = 0;
  bool finished_ = false;
};

// JSON string escaping for trace text: quotes, backslashes, control chars.
std::string json_quote(std::string_view s);

}  // namespace consim
