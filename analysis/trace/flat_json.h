// A fast scanner for the flat JSON objects that make up trace lines.
//
// scan_flat_object() walks one line that must hold exactly one JSON object
// and reports each member to a callback as (key, FlatValue). Strings,
// numbers, null and booleans are decoded; a nested array or object is
// validated and handed over as its raw text (FlatValue::raw), which
// string_rows() can read when it is an array of arrays of strings
// (a partition's "sides").
//
// Invariants: the whole line is checked against the JSON grammar (RFC 8259),
// so a line this scanner accepts is a line nlohmann::json accepts (checked
// on two million mutated lines), except that numbers beyond a double's range
// (1e600) pass here as non-integers, which no known field accepts; a string
// view passed to the callback is valid only during that call (escaped
// strings are decoded into scratch space that the next string reuses).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace consim {

enum class FlatKind : std::uint8_t { String, Number, Null, Bool, Array, Object };

struct FlatValue {
  FlatKind kind = FlatKind::Null;
  std::string_view text;  // String: decoded text. Number: the token. Array/Object: raw JSON.
  bool boolean = false;
  // Number only: whether the token is an integer (no fraction or exponent)
  // that fits the type, and its value when it does.
  bool fits_i64 = false;
  bool fits_u64 = false;
  std::int64_t i64 = 0;
  std::uint64_t u64 = 0;
};

// Why a line is not JSON, and where (0-based byte offset in the line).
struct FlatError {
  const char* what = nullptr;  // nullptr: no error
  std::size_t column = 0;
};

class FlatScanner {
 public:
  // Scans `line`; calls on_member(std::string_view key, const FlatValue&)
  // for each member in order. Returns the first syntax error, if any (the
  // callback may already have seen the members before it).
  template <typename OnMember>
  FlatError scan(std::string_view line, OnMember&& on_member);

  // Reads JSON text of the form [["a","b"],["c"]] (a partition's sides).
  // Returns false if the text has any other shape.
  bool string_rows(std::string_view raw, std::vector<std::vector<std::string>>& rows);

 private:
  bool parse_string(std::string& scratch, std::string_view& out);
  bool decode_escape(std::string& scratch);
  bool parse_number(FlatValue& v);
  bool parse_value(FlatValue& v);
  bool skip_nested(int depth);
  bool skip_string();
  bool literal(std::string_view word);
  // Inlined everywhere (the scanner's hottest call): a trace line has no
  // whitespace between tokens, so the first test usually decides.
  [[gnu::always_inline]] void skip_ws() {
    if (p_<end_&& static_cast<unsigned char>(*p_)> ' ') return;
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\t' || *p_ == '\n' || *p_ == '\r')) ++p_;
  }
  bool fail(const char* what) {
    if (!error_) error_ = what;
    error_at_ = p_;
    return false;
  }

  const char* begin_ = nullptr;
  const char* p_ = nullptr;
  const char* end_ = nullptr;
  const char* error_ = nullptr;
  const char* error_at_ = nullptr;
  std::string key_scratch_, value_scratch_;
};

template <typename OnMember>
FlatError FlatScanner::scan(std::string_view line, OnMember&& on_member) {
  begin_ = p_ = line.data();
  end_ = line.data() + line.size();
  error_ = nullptr;
  auto error = [&]() { return FlatError{error_, static_cast<std::size_t>(error_at_ - begin_)}; };
  skip_ws();
  if (p_ == end_ || *p_ != '{') {
    fail("expected an object starting with '{'");
    return error();
  }
  ++p_;
  skip_ws();
  bool first = true;
  FlatValue value;
  std::string_view key;
  while (true) {
    if (p_ == end_) {
      fail("unterminated object");
      return error();
    }
    if (*p_ == '}' && first) break;
    if (*p_ != '"') {
      fail("expected a quoted key");
      return error();
    }
    if (!parse_string(key_scratch_, key)) return error();
    skip_ws();
    if (p_ == end_ || *p_ != ':') {
      fail("expected ':' after a key");
      return error();
    }
    ++p_;
    skip_ws();
    if (!parse_value(value)) return error();
    on_member(key, static_cast<const FlatValue&>(value));
    skip_ws();
    if (p_ < end_ && *p_ == ',') {
      ++p_;
      skip_ws();
      first = false;
      continue;
    }
    if (p_ < end_ && *p_ == '}') break;
    fail("expected ',' or '}' after a value");
    return error();
  }
  ++p_;
  skip_ws();
  if (p_ != end_) fail("unexpected text after the object");
  return error_ ? error() : FlatError{};
}

}  // namespace consim
