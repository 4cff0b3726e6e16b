// The counter kinds table and AnyCounter; see any_counter.h.
#include "models/crdt/any_counter.h"

#include <array>

namespace consim::crdt {
namespace {

// Table order = CounterKind order = AnyCounter's variant order.
constexpr std::array<CounterKindInfo, 2> kCounterKinds{{
    {CounterKind::G, "g-counter", "grow-only: per-replica counts joined by maximum", false},
    {CounterKind::PN, "pn-counter",
     "increments and decrements as two g-counters: no increment is lost", true},
}};

}  // namespace

std::span<const CounterKindInfo> counter_kinds() { return kCounterKinds; }

const CounterKindInfo& counter_kind_info(CounterKind kind) {
  return kCounterKinds.at(static_cast<std::size_t>(kind));
}

std::optional<CounterKind> find_counter_kind(std::string_view name) {
  for (const auto& info : kCounterKinds) {
    if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

AnyCounter::AnyCounter(CounterKind kind) {
  if (kind == CounterKind::PN) state_ = PNCounter{};
}

void AnyCounter::apply(const CounterOp& op) {
  std::visit([&op](auto& state) { state.apply(op); }, state_);
}

void AnyCounter::merge(const AnyCounter& other) {
  if (state_.index() != other.state_.index())
    broken_invariant("merge of two different counter kinds");
  std::visit(
      [&other](auto& state) {
        using State = std::decay_t<decltype(state)>;
        state.merge(std::get<State>(other.state_));
      },
      state_);
}

std::int64_t AnyCounter::value() const {
  return std::visit([](const auto& state) { return static_cast<std::int64_t>(state.value()); },
                    state_);
}

std::string AnyCounter::to_string() const {
  return std::visit([](const auto& state) { return state.to_string(); }, state_);
}

}  // namespace consim::crdt
