// Exhaustive reference check; see brute_force.h. Written independently of
// the WGL search (no shared helpers) so that the two can catch each other.
#include "analysis/checkers/brute_force.h"

#include <map>
#include <stdexcept>
#include <string>

namespace consim {
namespace {

bool completed_before(const Operation& a, const Operation& b) {
  if (a.outcome == Outcome::Info) return false;
  if (a.complete_time != b.invoke_time) return a.complete_time < b.invoke_time;
  return a.complete_line < b.invoke_line;
}

struct Enumeration {
  std::vector<const Operation*> ops;  // the ops that must all be placed
  std::vector<unsigned> must_follow;  // bit j of [i]: op j precedes op i in real time
  unsigned placed = 0;

  // Places the remaining ops in every order real time allows.
  bool place_rest(bool has_value, std::int64_t value) {
    if (placed == (1u << ops.size()) - 1) return true;
    for (std::size_t i = 0; i < ops.size(); ++i) {
      unsigned bit = 1u << i;
      if ((placed & bit) || (must_follow[i] & ~placed)) continue;
      const Operation& op = *ops[i];
      bool next_has = has_value;
      std::int64_t next_value = value;
      const bool equal = has_value && value == op.expected;
      if (op.f == HistOp::Write) {
        next_has = true;
        next_value = *op.value;
      } else if (op.f == HistOp::Cas) {
        if (op.outcome == Outcome::Ok && op.cas_failed == equal) continue;  // cannot be next
        if (equal) {
          next_has = true;
          next_value = *op.value;
        }
      } else if (op.value.has_value() != has_value || (has_value && *op.value != value)) {
        continue;  // this read cannot be next
      }
      placed |= bit;
      bool ok = place_rest(next_has, next_value);
      placed &= ~bit;
      if (ok) return true;
    }
    return false;
  }
};

}  // namespace

Verdict brute_force_key(const std::vector<Operation>& ops) {
  if (ops.size() > kBruteForceMaxOpsPerKey)
    throw std::invalid_argument("brute force: " + std::to_string(ops.size()) +
                                " operations on one key; at most 8");
  std::vector<const Operation*> certain, optional;
  for (const Operation& op : ops) {
    if (op.outcome == Outcome::Fail) continue;
    if (op.outcome == Outcome::Ok)
      certain.push_back(&op);
    else if (op.f != HistOp::Read)
      optional.push_back(&op);
  }
  for (unsigned choice = 0; choice < (1u << optional.size()); ++choice) {
    Enumeration e;
    e.ops = certain;
    for (std::size_t i = 0; i < optional.size(); ++i)
      if (choice & (1u << i)) e.ops.push_back(optional[i]);
    e.must_follow.assign(e.ops.size(), 0);
    for (std::size_t i = 0; i < e.ops.size(); ++i)
      for (std::size_t j = 0; j < e.ops.size(); ++j)
        if (completed_before(*e.ops[j], *e.ops[i])) e.must_follow[i] |= 1u << j;
    if (e.place_rest(false, 0)) return Verdict::Valid;
  }
  return Verdict::Invalid;
}

Verdict brute_force_linearizable(const History& history) {
  std::map<std::uint32_t, std::vector<Operation>> by_key;
  for (const Operation& op : history.ops) by_key[op.key].push_back(op);
  for (const auto& [key, ops] : by_key)
    if (brute_force_key(ops) == Verdict::Invalid) return Verdict::Invalid;
  return Verdict::Valid;
}

}  // namespace consim
