// The flat JSON scanner of trace lines; see flat_json.h for the contract.
#include "analysis/trace/flat_json.h"

#include <bit>
#include <cstring>

namespace consim {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Length of the well-formed UTF-8 sequence at p (0 if malformed).
std::size_t utf8_length(const unsigned char* p, const unsigned char* end) {
  unsigned char c = p[0];
  std::size_t n;
  std::uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2, min = 0x80;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3, min = 0x800;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4, min = 0x10000;
  } else {
    return 0;
  }
  if (static_cast<std::size_t>(end - p) < n) return 0;
  std::uint32_t cp = c & (0x7F >> n);
  for (std::size_t i = 1; i < n; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (p[i] & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

// Skips 8 bytes at a time while none is '"', '\\', a control character or
// non-ASCII (the bytes that need a closer look), and within the word that
// has one, up to the first such byte. The tests below can flag a byte above
// a flagged one wrongly (a borrow), never one below it, so the lowest
// flagged byte is exact. Little-endian: byte k of the line is byte k of w.
const char* skip_plain(const char* p, const char* end) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    auto has_byte = [&](std::uint64_t b) {
      std::uint64_t x = w ^ (kOnes * b);
      return (x - kOnes) & ~x & kHighs;
    };
    std::uint64_t special =
        has_byte('"') | has_byte('\\') | ((w - kOnes * 0x20) & ~w & kHighs) | (w & kHighs);
    if (special) {
      if constexpr (std::endian::native == std::endian::little) p += std::countr_zero(special) / 8;
      break;
    }
    p += 8;
  }
  return p;
}

}  // namespace

// p_ stands on the opening quote. Plain strings are returned as a view of
// the line; strings with escapes are decoded into `scratch`.
bool FlatScanner::parse_string(std::string& scratch, std::string_view& out) {
  ++p_;
  const char* start = p_;  // first byte not yet copied to scratch
  bool escaped = false;
  while (true) {
    p_ = skip_plain(p_, end_);
    while (p_ < end_) {
      auto c = static_cast<unsigned char>(*p_);
      if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
      ++p_;
    }
    if (p_ == end_) return fail("unterminated string");
    auto c = static_cast<unsigned char>(*p_);
    if (c == '"') break;
    if (c < 0x20) return fail("control character in a string");
    if (c >= 0x80) {  // part of the text: only validated here
      std::size_t n = utf8_length(reinterpret_cast<const unsigned char*>(p_),
                                  reinterpret_cast<const unsigned char*>(end_));
      if (n == 0) return fail("invalid UTF-8 in a string");
      p_ += n;
      continue;
    }
    // A backslash: copy the text so far, then decode the escape.
    if (escaped)
      scratch.append(start, p_);
    else
      scratch.assign(start, p_);
    escaped = true;
    if (!decode_escape(scratch)) return false;
    start = p_;
  }
  if (escaped) {
    scratch.append(start, p_);
    out = scratch;
  } else {
    out = std::string_view(start, static_cast<std::size_t>(p_ - start));
  }
  ++p_;
  return true;
}

// p_ stands on a backslash; appends the character it stands for.
bool FlatScanner::decode_escape(std::string& scratch) {
  if (end_ - p_ < 2) return fail("unterminated escape");
  char e = p_[1];
  p_ += 2;
  constexpr std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
  if (auto i = kFrom.find(e); i != std::string_view::npos && e != 0) {
    scratch += kTo[i];
    return true;
  }
  if (e != 'u') {
    p_ -= 1;
    return fail("bad escape in a string");
  }
  auto read4 = [&](std::uint32_t& cp) {
    if (end_ - p_ < 4) return false;
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      int d = hex_digit(p_[i]);
      if (d < 0) return false;
      cp = cp * 16 + static_cast<std::uint32_t>(d);
    }
    p_ += 4;
    return true;
  };
  std::uint32_t cp;
  if (!read4(cp)) return fail("bad \\u escape");
  if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate needs its low half
    std::uint32_t low;
    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return fail("lone surrogate");
    p_ += 2;
    if (!read4(low) || low < 0xDC00 || low > 0xDFFF) return fail("lone surrogate");
    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
  } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
    return fail("lone surrogate");
  }
  append_utf8(scratch, cp);
  return true;
}

