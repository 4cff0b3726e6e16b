// Field capture of one trace line; see line_fields.h.
#include "analysis/trace/line_fields.h"

#include "base/json_input.h"

namespace consim {

using namespace trace_fields;

void LineFields::capture(std::string_view line, std::uint64_t line_no) {
  line_no_ = line_no;
  for (auto& f : fields_) f.present = false;
  FlatError error = scanner_.scan(line, [&](std::string_view key, const FlatValue& value) {
    int f = field_of(key);
    if (f < 0) return;
    Captured& c = fields_[f];
    c.present = true;
    // Member by member: a whole-struct copy here stalls on store forwarding.
    c.value.kind = value.kind;
    c.value.text = value.text;
    c.value.boolean = value.boolean;
    c.value.fits_i64 = value.fits_i64;
    c.value.fits_u64 = value.fits_u64;
    c.value.i64 = value.i64;
    c.value.u64 = value.u64;
    const char* data = value.text.data();
    bool in_line = data >= line.data() && data <= line.data() + line.size();
    if (!in_line && value.kind == FlatKind::String) {
      c.owned.assign(value.text);
      c.value.text = c.owned;
    }
  });
  if (error.what != nullptr)
    fail("not JSON: " + std::string(error.what) + " at column " + std::to_string(error.column + 1));
  if (!fields_[kType].present) fail("missing \"type\"");
  if (fields_[kType].value.kind != FlatKind::String) wrong_type(kType, "a string");
  type_name_ = fields_[kType].value.text;
}

void LineFields::fail(const std::string& message) const {
  throw InputError(path_, "line " + std::to_string(line_no_), message);
}

void LineFields::missing(Field f) const {
  fail("\"" + std::string(type_name_) + "\" line is missing required field \"" + kFieldNames[f] +
       "\"");
}

void LineFields::wrong_type(Field f, const char* expected) const {
  // A null has no text of its own (the scanner's text may be a stale view).
  const FlatValue& v = fields_[f].value;
  fail("field \"" + std::string(kFieldNames[f]) + "\" must be " + expected + ", got " +
       kind_name(v.kind) + (v.kind == FlatKind::Null ? "" : " " + std::string(v.text)));
}

}  // namespace consim
