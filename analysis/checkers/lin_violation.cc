// Explaining a non-linearizable key: shrink its ops to a minimal slice that
// is still not linearizable, then name the op that cannot be placed and why.
//
// Shrinking drops chunks of ops (halving the chunk size down to one op, as
// in delta debugging) while the rest stays invalid. It never drops the
// write of a value that a kept read returned, so the slice cannot turn into
// the misleading "read of a value nobody wrote". Example, on key 3: write 1
// [lines 1-2], read -> 1 [3-4], write 2 [5-6], read -> 2 [7-8], read -> 1
// [9-10] shrinks to lines 1, 5, 9: "read of key 3 at line 9 returned 1, but
// write of 2 (line 5) completed before the read began and no write of 1 can
// follow it".
#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "analysis/checkers/lin_internal.h"

namespace consim {
namespace {

// Ops that can matter to the verdict: no failed ops, no unknown reads, no
// info writes whose value no read returned.
OpRefs relevant_ops(const OpRefs& ops) {
  std::vector<SearchOp> kept = prepare_register_ops(ops).ops;
  OpRefs out;
  for (const SearchOp& s : kept) out.push_back(ops[s.source]);
  return out;
}

// True if `ops` is invalid within the budget; then `blocked` is the op
// that cannot be placed.
bool still_invalid(const OpRefs& ops, std::uint64_t& budget, const Operation*& blocked) {
  SearchResult r = search_key(ops, budget);
  budget -= std::min(budget, r.steps);
  if (r.verdict != Verdict::Invalid) return false;
  blocked = ops[r.blocked];
  return true;
}

// `ops` without the ops in [start, start + count), except writes whose value
// a read outside that range returned.
OpRefs without_chunk(const OpRefs& ops, std::size_t start, std::size_t count) {
  std::set<std::int64_t> read_outside;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (i >= start && i < start + count) continue;
    if (ops[i]->f == HistOp::Read && ops[i]->value) read_outside.insert(*ops[i]->value);
    if (ops[i]->f == HistOp::Cas) read_outside.insert(ops[i]->expected);
  }
  OpRefs out;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    bool in_chunk = i >= start && i < start + count;
    bool needed = ops[i]->f != HistOp::Read && read_outside.count(*ops[i]->value) > 0;
    if (!in_chunk || needed) out.push_back(ops[i]);
  }
  return out;
}

OpRefs shrink(OpRefs current, std::uint64_t& budget, const Operation*& blocked) {
  std::size_t chunk = std::max<std::size_t>(1, current.size() / 2);
  while (budget > 0) {
    bool changed = false;
    for (std::size_t start = 0; start < current.size() && budget > 0;) {
      OpRefs candidate = without_chunk(current, start, chunk);
      if (candidate.size() < current.size() && still_invalid(candidate, budget, blocked)) {
        current = std::move(candidate);
        changed = true;
      } else {
        start += chunk;
      }
    }
    if (chunk == 1 && !changed) break;
    chunk = std::max<std::size_t>(1, chunk / 2);
  }
  return current;
}

std::string value_text(const std::optional<std::int64_t>& v) {
  return v ? std::to_string(*v) : "nothing";
}

std::string line_list(const std::vector<std::uint64_t>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (i == 6) return out + ", ... " + std::to_string(lines.back());
    out += (i ? ", " : "") + std::to_string(lines[i]);
  }
  return out;
}

// Whether `op` may have written its value: a write, or a cas that did not
// report a failed comparison.
bool may_write(const Operation& op) {
  return op.f == HistOp::Write ||
         (op.f == HistOp::Cas && !(op.outcome == Outcome::Ok && op.cas_failed));
}

struct Explanation {
  std::string reason;
  std::vector<const Operation*> at_fault;
};

