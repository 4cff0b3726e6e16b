// The linearizability checker's driver: split by key, prepare each key's
// ops, search, count verdicts, build violations. See linearizability.h.
#include "analysis/checkers/linearizability.h"

#include <algorithm>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "analysis/checkers/lin_internal.h"

namespace consim {

namespace {

// What the history says about one key's values, for preparing its ops.
struct KeyFacts {
  std::unordered_map<std::int64_t, Pos> first_read_end;  // per value: earliest ok read's end
  std::unordered_map<std::int64_t, int> writers;         // per value: writes not failed
  std::unordered_set<std::int64_t> observed;             // values an ok read or a cas compares with
  bool has_cas = false, has_cas_miss = false;
  bool general = false;  // cas, or a value written twice: the general search
};

KeyFacts key_facts(const OpRefs& ops) {
  KeyFacts k;
  for (const Operation* op : ops) {
    if (op->outcome == Outcome::Fail) continue;
    if (op->f == HistOp::Read && op->outcome == Outcome::Ok && op->value) {
      auto [it, fresh] = k.first_read_end.emplace(*op->value, complete_pos(*op));
      if (!fresh) it->second = std::min(it->second, complete_pos(*op));
    }
    if (op->f == HistOp::Write && op->value && ++k.writers[*op->value] > 1) k.general = true;
    if (op->f == HistOp::Cas) {
      k.has_cas = true;
      if (op->outcome == Outcome::Ok && op->cas_failed)
        k.has_cas_miss = true;
      else
        k.observed.insert(op->expected);
    }
  }
  k.general = k.general || k.has_cas;
  if (k.general)
    for (const auto& [value, end] : k.first_read_end) k.observed.insert(value);
  return k;
}

// The general path: every kind of op, values written any number of times.
// An info write or cas is kept (with no end) unless nothing observes its
// value and no failed comparison could gain from it.
bool prepare_general(const Operation& op, const KeyFacts& k, SearchOp& s) {
  s.kind = op.f == HistOp::Read          ? StepKind::Read
           : op.f == HistOp::Write       ? StepKind::Write
           : op.outcome == Outcome::Info ? StepKind::CasMaybe
           : op.cas_failed               ? StepKind::CasMiss
                                         : StepKind::Cas;
  s.write = s.kind == StepKind::Write;
  if (op.outcome != Outcome::Info) return true;
  if (op.f == HistOp::Read || !op.value) return false;  // an unknown read constrains nothing
  return k.has_cas_miss || k.observed.count(*op.value) > 0;
}

// The unique-value path: reads and writes, each value written once. An info
// write must take effect before the first read of its value completes.
bool prepare_unique(const Operation& op, const KeyFacts& k, SearchOp& s) {
  s.kind = s.write ? StepKind::Write : StepKind::Read;
  if (op.outcome != Outcome::Info) return true;
  if (!s.write || !s.has_value) return false;  // an unknown read constrains nothing
  auto read = k.first_read_end.find(s.value);
  if (read == k.first_read_end.end()) return false;  // never observed: leave it out
  s.ret = std::max(s.call, read->second);
  return true;
}

}  // namespace

PreparedKey prepare_register_ops(const OpRefs& ops) {
  KeyFacts facts = key_facts(ops);
  PreparedKey out;
  out.general = facts.general;
  out.ops.reserve(ops.size());
  if (out.general)
    for (const Operation* op : ops) out.expected.push_back(op->expected);
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Operation& op = *ops[i];
    if (op.outcome == Outcome::Fail) continue;
    SearchOp s;
    s.source = static_cast<std::uint32_t>(i);
    s.write = op.f == HistOp::Write;
    s.has_value = op.value.has_value();
    s.value = op.value.value_or(0);
    s.call = invoke_pos(op);
    s.ret = complete_pos(op);
    if (facts.general ? prepare_general(op, facts, s) : prepare_unique(op, facts, s))
      out.ops.push_back(s);
  }
  return out;
}

SearchResult search_key(const OpRefs& ops, std::uint64_t step_budget) {
  PreparedKey key = prepare_register_ops(ops);
  return key.general ? wgl_general_search(key.ops, key.expected, step_budget)
                     : wgl_search(key.ops, step_budget);
}

