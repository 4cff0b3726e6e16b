// Strict reading of JSON input (scenario files, model parameters).
//
// Every value is read through a JsonReader that knows the file and the JSON
// path it stands at, so every error names both: for example
//   scenarios/demo.json: $.network.links[2].latency.mean: expected a
//   duration with a unit such as "10ms", got 10
// Invariants: unknown keys are rejected with the list of allowed ones
// (allow_only); a missing required key is an error, never a silent default;
// defaults exist only where a reader is called with one, and the docs list it.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "base/time.h"

namespace consim {

// Bad input: caught only in main, printed as "<file>: <path>: <message>".
class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::string path, std::string message);
  const std::string& file() const { return file_; }
  const std::string& path() const { return path_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_, path_, message_;
};

class JsonReader {
 public:
  JsonReader(const nlohmann::json& value, std::string file, std::string path = "$");

  const nlohmann::json& json() const { return *value_; }
  const std::string& path() const { return path_; }
  const std::string& file() const { return file_; }
  std::string path_of(std::string_view key) const { return path_ + "." + std::string(key); }

  // This value must be an object whose keys are all among `allowed`.
  void expect_object() const;
  void allow_only(std::initializer_list<std::string_view> allowed) const;
  void allow_only(const std::vector<std::string>& allowed) const;
  bool has(std::string_view key) const;

  // Required members. Each checks type and range and names the path on error.
  JsonReader at(std::string_view key) const;
  std::string string(std::string_view key) const;
  double number(std::string_view key, double min, double max) const;
  std::int64_t integer(std::string_view key, std::int64_t min, std::int64_t max) const;
  std::uint64_t seed(std::string_view key) const;  // any non-negative 64-bit integer
  bool boolean(std::string_view key) const;
  Time duration(std::string_view key) const;
  double probability(std::string_view key) const { return number(key, 0.0, 1.0); }
  std::vector<JsonReader> array(std::string_view key) const;
  std::vector<std::string> strings(std::string_view key) const;

  // This value itself, read as the named type.
  std::string as_string() const;
  double as_number(double min, double max) const;
  Time as_duration() const;
  std::vector<JsonReader> as_array() const;

  // One element or member by index/key, for walking arrays.
  JsonReader element(std::size_t index) const;

  [[noreturn]] void fail(std::string_view message) const;
  [[noreturn]] void fail_at(std::string_view key, std::string_view message) const;

 private:
  const nlohmann::json* value_;
  std::string file_;
  std::string path_;
};

// "a string", "a number", ... for messages.
std::string json_type_name(const nlohmann::json& value);
// A short rendering of a value for messages, cut to 40 characters.
std::string json_excerpt(const nlohmann::json& value);
// Type and excerpt for "got ..." in messages: "a number 1.5", "null".
std::string json_described(const nlohmann::json& value);
// "a, b or c": for listing allowed names.
std::string join_names(const std::vector<std::string>& names);

// Parses JSON text strictly: a syntax error names the line and column, and a
// key repeated in one object (which plain JSON parsers silently collapse) is
// an error at its JSON path.
nlohmann::json parse_json_text(const std::string& text, const std::string& file);

}  // namespace consim