// Why read `r` (in `slice`) cannot be placed; `all` is the key's whole list.
Explanation explain_read(const Operation& r, const OpRefs& slice, const OpRefs& all,
                         const std::string& key) {
  const std::string head = "read of key " + key + " at line " + std::to_string(r.invoke_line) +
                           " returned " + value_text(r.value) + ", but ";
  std::vector<const Operation*> writers, failed;
  for (const Operation* op : all)
    if (may_write(*op) && r.value && op->value == r.value)
      (op->outcome == Outcome::Fail ? failed : writers).push_back(op);
  if (r.value && writers.empty()) {
    if (!failed.empty())
      return {head + "the write of " + value_text(r.value) + " (line " +
                  std::to_string(failed.front()->invoke_line) + ") failed",
              {&r, failed.front()}};
    return {head + "no operation wrote " + value_text(r.value), {&r}};
  }
  if (r.value && std::all_of(writers.begin(), writers.end(),
                             [&](const Operation* w) { return precedes(r, *w); }))
    return {head + "the write of " + value_text(r.value) + " (line " +
                std::to_string(writers.front()->invoke_line) +
                ") began only after the read completed",
            {&r, writers.front()}};
  // A write that completed before the read began, after every write of its value.
  const Operation* overwrite = nullptr;
  for (const Operation* w : slice) {
    if (!may_write(*w) || w->value == r.value || !precedes(*w, r)) continue;
    if (!std::all_of(writers.begin(), writers.end(),
                     [&](const Operation* v) { return precedes(*v, *w); }))
      continue;
    if (!overwrite || complete_pos(*overwrite) < complete_pos(*w)) overwrite = w;
  }
  if (overwrite) {
    std::string tail = r.value ? " and no write of " + value_text(r.value) + " can follow it" : "";
    std::vector<const Operation*> at_fault{&r, overwrite};
    if (!writers.empty()) at_fault.push_back(writers.front());
    return {head + "write of " + value_text(overwrite->value) + " (line " +
                std::to_string(overwrite->invoke_line) + ") completed before the read began" + tail,
            at_fault};
  }
  std::vector<std::uint64_t> lines;
  for (const Operation* op : slice) lines.push_back(op->invoke_line);
  return {
      head + "no order of the operations at lines " + line_list(lines) + " lets it see that value",
      {&r}};
}

// The write of `value`: from the slice if there (its view of the outcome),
// else from the key's whole list, preferring one that did not fail.
const Operation* write_of(const std::optional<std::int64_t>& value, const OpRefs& slice,
                          const OpRefs& all) {
  const Operation* failed = nullptr;
  for (const OpRefs* ops : {&slice, &all})
    for (const Operation* op : *ops)
      if (may_write(*op) && value && op->value == value) {
        if (op->outcome != Outcome::Fail) return op;
        failed = op;
      }
  return failed;
}

std::string at_line(const Operation& op) { return "(line " + std::to_string(op.invoke_line) + ")"; }

// Two reads going back in time: `earlier` completed before `later` began,
// yet `later` returned an older value (or nothing). The value is older when
// its write completed before the newer one's write began, or before
// `earlier` began. Example: w(1) [1-2], w(2) [3-10], r->2 [4-5], r->1 [6-7].
std::optional<Explanation> explain_reads_back_in_time(const OpRefs& slice, const OpRefs& all,
                                                      const std::string& key) {
  for (const Operation* earlier : slice) {
    for (const Operation* later : slice) {
      if (earlier->f != HistOp::Read || later->f != HistOp::Read || !earlier->value ||
          earlier->value == later->value || !precedes(*earlier, *later))
        continue;
      const Operation* newer = write_of(earlier->value, slice, all);
      const Operation* older = write_of(later->value, slice, all);
      std::string order;
      if (later->value) {
        if (!older || !newer) continue;
        if (precedes(*older, *newer))
          order = ", and the write of " + value_text(earlier->value) + " " + at_line(*newer) +
                  " began after the write of " + value_text(later->value) + " " + at_line(*older) +
                  " completed";
        else if (precedes(*older, *earlier))
          order = ", and the write of " + value_text(later->value) + " " + at_line(*older) +
                  " completed before that read began";
        else
          continue;
      }
      Explanation why{"read of key " + key + " at line " + std::to_string(later->invoke_line) +
                          " returned " + value_text(later->value) + ", but the read at line " +
                          std::to_string(earlier->invoke_line) +
                          ", which completed before it began, already returned " +
                          value_text(earlier->value) + order,
                      {later, earlier}};
      if (newer) why.at_fault.push_back(newer);
      if (older) why.at_fault.push_back(older);
      return why;
    }
  }
  return std::nullopt;
}

// Two reads that disagree although no write can come between them: the
// slice's only two writes both completed before either read began. Example:
// w(2) [1-6], w(3) [3-5], r->2 [9-13], r->3 [11-16].
std::optional<Explanation> explain_reads_disagree(const OpRefs& slice, const std::string& key) {
  std::vector<const Operation*> writes, reads;
  for (const Operation* op : slice) {
    if (op->f == HistOp::Cas) return {};
    (op->f == HistOp::Write ? writes : reads).push_back(op);
  }
  if (writes.size() != 2 || reads.size() != 2 || reads[0]->value == reads[1]->value) return {};
  for (const Operation* w : writes)
    for (const Operation* r : reads)
      if (!precedes(*w, *r)) return {};
  return Explanation{"read of key " + key + " at line " + std::to_string(reads[1]->invoke_line) +
                         " returned " + value_text(reads[1]->value) + ", but the read at line " +
                         std::to_string(reads[0]->invoke_line) + " returned " +
                         value_text(reads[0]->value) + ", and both writes, of " +
                         value_text(writes[0]->value) + " " + at_line(*writes[0]) + " and " +
                         value_text(writes[1]->value) + " " + at_line(*writes[1]) +
                         ", completed before either read began",
                     {reads[0], reads[1], writes[0], writes[1]}};
}

