// A history of client operations, as the checkers and the report see it:
// each operation's invoke and completion paired, keys interned to dense ids.
//
// Invariants: ops are in invoke order (their trace position); an op whose
// outcome is Info (unknown) or that never completed has complete_time ==
// kTimeMax: it may have taken effect at any time after its invoke. The
// simulator writes each value once per run; histories from elsewhere may
// write a value many times (the linearizability checker handles both; the
// causal and session checkers need unique values and say so).
//
// Compare-and-set (Jepsen's cas, value [expected, new]): ok means it
// compared equal and wrote `value`; ok with cas_failed means it compared
// unequal and wrote nothing (Jepsen's "ok with a false result"); fail means it
// did not take effect; info means unknown: if it took effect, it wrote
// `value` exactly when the register held `expected`.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/checkers/op_history.h"
#include "base/time.h"

namespace consim {

// Add, Remove and Incr are set and counter operations (docs/crdts.md): the
// builder moves them, and the reads of their keys, out of History::ops into
// History::sets and History::counters, so the register checkers never see
// them.
enum class HistOp : std::uint8_t { Read, Write, Cas, Add, Remove, Incr };
enum class Outcome : std::uint8_t { Ok, Fail, Info };

struct Operation {
  std::uint64_t invoke_line = 0;    // 1-based position of the invoke in the file
  std::uint64_t complete_line = 0;  // 0 when it never completed
  std::int64_t process = 0;
  HistOp f = HistOp::Read;
  std::uint32_t key = 0;  // index into History::key_names
  // write and cas: the value written. read: the value returned (ok only);
  // nullopt means "the key had no value" for an ok read, and "unknown"
  // otherwise.
  std::optional<std::int64_t> value;
  std::int64_t expected = 0;  // cas only: the value compared with
  bool cas_failed = false;    // cas only: ok, but the comparison failed
  Time invoke_time = 0;
  Time complete_time = kTimeMax;
  Outcome outcome = Outcome::Info;
  std::uint32_t node = UINT32_MAX;  // index into History::node_names; MAX if unknown
  // An ok read that returned several siblings (version vectors,
  // mv-register): how many (value is the first; all of them in
  // History::read_siblings); 0 otherwise. The linearizability checker counts
  // such a read as a violation; the session and causal checkers take it as
  // observing every sibling (docs/checkers.md).
  std::uint32_t siblings = 0;
};

// A role line: `node` announces `role` ("leader", "follower", ...) in `term`.
struct RoleChange {
  std::uint64_t line = 0;  // 1-based position in the file
  Time time = 0;
  std::uint32_t node = UINT32_MAX;  // index into History::node_names
  std::string role;
  std::int64_t term = 0;
};

// Acknowledged writes missing at the end of a run, from the run analysis
// (analysis/metrics/lost_writes.h: lost versus in doubt); a history without
// replica state (no apply lines) has none.
struct LostWriteFacts {
  struct Write {
    std::uint64_t line = 0;  // the write's invoke line
    std::string key;
    std::int64_t value = 0;
  };
  std::uint64_t lost = 0;      // acknowledged, held by no replica
  std::uint64_t in_doubt = 0;  // held only by crashed replicas
  std::vector<Write> listed;   // the first lost ones, by line
  bool final = true;           // false: faults active at the end, or replicas not converged
};

// The replicas' state at the end of a run, from the run analysis
// (analysis/metrics/convergence.h, the report's "convergence" section); a
// history without replica state (no apply lines) has none.
struct ConvergenceFacts {
  struct Divergent {
    std::string key;
    std::string held;                  // "n1 holds 5 (line 812), n2 holds null (line 3)"
    std::vector<std::uint64_t> lines;  // the apply lines that set those values
  };
  std::uint64_t divergent_keys = 0;  // keys whose live replicas disagree at the end
  std::vector<Divergent> listed;     // the first ones, by key
  // Faults active when the run ends: (fault name, kind).
  std::vector<std::pair<std::string, std::string>> active_faults;
};

// The bank workload's operations (docs/trace-format.md, "Bank workload"),
// which the register checkers never see: transfers, and balance reads of a
// bank history (one whose header has "bank", or a read marked "final").
// Keys are History::key_names indices, like Operation::key.
struct BankOp {
  bool transfer = false;          // else a balance read
  std::uint64_t op = 0;           // the trace's "op" id
  std::uint64_t invoke_line = 0;  // 1-based, the invoke's
  std::uint64_t complete_line = 0;
  std::int64_t process = 0;
  std::uint32_t from = 0;               // transfer: the account debited; read: the account read
  std::uint32_t to = UINT32_MAX;        // transfer: the account credited
  std::int64_t amount = 0;              // transfer
  std::optional<std::int64_t> balance;  // read, ok only
  bool final_read = false;              // read: taken after quiescence ("final": true)
  std::uint32_t audit = 0;              // read: an audit's ("audit": <number>), from 1
  Time invoke_time = 0;
  Time complete_time = kTimeMax;
  Outcome outcome = Outcome::Info;
  std::uint32_t node = UINT32_MAX;
};

// The accounts from the trace header's "bank" object: accounts 0..accounts-1
// (named "0", "1", ... as keys), each starting at initial_balance.
struct BankSetup {
  std::uint64_t accounts = 0;
  std::int64_t initial_balance = 0;
  bool negative_allowed = false;
};

struct BankHistory {
  std::optional<BankSetup> setup;  // none: a history without the header's "bank"
  std::vector<BankOp> ops;         // in invoke order
};

// What the replicas did with each version of a key, for the siblings-kept
// checker: from apply lines and write acknowledgements that carry "vv"
// (docs/trace-format.md; the version-vectors and mv-register strategies).
// Built by HistoryBuilder as it reads the trace; only apply lines with "vv"
// are followed, so a run that writes none (lww, single-value models) costs
// nothing but a count.
struct VersionFacts {
  using Vector = std::vector<std::pair<std::uint32_t, std::uint64_t>>;  // (node id, count)
  struct Version {
    std::uint32_t key = 0;
    std::int64_t value = 0;
    // The version's own vector (its writer's context plus its dot): from the
    // write's ok line, or from an apply line where it was the only value (the
    // state's vector is then the version's); the pointwise minimum of all of
    // them. Unknown for an unacknowledged write never alone on a replica.
    Vector vv;
    bool vv_known = false;
    std::uint64_t write_line = 0;          // the write's invoke line; 0: no invoke seen
    std::uint64_t ack_line = 0;            // its ok line with "vv"; 0: not acknowledged so
    bool held_at_end = false;              // a value or sibling of some replica at the end
    std::uint32_t left_node = UINT32_MAX;  // the last replica it left, and the line
    std::uint64_t left_line = 0;
  };
  std::vector<Version> versions;     // in order of first appearance
  std::uint64_t apply_lines = 0;     // all apply lines
  std::uint64_t apply_lines_vv = 0;  // those with "vv"
  std::uint64_t lww_overwrote = 0;   // "lww-overwrote" notes
};

struct History {
  std::vector<Operation> ops;
  std::vector<std::string> key_names;  // as written in the file ("3", "x")
  std::vector<std::string> node_names;
  std::string file;
  // Jepsen nemesis lines (process "nemesis" or ":nemesis") the loader skipped.
  std::uint64_t nemesis_lines = 0;
  std::vector<RoleChange> roles;                // role lines, in file order
  std::optional<LostWriteFacts> lost_writes;    // set by the run analysis
  std::optional<ConvergenceFacts> convergence;  // set by the run analysis
  std::optional<BankHistory> bank;              // a bank workload's history
  // Ok reads that returned several siblings: invoke line -> every sibling,
  // in the trace's order (the first is the op's value).
  std::map<std::uint64_t, std::vector<std::int64_t>> read_siblings;
  std::optional<VersionFacts> versions;  // set by the history builder (consim traces)
  // Scripted sessions: a comment's invoke line -> the value of the post it
  // answers (the write's "answers"); empty without comments.
  std::map<std::uint64_t, std::int64_t> answers;
  // Set and counter operations, and the reads of their keys (docs/crdts.md):
  // the cart and counter checkers' input. Keys are named as key_names.
  ophistory::SetHistory sets;
  ophistory::CounterHistory counters;
};

}  // namespace consim
