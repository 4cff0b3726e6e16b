// Strict JSON readers with file and JSON path in every error; see json_input.h.
#include "base/json_input.h"

#include <cmath>
#include <nlohmann/json.hpp>

namespace consim {

InputError::InputError(std::string file, std::string path, std::string message)
    : std::runtime_error(file + ": " + path + ": " + message),
      file_(std::move(file)),
      path_(std::move(path)),
      message_(std::move(message)) {}

std::string json_type_name(const nlohmann::json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null:
      return "null";
    case nlohmann::json::value_t::object:
      return "an object";
    case nlohmann::json::value_t::array:
      return "an array";
    case nlohmann::json::value_t::string:
      return "a string";
    case nlohmann::json::value_t::boolean:
      return "a boolean";
    case nlohmann::json::value_t::number_integer:
    case nlohmann::json::value_t::number_unsigned:
    case nlohmann::json::value_t::number_float:
      return "a number";
    default:
      return "an unsupported value";
  }
}

std::string json_excerpt(const nlohmann::json& v) {
  std::string s = v.dump();
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::string json_described(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  return json_type_name(v) + " " + json_excerpt(v);
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += (i + 1 == names.size()) ? " or " : ", ";
    out += names[i];
  }
  return out;
}

JsonReader::JsonReader(const nlohmann::json& value, std::string file, std::string path)
    : value_(&value), file_(std::move(file)), path_(std::move(path)) {}

void JsonReader::fail(std::string_view message) const {
  throw InputError(file_, path_, std::string(message));
}

void JsonReader::fail_at(std::string_view key, std::string_view message) const {
  throw InputError(file_, path_of(key), std::string(message));
}

void JsonReader::expect_object() const {
  if (!value_->is_object()) fail("expected an object, got " + json_type_name(*value_));
}

void JsonReader::allow_only(std::initializer_list<std::string_view> allowed) const {
  std::vector<std::string> names;
  for (auto a : allowed) names.emplace_back(a);
  allow_only(names);
}

void JsonReader::allow_only(const std::vector<std::string>& allowed) const {
  expect_object();
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    bool known = false;
    for (const auto& a : allowed) known = known || a == it.key();
    if (!known)
      fail_at(it.key(),
              "unknown key \"" + it.key() + "\"; allowed keys here: " + join_names(allowed));
  }
}

bool JsonReader::has(std::string_view key) const {
  return value_->is_object() && value_->contains(key);
}

JsonReader JsonReader::at(std::string_view key) const {
  expect_object();
  auto it = value_->find(key);
  if (it == value_->end()) fail_at(key, "missing required key \"" + std::string(key) + "\"");
  return JsonReader(*it, file_, path_of(key));
}

std::string JsonReader::as_string() const {
  if (!value_->is_string()) fail("expected a string, got " + json_type_name(*value_));
  return value_->get<std::string>();
}

double JsonReader::as_number(double min, double max) const {
  if (!value_->is_number()) fail("expected a number, got " + json_described(*value_));
  double x = value_->get<double>();
  if (!std::isfinite(x) || x < min || x > max) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%g is out of range: must be between %g and %g", x, min, max);
    fail(buf);
  }
  return x;
}

Time JsonReader::as_duration() const {
  if (!value_->is_string())
    fail("expected a duration with a unit such as \"10ms\", got " + json_described(*value_));
  auto t = parse_duration(value_->get<std::string>());
  if (!t)
    fail("\"" + value_->get<std::string>() +
         "\" is not a duration: write a non-negative number and a unit (ns, us, ms, s, min), "
         "e.g. \"10ms\"");
  return *t;
}

std::vector<JsonReader> JsonReader::as_array() const {
  if (!value_->is_array()) fail("expected an array, got " + json_type_name(*value_));
  std::vector<JsonReader> out;
  for (std::size_t i = 0; i < value_->size(); ++i) out.push_back(element(i));
  return out;
}

JsonReader JsonReader::element(std::size_t index) const {
  return JsonReader((*value_)[index], file_, path_ + "[" + std::to_string(index) + "]");
}

std::string JsonReader::string(std::string_view key) const { return at(key).as_string(); }

double JsonReader::number(std::string_view key, double min, double max) const {
  return at(key).as_number(min, max);
}

std::int64_t JsonReader::integer(std::string_view key, std::int64_t min, std::int64_t max) const {
  JsonReader r = at(key);
  if (!r.json().is_number_integer() && !r.json().is_number_unsigned())
    r.fail("expected a whole number, got " + json_described(r.json()));
  if (r.json().is_number_unsigned() && r.json().get<std::uint64_t>() > INT64_MAX)
    r.fail("number too large");
  std::int64_t x = r.json().get<std::int64_t>();
  if (x < min || x > max)
    r.fail(std::to_string(x) + " is out of range: must be between " + std::to_string(min) +
           " and " + std::to_string(max));
  return x;
}

std::uint64_t JsonReader::seed(std::string_view key) const {
  JsonReader r = at(key);
  if (r.json().is_number_unsigned()) return r.json().get<std::uint64_t>();
  if (r.json().is_number_integer() && r.json().get<std::int64_t>() >= 0)
    return static_cast<std::uint64_t>(r.json().get<std::int64_t>());
  r.fail("expected a non-negative whole number, got " + json_excerpt(r.json()));
}

bool JsonReader::boolean(std::string_view key) const {
  JsonReader r = at(key);
  if (!r.json().is_boolean()) r.fail("expected true or false, got " + json_excerpt(r.json()));
  return r.json().get<bool>();
}

Time JsonReader::duration(std::string_view key) const { return at(key).as_duration(); }

std::vector<JsonReader> JsonReader::array(std::string_view key) const { return at(key).as_array(); }

std::vector<std::string> JsonReader::strings(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& e : array(key)) out.push_back(e.as_string());
  return out;
}

}  // namespace consim
