// The first point where a key's history stops being linearizable, found by
// binary search over its events.
//
// The history "up to event k" holds the ops invoked by then; an op whose
// completion comes later is in flight there, so it counts as info (it may or
// may not have taken effect). Cutting later never turns an invalid history
// valid: a linearization of a later cut, restricted to the earlier cut's
// ops, is one of the earlier cut (reads in flight are dropped, writes in
// flight keep their place or are left out). So validity is monotone and the
// search is exact. Example: w(1) [1-2], w(2) [3-4], r->1 [5-6]: the history
// is linearizable up to line 5; the read's completion at line 6 breaks it.
#include <algorithm>

#include "analysis/checkers/lin_internal.h"

namespace consim {
namespace {

struct Event {
  Pos pos;
  std::size_t op;  // index into the key's ops
  bool completion;
};

std::vector<Event> events_of(const OpRefs& ops) {
  std::vector<Event> events;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    events.push_back({invoke_pos(*ops[i]), i, false});
    if (ops[i]->outcome != Outcome::Info) events.push_back({complete_pos(*ops[i]), i, true});
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.pos < b.pos || b.pos < a.pos) return a.pos < b.pos;
    return !a.completion && b.completion;  // same position: the invoke first
  });
  return events;
}

// The key's history after the first `k` events, as copies.
std::vector<Operation> history_at(const OpRefs& ops, const std::vector<Event>& events,
                                  std::size_t k) {
  std::vector<int> seen(ops.size(), 0);  // 1: invoked, 2: completed
  for (std::size_t e = 0; e < k; ++e) seen[events[e].op] = events[e].completion ? 2 : 1;
  std::vector<Operation> out;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (seen[i] == 0) continue;
    Operation op = *ops[i];
    if (seen[i] == 1 && op.outcome != Outcome::Info) {
      op.outcome = Outcome::Info;  // in flight at the cut
      op.complete_time = kTimeMax;
      op.complete_line = 0;
      if (op.f == HistOp::Read) op.value.reset();
      op.cas_failed = false;
    }
    out.push_back(op);
  }
  return out;
}

OpRefs refs_of(const std::vector<Operation>& ops) {
  OpRefs refs;
  for (const Operation& op : ops) refs.push_back(&op);
  return refs;
}

}  // namespace

FirstViolation find_first_violation(const OpRefs& ops, std::uint64_t& budget) {
  FirstViolation result;
  std::vector<Event> events = events_of(ops);
  // valid(lo) and invalid(hi): the empty history is valid, the whole is not.
  std::size_t lo = 0, hi = events.size();
  std::vector<std::uint64_t> prefix;
  while (hi - lo > 1) {
    std::size_t mid = lo + (hi - lo) / 2;
    std::vector<Operation> cut = history_at(ops, events, mid);
    OpRefs refs = refs_of(cut);
    SearchResult r = search_key(refs, budget);
    budget -= std::min(budget, r.steps);
    if (r.verdict == Verdict::Unknown) return result;  // out of budget: not found
    if (r.verdict == Verdict::Valid) {
      lo = mid;
      prefix.clear();
      for (std::uint32_t i : r.longest) prefix.push_back(refs[i]->invoke_line);
    } else {
      hi = mid;
    }
  }
  result.found = true;
  result.valid_up_to_line = lo == 0 ? 0 : events[lo - 1].pos.line;
  result.prefix = std::move(prefix);
  result.cut_ops = history_at(ops, events, hi);
  const std::size_t breaker = events[hi - 1].op;
  for (const Operation& op : result.cut_ops)
    if (op.invoke_line == ops[breaker]->invoke_line && op.process == ops[breaker]->process)
      result.breaker = &op;
  return result;
}

}  // namespace consim