// Why `blocked` cannot be placed among the ops of `slice`. A write is
// rarely the clearest subject: when its completion breaks the history (it
// failed, or its ok fixed its place), a read in the slice is explained
// instead, those of its value first.
// `unique`: the key has no cas and no value written twice; only then do the
// two-read explanations hold (with a repeated value, a read may see it again).
Explanation explain(const Operation& blocked, const OpRefs& slice, const OpRefs& all,
                    const std::string& key, bool unique) {
  auto generic = [](const Explanation& e) {
    return e.reason.find("no order of the operations") != std::string::npos;
  };
  if (blocked.f == HistOp::Read) {
    Explanation why = explain_read(blocked, slice, all, key);
    if (generic(why) && unique)
      if (auto pair = explain_reads_back_in_time(slice, all, key)) why = *pair;
    if (generic(why) && unique)
      if (auto pair = explain_reads_disagree(slice, key)) why = *pair;
    return why;
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (const Operation* op : slice) {
      if (op->f != HistOp::Read || (pass == 0) != (op->value == blocked.value)) continue;
      Explanation why = explain_read(*op, slice, all, key);
      if (!generic(why)) return why;
    }
  }
  if (unique)
    if (auto pair = explain_reads_back_in_time(slice, all, key)) return *pair;
  if (unique)
    if (auto pair = explain_reads_disagree(slice, key)) return *pair;
  std::vector<std::uint64_t> lines;
  for (const Operation* op : slice) lines.push_back(op->invoke_line);
  std::string what = blocked.f == HistOp::Cas ? "cas [" + std::to_string(blocked.expected) + ", " +
                                                    value_text(blocked.value) + "]"
                                              : "write of " + value_text(blocked.value);
  return {what + " to key " + key + " at line " + std::to_string(blocked.invoke_line) +
              " cannot be placed: no order of the operations at lines " + line_list(lines) +
              " is consistent with one copy of the register",
          {&blocked}};
}

}  // namespace

ExplainedViolation explain_violation(const OpRefs& ops, const std::string& key_name,
                                     const SearchResult& found, std::uint64_t budget) {
  FirstViolation first = find_first_violation(ops, budget);
  OpRefs start;
  const Operation* blocked = ops[found.blocked];
  if (first.found) {
    for (const Operation& op : first.cut_ops) start.push_back(&op);
    start = relevant_ops(start);
  } else {
    start = relevant_ops(ops);
  }
  OpRefs slice = shrink(start, budget, blocked);
  if (first.found) blocked = first.breaker;  // the op whose completion breaks it
  Explanation why = explain(*blocked, slice, ops, key_name, !prepare_register_ops(ops).general);
  ExplainedViolation out;
  Violation& v = out.violation;
  v.checker = "linearizable";
  v.key = key_name;
  for (const Operation* op : why.at_fault) v.ops.push_back(op->invoke_line);
  std::sort(v.ops.begin(), v.ops.end());
  v.ops.erase(std::unique(v.ops.begin(), v.ops.end()), v.ops.end());
  // The slice, plus any failed write whose value a slice read returned.
  std::set<std::uint64_t> lines;
  for (const Operation* op : slice) lines.insert(op->invoke_line);
  for (const Operation* op : why.at_fault) lines.insert(op->invoke_line);
  v.slice.assign(lines.begin(), lines.end());
  const std::string total = std::to_string(ops.size());
  out.blocked_line = blocked->invoke_line;
  if (first.found) {
    out.prefix = first.prefix;
    v.reason = why.reason + " (the longest linearizable prefix ends at line " +
               std::to_string(first.valid_up_to_line) + " and holds " +
               std::to_string(out.prefix.size()) + " of the key's " + total + " operations)";
  } else {
    for (std::uint32_t i : found.longest) out.prefix.push_back(ops[i]->invoke_line);
    v.reason = why.reason +
               " (longest linearizable prefix found: " + std::to_string(out.prefix.size()) +
               " of the key's " + total + " operations)";
  }
  return out;
}

}  // namespace consim
