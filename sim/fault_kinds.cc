// The registry of fault kinds: one line per kind, each kind in its own
// header under sim/fault_kinds/. Adding a kind is one header and one line
// here (and its docs); tests iterate fault_kinds().
#include <charconv>

#include "sim/fault_kind.h"
#include "sim/fault_kinds/clock.h"
#include "sim/fault_kinds/crash.h"
#include "sim/fault_kinds/duplicate.h"
#include "sim/fault_kinds/loss.h"
#include "sim/fault_kinds/partition.h"
#include "sim/fault_kinds/pause.h"
#include "sim/trace_writer.h"

namespace consim {

const std::vector<const FaultKindEntry*>& fault_kinds() {
  // clang-format off
  static const std::vector<const FaultKindEntry*> table = {
      &kinds::kPartition,
      &kinds::kCrash,
      &kinds::kPause,
      &kinds::kClock,
      &kinds::kLoss,
      &kinds::kDuplicate,
  };
  // clang-format on
  return table;
}

const FaultKindEntry* find_fault_kind(std::string_view name) {
  for (const FaultKindEntry* k : fault_kinds())
    if (name == k->name) return k;
  return nullptr;
}

std::vector<std::string> fault_kind_names() {
  std::vector<std::string> names;
  for (const FaultKindEntry* k : fault_kinds()) names.emplace_back(k->name);
  return names;
}

std::vector<std::string> nemesis_kind_names() {
  std::vector<std::string> names;
  for (const FaultKindEntry* k : fault_kinds())
    if (k->draw) names.emplace_back(k->name);
  return names;
}

void FaultLine::add_raw(std::string_view key, std::string_view json) {
  fields += ",\"";
  fields += key;
  fields += "\":";
  fields += json;
}

void FaultLine::add_string(std::string_view key, std::string_view value) {
  add_raw(key, json_quote(value));
}

void FaultLine::add_int(std::string_view key, std::int64_t value) {
  add_raw(key, std::to_string(value));
}

void FaultLine::add_double(std::string_view key, double value) {
  char num[40];
  auto r = std::to_chars(num, num + sizeof num, value);
  add_raw(key, std::string_view(num, static_cast<std::size_t>(r.ptr - num)));
}

namespace kinds {

std::string groups_json(const std::vector<std::vector<std::string>>& groups) {
  std::string s = "[";
  for (std::size_t i = 0; i < groups.size(); ++i) {
    s += i ? ",[" : "[";
    for (std::size_t j = 0; j < groups[i].size(); ++j)
      s += (j ? "," : "") + json_quote(groups[i][j]);
    s += "]";
  }
  return s + "]";
}

std::string sides_json(const std::vector<std::vector<FaultNode>>& sides,
                       const std::vector<std::string>& names) {
  std::vector<std::vector<std::string>> groups;
  for (const auto& side : sides) {
    groups.emplace_back();
    for (FaultNode n : side) groups.back().push_back(names.at(n));
  }
  return groups_json(groups);
}

}  // namespace kinds
}  // namespace consim