namespace {

KeyLinearizability summarize(const OpRefs& ops, std::uint32_t key, const SearchResult& r) {
  KeyLinearizability k;
  k.key = key;
  k.verdict = r.verdict;
  k.ops = ops.size();
  k.steps = r.steps;
  if (r.verdict == Verdict::Invalid) {
    for (std::uint32_t i : r.longest) k.longest_prefix.push_back(ops[i]->invoke_line);
    k.blocked_line = ops[r.blocked]->invoke_line;
  }
  return k;
}

// A read that returned several siblings: no single-copy register returns
// more than one value, so the key is not linearizable whatever the rest.
const Operation* multi_value_read(const OpRefs& ops) {
  for (const Operation* op : ops)
    if (op->f == HistOp::Read && op->outcome == Outcome::Ok && op->siblings > 1) return op;
  return nullptr;
}

std::string key_list(const std::vector<std::string>& names, std::size_t total) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  if (total > names.size()) out += " and " + std::to_string(total - names.size()) + " more";
  return out;
}

}  // namespace

KeyLinearizability check_key_linearizable(const std::vector<Operation>& ops,
                                          std::uint64_t step_budget) {
  OpRefs refs;
  for (const auto& op : ops) refs.push_back(&op);
  return summarize(refs, ops.empty() ? 0 : ops.front().key, search_key(refs, step_budget));
}

LinearizabilityReport check_linearizability(const History& history,
                                            const LinearizabilityOptions& options) {
  // Group by key, keys in id order, each key's ops in history order.
  std::vector<const Operation*> sorted;
  for (const Operation& op : history.ops) sorted.push_back(&op);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const Operation* a, const Operation* b) { return a->key < b->key; });
  std::vector<OpRefs> by_key;
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i == 0 || sorted[i]->key != sorted[i - 1]->key) by_key.emplace_back();
    by_key.back().push_back(sorted[i]);
  }
  LinearizabilityReport report;
  CheckResult& result = report.result;
  result.checker = "linearizable";
  std::vector<std::string> unknown_names;
  for (const OpRefs& ops : by_key) {
    const std::uint32_t key = ops.front()->key;
    std::string name =
        key < history.key_names.size() ? history.key_names[key] : std::to_string(key);
    if (const Operation* read = multi_value_read(ops)) {
      KeyLinearizability k;
      k.key = key;
      k.verdict = Verdict::Invalid;
      k.ops = ops.size();
      k.blocked_line = read->invoke_line;
      report.keys.push_back(k);
      ++report.invalid_keys;
      ++result.violation_count;
      if (result.violations.size() < options.max_violations)
        result.violations.push_back(
            {"linearizable",
             name,
             {read->invoke_line},
             "read returned " + std::to_string(read->siblings) +
                 " siblings (concurrent versions); a single-copy register returns one value",
             {read->invoke_line}});
      continue;
    }
    SearchResult found = search_key(ops, options.step_budget_per_key);
    report.keys.push_back(summarize(ops, key, found));
    switch (found.verdict) {
      case Verdict::Valid:
        ++report.valid_keys;
        break;
      case Verdict::Unknown:
        ++report.unknown_keys;
        if (unknown_names.size() < 5) unknown_names.push_back(name);
        break;
      case Verdict::Invalid:
        ++report.invalid_keys;
        ++result.violation_count;
        if (result.violations.size() < options.max_violations) {
          ExplainedViolation e = explain_violation(ops, name, found, options.shrink_step_budget);
          result.violations.push_back(std::move(e.violation));
          report.keys.back().longest_prefix = std::move(e.prefix);
          report.keys.back().blocked_line = e.blocked_line;
        }
        break;
    }
  }
  result.verdict = report.invalid_keys > 0   ? Verdict::Invalid
                   : report.unknown_keys > 0 ? Verdict::Unknown
                                             : Verdict::Valid;
  std::size_t keys = report.keys.size();
  result.note = std::to_string(keys) + (keys == 1 ? " key: " : " keys: ") +
                std::to_string(report.valid_keys) + " valid, " +
                std::to_string(report.invalid_keys) + " invalid, " +
                std::to_string(report.unknown_keys) + " unknown";
  if (report.unknown_keys > 0)
    result.note += "; the search budget of " + std::to_string(options.step_budget_per_key) +
                   " steps per key ran out on key " + key_list(unknown_names, report.unknown_keys);
  return report;
}

}  // namespace consim
