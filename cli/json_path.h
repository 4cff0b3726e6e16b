// JSON paths as the sweep file writes them, to set scenario fields and to
// read report figures: "$" then any of
//   .name         an object member (any characters but . [ ] =)
//   [3]           an array element
//   [key=value]   the array element that is an object whose member `key`
//                 is the string `value` (or a number written so), e.g.
//                 $.staleness.phases[phase=during partition].stale_rate
// The error messages are the sweep loader's (and name no file: the caller
// adds it).
#pragma once

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace consim::cli {

struct PathStep {
  enum class Kind { Member, Index, Match } kind = Kind::Member;
  std::string name;       // Member: the key; Match: the member compared
  std::size_t index = 0;  // Index
  std::string value;      // Match: the value it must have
};

struct JsonPath {
  std::string text;
  std::vector<PathStep> steps;
};

// Parses `text`; throws std::invalid_argument with the reason when it is not
// a path in the grammar above.
JsonPath parse_json_path(const std::string& text);

// The value at `path` in `doc`, or nullptr when there is none; `missing`
// then says which step found nothing, e.g. `no member "stale" at
// $.staleness (members: overall, phases, replicas)`.
const nlohmann::json* find_at(const nlohmann::json& doc, const JsonPath& path,
                              std::string& missing);

// Sets the value at `path`: every step but the last must exist; the last
// may name a new member of an object (the scenario loader then checks it)
// but not an element past an array's end. Returns false with `missing` set
// as find_at does.
bool set_at(nlohmann::json& doc, const JsonPath& path, const nlohmann::json& value,
            std::string& missing);

}  // namespace consim::cli
