// Canonical JSON text of set items; see json_items.h.
#include "analysis/trace/json_items.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "analysis/trace/int_arrays.h"

namespace consim {
namespace {

// A string that dump() writes as it is: printable ASCII, no quote or backslash.
bool plain(std::string_view s) {
  for (unsigned char c : s)
    if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') return false;
  return true;
}

bool dump_parsed(std::string_view raw, std::string& out) {
  nlohmann::json j = nlohmann::json::parse(raw.begin(), raw.end(), nullptr, false);
  if (j.is_discarded()) return false;
  out = j.dump();
  return true;
}

// Integers only, "[1,2,3]" with any whitespace: the simulator's set reads.
// An item's text is the integer as to_chars writes it, as dump() would.
bool integer_items(std::string_view raw, std::vector<std::string>& out) {
  return scan_int_array(raw, [&out](std::int64_t v) {
    char num[24];
    auto r = std::to_chars(num, num + sizeof num, v);
    out.emplace_back(num, r.ptr);
  });
}

}  // namespace

bool canonical_item(const FlatValue& v, std::string& out) {
  switch (v.kind) {
    case FlatKind::Number:
      if (v.fits_i64) {
        char num[24];
        auto r = std::to_chars(num, num + sizeof num, v.i64);
        out.assign(num, r.ptr);
        return true;
      }
      return dump_parsed(v.text, out);
    case FlatKind::String:
      if (plain(v.text)) {
        out.assign("\"").append(v.text).append("\"");
        return true;
      }
      out = nlohmann::json(std::string(v.text)).dump();
      return true;
    case FlatKind::Null:
      out = "null";
      return true;
    case FlatKind::Bool:
      out = v.boolean ? "true" : "false";
      return true;
    case FlatKind::Array:
    case FlatKind::Object:
      return dump_parsed(v.text, out);
  }
  return false;
}

bool canonical_items(std::string_view raw, std::vector<std::string>& out) {
  out.clear();
  if (integer_items(raw, out)) return true;
  out.clear();
  nlohmann::json j = nlohmann::json::parse(raw.begin(), raw.end(), nullptr, false);
  if (j.is_discarded() || !j.is_array()) return false;
  for (const auto& item : j) out.push_back(item.dump());
  return true;
}

}  // namespace consim