bool FlatScanner::parse_number(FlatValue& v) {
  const char* start = p_;
  bool negative = false;
  if (*p_ == '-') {
    negative = true;
    ++p_;
  }
  if (p_ == end_ || *p_ < '0' || *p_ > '9') return fail("bad number");
  std::uint64_t magnitude = 0;
  bool overflow = false;
  if (*p_ == '0') {
    ++p_;
  } else {
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') {
      auto d = static_cast<std::uint64_t>(*p_ - '0');
      if (magnitude > (UINT64_MAX - d) / 10) overflow = true;
      magnitude = magnitude * 10 + d;
      ++p_;
    }
  }
  bool integral = true;
  if (p_ < end_ && *p_ == '.') {
    integral = false;
    ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return fail("bad number");
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
  }
  if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
    integral = false;
    ++p_;
    if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
    if (p_ == end_ || *p_ < '0' || *p_ > '9') return fail("bad number");
    while (p_ < end_ && *p_ >= '0' && *p_ <= '9') ++p_;
  }
  v.kind = FlatKind::Number;
  v.text = std::string_view(start, static_cast<std::size_t>(p_ - start));
  v.fits_u64 = integral && !overflow && (!negative || magnitude == 0);
  v.u64 = v.fits_u64 ? magnitude : 0;
  constexpr std::uint64_t kMaxI64 = static_cast<std::uint64_t>(INT64_MAX);
  v.fits_i64 = integral && !overflow && magnitude <= kMaxI64 + (negative ? 1 : 0);
  if (v.fits_i64)
    v.i64 =
        negative ? static_cast<std::int64_t>(0 - magnitude) : static_cast<std::int64_t>(magnitude);
  return true;
}

bool FlatScanner::literal(std::string_view word) {
  if (static_cast<std::size_t>(end_ - p_) < word.size() ||
      std::memcmp(p_, word.data(), word.size()) != 0)
    return fail("unknown literal (expected true, false or null)");
  p_ += word.size();
  return true;
}

bool FlatScanner::parse_value(FlatValue& v) {
  if (p_ == end_) return fail("expected a value");
  v.fits_i64 = v.fits_u64 = false;
  switch (*p_) {
    case '"':
      v.kind = FlatKind::String;
      return parse_string(value_scratch_, v.text);
    case 'n':
      v.kind = FlatKind::Null;
      return literal("null");
    case 't':
      v.kind = FlatKind::Bool, v.boolean = true;
      return literal("true");
    case 'f':
      v.kind = FlatKind::Bool, v.boolean = false;
      return literal("false");
    case '[':
    case '{': {
      const char* start = p_;
      v.kind = *p_ == '[' ? FlatKind::Array : FlatKind::Object;
      if (!skip_nested(0)) return false;
      v.text = std::string_view(start, static_cast<std::size_t>(p_ - start));
      return true;
    }
    default:
      if (*p_ == '-' || (*p_ >= '0' && *p_ <= '9')) return parse_number(v);
      return fail("expected a value");
  }
}

bool FlatScanner::skip_string() {
  std::string_view ignored;
  return parse_string(value_scratch_, ignored);
}

// Validates one nested array or object (p_ on its opening bracket).
bool FlatScanner::skip_nested(int depth) {
  if (depth > 64) return fail("nested too deeply");
  const bool object = *p_ == '{';
  const char close = object ? '}' : ']';
  ++p_;
  skip_ws();
  if (p_ < end_ && *p_ == close) {
    ++p_;
    return true;
  }
  FlatValue scalar;
  while (true) {
    if (object) {
      if (p_ == end_ || *p_ != '"') return fail("expected a quoted key");
      if (!skip_string()) return false;
      skip_ws();
      if (p_ == end_ || *p_ != ':') return fail("expected ':' after a key");
      ++p_;
      skip_ws();
    }
    if (p_ < end_ && (*p_ == '[' || *p_ == '{')) {
      if (!skip_nested(depth + 1)) return false;
    } else if (!parse_value(scalar)) {
      return false;
    }
    skip_ws();
    if (p_ < end_ && *p_ == ',') {
      ++p_;
      skip_ws();
      continue;
    }
    if (p_ < end_ && *p_ == close) {
      ++p_;
      return true;
    }
    return fail(object ? "expected ',' or '}'" : "expected ',' or ']'");
  }
}

bool FlatScanner::string_rows(std::string_view raw, std::vector<std::vector<std::string>>& rows) {
  begin_ = p_ = raw.data();
  end_ = raw.data() + raw.size();
  error_ = nullptr;
  rows.clear();
  // Expects [ row ( , row )* ] or [], where row is [ "s" ( , "s" )* ] or [].
  auto open = [&](char c) {
    skip_ws();
    if (p_ == end_ || *p_ != c) return false;
    ++p_;
    skip_ws();
    return true;
  };
  auto close_or_comma = [&](char close, bool& closed) {
    skip_ws();
    if (p_ < end_ && *p_ == ',') {
      ++p_;
      skip_ws();
      return true;
    }
    closed = p_ < end_ && *p_ == close;
    if (closed) ++p_;
    return closed;
  };
  if (!open('[')) return false;
  if (p_ < end_ && *p_ == ']') return true;
  for (bool rows_closed = false; !rows_closed;) {
    if (!open('[')) return false;
    rows.emplace_back();
    bool row_closed = p_ < end_ && *p_ == ']';
    if (row_closed) ++p_;
    while (!row_closed) {
      std::string_view text;
      if (p_ == end_ || *p_ != '"' || !parse_string(value_scratch_, text)) return false;
      rows.back().emplace_back(text);
      if (!close_or_comma(']', row_closed)) return false;
    }
    if (!close_or_comma(']', rows_closed)) return false;
  }
  skip_ws();
  return p_ == end_;
}

}  // namespace consim
