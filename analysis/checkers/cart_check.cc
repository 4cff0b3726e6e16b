// The cart checker core; see cart_check.h for the definitions.
//
// Two passes over the ops: the first records, per (key, item), the latest
// time an add and a remove may have taken effect; the second judges each
// acknowledged op against the final reads of its key (sorted item lists,
// binary search). O(n log n) for n ops.
#include "analysis/checkers/cart_check.h"

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "base/time.h"

namespace consim {
namespace {

using ophistory::FinalSetRead;
using ophistory::SetF;
using ophistory::SetOpRecord;
using ophistory::Status;

constexpr std::int64_t kLongAgo = std::numeric_limits<std::int64_t>::min();

// When the last add and the last remove of an item may have taken effect.
struct ItemFacts {
  std::int64_t last_add = kLongAgo;
  std::int64_t last_remove = kLongAgo;
};

struct KeyFacts {
  std::map<std::string, ItemFacts> items;
  std::vector<const FinalSetRead*> reads;
  std::vector<std::vector<std::string>> sorted;  // reads' items, sorted
};

std::int64_t effect_end(const SetOpRecord& op) {
  return op.status == Status::Info ? ophistory::kNever : op.complete;
}

// Where each op's facts live (map nodes are stable), so the judging pass
// looks nothing up again; nullptr for a failed op.
struct OpFacts {
  const KeyFacts* key = nullptr;
  const ItemFacts* item = nullptr;
};

std::map<std::string, KeyFacts> gather(const ophistory::SetHistory& history,
                                       std::vector<OpFacts>& per_op) {
  std::map<std::string, KeyFacts> keys;
  per_op.reserve(history.ops.size());
  for (const SetOpRecord& op : history.ops) {
    if (op.status == Status::Fail) {
      per_op.push_back({});
      continue;
    }
    KeyFacts& key = keys[op.key];
    ItemFacts& facts = key.items[op.item];
    std::int64_t& last = op.f == SetF::Add ? facts.last_add : facts.last_remove;
    last = std::max(last, effect_end(op));
    per_op.push_back({&key, &facts});
  }
  for (const FinalSetRead& read : history.final_reads) {
    KeyFacts& key = keys[read.key];
    key.reads.push_back(&read);
    key.sorted.push_back(read.items);
    std::sort(key.sorted.back().begin(), key.sorted.back().end());
  }
  return keys;
}

class Judge {
 public:
  Judge(CartCheck& out, std::size_t cap) : out_(out), cap_(cap) { out_.result.checker = "cart"; }

  void add(const SetOpRecord& op, const std::vector<std::uint64_t>& lines, std::string reason) {
    out_.result.verdict = Verdict::Invalid;
    ++out_.result.violation_count;
    if (out_.result.violations.size() >= cap_) return;
    out_.result.violations.push_back(
        Violation{"cart", op.key, {op.line}, std::move(reason), lines});
  }

 private:
  CartCheck& out_;
  std::size_t cap_;
};

std::string when(const SetOpRecord& op) {
  return "[" + format_duration(op.invoke) + ", " + format_duration(op.complete) + "]";
}

// The first final read of the key for which `fails` holds, or nullptr.
template <class Fails>
const FinalSetRead* first_failing(const KeyFacts& key, const std::string& item, Fails fails) {
  for (std::size_t i = 0; i < key.reads.size(); ++i) {
    const bool holds = std::binary_search(key.sorted[i].begin(), key.sorted[i].end(), item);
    if (fails(holds)) return key.reads[i];
  }
  return nullptr;
}

void judge_op(const SetOpRecord& op, const KeyFacts& key, const ItemFacts& facts, CartCheck& out,
              Judge& judge) {
  if (op.f == SetF::Add) {
    ++out.acknowledged_adds;
    if (facts.last_remove >= op.invoke) return;  // a remove may have followed
    const auto* read = first_failing(key, op.item, [](bool holds) { return !holds; });
    if (read == nullptr) return;
    ++out.lost_adds;
    judge.add(op, {op.line, read->line},
              "add of " + op.item + " acknowledged " + when(op) +
                  " is missing from the final read at " + read->where +
                  ", and no remove of it came after");
    return;
  }
  ++out.acknowledged_removes;
  if (op.observed == false || facts.last_add >= op.invoke) return;  // an add may have followed
  const auto* read = first_failing(key, op.item, [](bool holds) { return holds; });
  if (read == nullptr) return;
  ++out.resurrected_removes;
  judge.add(op, {op.line, read->line},
            "remove of " + op.item + " acknowledged " + when(op) +
                " is undone: the final read at " + read->where +
                " holds it, and every add of it finished before the remove began");
}

void judge_phantoms(const std::map<std::string, KeyFacts>& keys, CartCheck& out, Judge& judge) {
  for (const auto& [name, key] : keys) {
    for (std::size_t i = 0; i < key.reads.size(); ++i) {
      if (key.sorted[i] != key.sorted[0]) {
        ++out.diverged_keys;
        break;
      }
    }
    for (const FinalSetRead* read : key.reads) {
      for (const std::string& item : read->items) {
        auto it = key.items.find(item);
        if (it != key.items.end() && it->second.last_add != kLongAgo) continue;
        ++out.phantom_items;
        SetOpRecord where{SetF::Add, name, item, 0, 0, Status::Ok, std::nullopt, read->line};
        judge.add(where, {read->line},
                  "the final read at " + read->where + " holds " + item + ", which no add added");
      }
    }
  }
}

}  // namespace

CartCheck check_cart(const ophistory::SetHistory& history, std::size_t max_violations) {
  CartCheck out;
  Judge judge(out, max_violations);
  std::vector<OpFacts> per_op;
  const auto keys = gather(history, per_op);
  for (std::size_t i = 0; i < history.ops.size(); ++i) {
    const SetOpRecord& op = history.ops[i];
    if (op.status == Status::Ok) judge_op(op, *per_op[i].key, *per_op[i].item, out, judge);
  }
  judge_phantoms(keys, out, judge);
  return out;
}

}  // namespace consim
