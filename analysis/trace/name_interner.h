// Interning of names (nodes, keys, faults, message kinds) to dense ids.
//
// Invariants: ids are given in first-seen order, so the same file gives the
// same ids on every run; the id -> name table is the caller's vector, which
// the interner only appends to. Lookups take a string_view and allocate
// nothing when the name is known.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace consim {

// Dense ids for names, in first-seen order; `names` is the id -> name
// table. Open addressing on an FNV-1a hash; slots hold ids into `names`.
class NameInterner {
 public:
  explicit NameInterner(std::vector<std::string>& names) : names_(names), slots_(64, kEmpty) {}
  std::uint32_t intern(std::string_view name) {
    std::uint64_t h = 1469598103934665603ULL;
    for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    std::size_t mask = slots_.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
      std::uint32_t id = slots_[i];
      if (id == kEmpty) break;
      if (same(names_[id], name)) return id;
    }
    auto id = static_cast<std::uint32_t>(names_.size());
    names_.emplace_back(name);
    if (names_.size() * 2 > slots_.size())
      rehash();
    else
      place(h, id);
    return id;
  }

 private:
  static constexpr std::uint32_t kEmpty = UINT32_MAX;
  // Names are short (node names, keys, items): a loop beats a call to memcmp.
  static bool same(const std::string& a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < b.size(); ++i)
      if (a[i] != b[i]) return false;
    return true;
  }
  void place(std::uint64_t h, std::uint32_t id) {
    std::size_t mask = slots_.size() - 1, i = h & mask;
    while (slots_[i] != kEmpty) i = (i + 1) & mask;
    slots_[i] = id;
  }
  void rehash() {
    slots_.assign(slots_.size() * 2, kEmpty);
    for (std::uint32_t id = 0; id < names_.size(); ++id) {
      std::uint64_t h = 1469598103934665603ULL;
      for (char c : names_[id]) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
      place(h, id);
    }
  }
  std::vector<std::string>& names_;
  std::vector<std::uint32_t> slots_;
};

}  // namespace consim
