// The counter types of models/crdt/ by name, and one value type holding
// either, as any_set.h does for sets. counter_kinds() is the one table.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "models/crdt/crdt_ops.h"
#include "models/crdt/g_counter.h"
#include "models/crdt/pn_counter.h"

namespace consim::crdt {

enum class CounterKind { G, PN };

struct CounterKindInfo {
  CounterKind kind;
  std::string_view name;  // "g-counter", "pn-counter"
  std::string_view description;
  bool decrements;  // whether a negative delta is allowed
};

std::span<const CounterKindInfo> counter_kinds();
const CounterKindInfo& counter_kind_info(CounterKind kind);
std::optional<CounterKind> find_counter_kind(std::string_view name);

class AnyCounter {
 public:
  explicit AnyCounter(CounterKind kind);
  CounterKind kind() const { return static_cast<CounterKind>(state_.index()); }
  // A negative delta on a G-counter aborts: check counter_kind_info().decrements.
  void apply(const CounterOp& op);
  void merge(const AnyCounter& other);
  std::int64_t value() const;
  std::string to_string() const;
  bool operator==(const AnyCounter&) const = default;

 private:
  std::variant<GCounter, PNCounter> state_;
};

}  // namespace consim::crdt
