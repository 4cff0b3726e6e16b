// The set kinds table and AnySet; see any_set.h.
#include "models/crdt/any_set.h"

#include <array>

namespace consim::crdt {
namespace {

// Table order = SetKind order = AnySet's variant order.
constexpr std::array<SetKindInfo, 5> kSetKinds{{
    {SetKind::OrSet, "or-set",
     "observed-remove set, add-wins: a remove drops only the adds it saw; nothing acknowledged "
     "is lost"},
    {SetKind::LwwElement, "lww-element-set",
     "per item, the later of its last add and last remove wins, by the replicas' clocks"},
    {SetKind::NaiveUnion, "naive-union",
     "merge is the union of the replicas' sets: removed items come back"},
    {SetKind::NaiveTombstones, "naive-tombstones",
     "union of adds minus union of removes: an item once removed can never be re-added"},
    {SetKind::LwwWhole, "lww-whole",
     "last writer wins on the whole set: one side's changes during a partition vanish"},
}};

constexpr bool in_kind_order() {
  for (std::size_t i = 0; i < kSetKinds.size(); ++i) {
    if (static_cast<std::size_t>(kSetKinds[i].kind) != i) return false;
  }
  return true;
}
static_assert(in_kind_order());

template <class Variant>
Variant make_state(SetKind kind) {
  switch (kind) {
    case SetKind::OrSet:
      return OrSet{};
    case SetKind::LwwElement:
      return LwwElementSet{};
    case SetKind::NaiveUnion:
      return UnionSet{};
    case SetKind::NaiveTombstones:
      return TwoPhaseSet{};
    case SetKind::LwwWhole:
      return LwwWholeSet{};
  }
  broken_invariant("unknown set kind");
}

}  // namespace

std::span<const SetKindInfo> set_kinds() { return kSetKinds; }

const SetKindInfo& set_kind_info(SetKind kind) {
  return kSetKinds.at(static_cast<std::size_t>(kind));
}

std::optional<SetKind> find_set_kind(std::string_view name) {
  for (const auto& info : kSetKinds) {
    if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

AnySet::AnySet(SetKind kind) : state_(make_state<decltype(state_)>(kind)) {
  if (this->kind() != kind) broken_invariant("AnySet's variant order differs from SetKind's");
}

SetKind AnySet::kind() const { return static_cast<SetKind>(state_.index()); }

void AnySet::apply(const SetOp& op) {
  std::visit([&op](auto& state) { state.apply(op); }, state_);
}

void AnySet::merge(const AnySet& other) {
  if (state_.index() != other.state_.index()) broken_invariant("merge of two different set kinds");
  std::visit(
      [&other](auto& state) {
        using State = std::decay_t<decltype(state)>;
        state.merge(std::get<State>(other.state_));
      },
      state_);
}

bool AnySet::contains(const Item& item) const {
  return std::visit([&item](const auto& state) { return state.contains(item); }, state_);
}

std::set<Item> AnySet::items() const {
  return std::visit([](const auto& state) { return std::set<Item>(state.items()); }, state_);
}

std::string AnySet::to_string() const {
  return std::visit([](const auto& state) { return state.to_string(); }, state_);
}

}  // namespace consim::crdt
