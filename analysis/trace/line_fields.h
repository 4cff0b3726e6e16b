// The known fields of one trace line, captured by one scan, with typed
// accessors whose errors name the file, the line and the field.
//
// Invariants: capture() validates the whole line as JSON (FlatScanner) and
// keeps, for each Field of trace_fields.h, whether the line has it and its
// value; keys that name no Field are ignored, and of a key given twice the
// last wins. A captured string is a view of the line, or of `owned` when
// the scanner decoded escapes into its scratch space, so every captured
// value stays valid until the next capture(). Accessor errors are
// InputError(path, "line N", message), e.g. `"ok" line is missing required
// field "key"` or `field "op" must be a non-negative integer, got a string
// abc`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/trace/flat_json.h"
#include "analysis/trace/trace_fields.h"

namespace consim {

class LineFields {
 public:
  using Field = trace_fields::Field;

  explicit LineFields(std::string path) : path_(std::move(path)) {}

  // Scans `line` (line number `line_no`); throws InputError if it is not
  // JSON. Sets type_name() from "type" (throws if absent or not a string).
  void capture(std::string_view line, std::uint64_t line_no);
  std::string_view type_name() const { return type_name_; }

  bool has(Field f) const { return fields_[f].present; }
  // The value, present or not (a default null when absent).
  const FlatValue& value(Field f) const { return fields_[f].value; }

  [[noreturn]] void fail(const std::string& message) const;
  [[noreturn]] void wrong_type(Field f, const char* expected) const;

  const FlatValue& need(Field f) const {
    if (!fields_[f].present) missing(f);
    return fields_[f].value;
  }
  std::int64_t need_i64(Field f) const {
    const FlatValue& v = need(f);
    if (v.kind != FlatKind::Number || !v.fits_i64) wrong_type(f, "a 64-bit integer");
    return v.i64;
  }
  std::uint64_t need_u64(Field f) const {
    const FlatValue& v = need(f);
    if (v.kind != FlatKind::Number || !v.fits_u64) wrong_type(f, "a non-negative integer");
    return v.u64;
  }
  std::string_view need_string(Field f) const {
    const FlatValue& v = need(f);
    if (v.kind != FlatKind::String) wrong_type(f, "a string");
    return v.text;
  }
  // Integer or null; the field must be present when `required`.
  std::optional<std::int64_t> int_or_null(Field f, bool required) const {
    if (!fields_[f].present && !required) return std::nullopt;
    const FlatValue& v = need(f);
    if (v.kind == FlatKind::Null) return std::nullopt;
    if (v.kind != FlatKind::Number || !v.fits_i64) wrong_type(f, "an integer or null");
    return v.i64;
  }
  // true or false, if present (`what`: the message's expected kind).
  std::optional<bool> optional_bool(Field f, const char* what) const {
    if (!fields_[f].present) return std::nullopt;
    if (fields_[f].value.kind != FlatKind::Bool) wrong_type(f, what);
    return fields_[f].value.boolean;
  }

  // The scanner, for reading nested raw text (a partition's sides).
  FlatScanner& scanner() { return scanner_; }

 private:
  struct Captured {
    bool present = false;
    FlatValue value;
    std::string owned;  // decoded text when the scanner's scratch held it
  };
  [[noreturn]] void missing(Field f) const;

  std::string path_;
  std::uint64_t line_no_ = 0;
  FlatScanner scanner_;
  Captured fields_[trace_fields::kFieldCount];
  std::string_view type_name_;
};

}  // namespace consim
