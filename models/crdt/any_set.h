// The set types of models/crdt/ by name, and one value type that holds any
// of them, so a model (or a test) picks the merge with a scenario parameter
// and drives every kind through one interface.
//
// Invariants: set_kinds() is the one table of set kinds (tests iterate it,
// never pin it); merging two AnySets of different kinds is a broken
// invariant and aborts.
#pragma once

#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "models/crdt/crdt_ops.h"
#include "models/crdt/lww_element_set.h"
#include "models/crdt/lww_whole_set.h"
#include "models/crdt/naive_sets.h"
#include "models/crdt/or_set.h"

namespace consim::crdt {

enum class SetKind { OrSet, LwwElement, NaiveUnion, NaiveTombstones, LwwWhole };

struct SetKindInfo {
  SetKind kind;
  std::string_view name;         // the scenario spelling, e.g. "or-set"
  std::string_view description;  // one line: the merge and what it costs
};

std::span<const SetKindInfo> set_kinds();
const SetKindInfo& set_kind_info(SetKind kind);
// nullopt for an unknown name (the caller lists set_kinds() in its error).
std::optional<SetKind> find_set_kind(std::string_view name);

class AnySet {
 public:
  explicit AnySet(SetKind kind);
  SetKind kind() const;
  void apply(const SetOp& op);
  void merge(const AnySet& other);
  bool contains(const Item& item) const;
  std::set<Item> items() const;
  std::string to_string() const;
  bool operator==(const AnySet&) const = default;

 private:
  std::variant<OrSet, LwwElementSet, UnionSet, TwoPhaseSet, LwwWholeSet> state_;
};

}  // namespace consim::crdt
