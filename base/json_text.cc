// JSON text to a document, strictly: syntax errors name line and column, and
// a key repeated inside one object is an error at its JSON path (a plain
// parser keeps the last copy, silently dropping what the author wrote
// first). Example: {"faults": [], "seed": 1, "faults": [...]} fails with
//   file.json: $.faults: key "faults" appears twice in this object
// and a number no double holds is an error at its path, not a library
// exception: {"workload": {"rate": 1e400}} fails with
//   file.json: $.workload.rate: the number 1e400 is too large (a number must fit in a double)
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "base/json_input.h"

namespace consim {
namespace {

using Json = nlohmann::json;
using Event = Json::parse_event_t;

// Follows the parser's events to know the JSON path of every key.
class PathTracker {
 public:
  explicit PathTracker(const std::string& file) : file_(file) {}

  bool on_event(Event event, const Json& parsed) {
    switch (event) {
      case Event::object_start:
        frames_.push_back(Frame{false, 0, "", {}});
        break;
      case Event::array_start:
        frames_.push_back(Frame{true, 0, "", {}});
        break;
      case Event::key:
        on_key(parsed.get<std::string>());
        break;
      case Event::object_end:
      case Event::array_end:
        frames_.pop_back();
        finish_child();
        break;
      case Event::value:
        finish_child();
        break;
    }
    return true;
  }

  // The JSON path of the value being read (the last key or array slot).
  std::string path() const {
    std::string p = "$";
    for (const auto& f : frames_) {
      // Appended piece by piece: GCC 12 at -O3 warns (-Wrestrict, a false
      // positive) on the temporary of "." + key.
      if (f.is_array) {
        p += '[';
        p += std::to_string(f.index);
        p += ']';
      } else {
        p += '.';
        p += f.key;
      }
    }
    return p;
  }

 private:
  struct Frame {
    bool is_array;
    std::size_t index;
    std::string key;
    std::set<std::string> keys;
  };

  void on_key(const std::string& key) {
    Frame& f = frames_.back();
    f.key = key;
    if (!f.keys.insert(key).second)
      throw InputError(file_, path(), "key \"" + key + "\" appears twice in this object");
  }

  void finish_child() {
    if (!frames_.empty() && frames_.back().is_array) ++frames_.back().index;
  }

  const std::string& file_;
  std::vector<Frame> frames_;
};

// "[json.exception.parse_error.101] parse error at line 3, column 7: syntax
// error ..." becomes ("line 3, column 7", "syntax error ...").
InputError syntax_error(const std::string& file, const Json::parse_error& e) {
  std::string what = e.what();
  auto at = what.find(" at line ");
  auto colon = at == std::string::npos ? std::string::npos : what.find(": ", at);
  // The parser quotes the bytes it last read; keep the message printable
  // even when those bytes are not valid UTF-8.
  for (char& c : what)
    if (static_cast<unsigned char>(c) >= 0x80) c = '?';
  if (colon == std::string::npos) return InputError(file, "$", "invalid JSON: " + what);
  return InputError(file, what.substr(at + 4, colon - at - 4), what.substr(colon + 2));
}

// "[json.exception.out_of_range.406] number overflow parsing '1e400'": the
// only out_of_range the parser throws, for a number too large for a double.
InputError number_error(const std::string& file, const std::string& path,
                        const Json::out_of_range& e) {
  std::string what = e.what();
  auto open = what.find('\'');
  auto close = open == std::string::npos ? open : what.find('\'', open + 1);
  std::string number = close == std::string::npos ? "" : what.substr(open + 1, close - open - 1);
  if (number.size() > 40) number = number.substr(0, 37) + "...";
  return InputError(file, path,
                    "the number " + number + " is too large (a number must fit in a double)");
}

}  // namespace

nlohmann::json parse_json_text(const std::string& text, const std::string& file) {
  PathTracker tracker(file);
  try {
    return Json::parse(
        text, [&](int, Event event, Json& parsed) { return tracker.on_event(event, parsed); });
  } catch (const Json::parse_error& e) {
    throw syntax_error(file, e);
  } catch (const Json::out_of_range& e) {
    throw number_error(file, tracker.path(), e);
  }
}

}  // namespace consim
