// Jepsen's text log of a register test to a History; see jepsen_log.h.
#include "analysis/trace/jepsen_log.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <vector>

#include "analysis/trace/history_loader.h"
#include "base/json_input.h"

namespace consim {
namespace {

std::string_view strip_bom(std::string_view line) {
  if (line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
  return line;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split_tabs(std::string_view s) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t tab = s.find('\t');
    out.push_back(trim(s.substr(0, tab)));
    if (tab == std::string_view::npos) return out;
    s.remove_prefix(tab + 1);
  }
}

// Jepsen's log pads columns with spaces in some versions (Porcupine's
// etcd_100..102): "3   :invoke :cas    [0 4]". Without a tab, the fields are
// runs of non-blanks, except a value that opens with '[' runs to its ']'.
std::vector<std::string_view> split_blanks(std::string_view s) {
  std::vector<std::string_view> out;
  auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (out.size() < 4) {
    while (!s.empty() && blank(s.front())) s.remove_prefix(1);
    if (s.empty()) break;
    std::size_t end = 0;
    if (out.size() == 3 && s.front() == '[') {
      end = s.find(']');
      end = end == std::string_view::npos ? s.size() : end + 1;
    } else {
      while (end < s.size() && !blank(s[end])) ++end;
    }
    out.push_back(s.substr(0, end));
    s.remove_prefix(end);
  }
  return out;
}

bool parse_int(std::string_view s, std::int64_t& out) {
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size() && !s.empty();
}

class LogReader {
 public:
  explicit LogReader(const std::string& path) : path_(path), builder_(path) {
    names_.keys = {"register"};
  }

  void line(std::uint64_t number, std::string_view text) {
    line_ = number;
    std::size_t at = text.find("jepsen.util");
    if (at == std::string_view::npos) return;  // another logger's line
    text = trim(text.substr(at + std::strlen("jepsen.util")));
    if (!text.empty() && text[0] == '-') text = trim(text.substr(1));
    std::vector<std::string_view> f =
        text.find('\t') != std::string_view::npos ? split_tabs(text) : split_blanks(text);
    if (f.size() < 4) fail("expected process, type, f and value separated by tabs or spaces");
    if (f[0] == ":nemesis" || f[0] == "nemesis") {
      ++nemesis_;
      return;
    }
    TraceEvent e;
    e.line = number;
    e.time = static_cast<Time>(number);
    e.key = 0;
    if (!parse_int(f[0], e.process))
      fail("process must be an integer or :nemesis, got \"" + std::string(f[0]) + "\"");
    e.type = type_of(f[1]);
    e.f = op_of(f[2]);
    value(e, f[3]);
    builder_.add(e, names_);
  }

  History finish() {
    History h = builder_.finish(names_);
    h.nemesis_lines = nemesis_;
    return h;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const {
    throw InputError(path_, "line " + std::to_string(line_), message);
  }

  EventType type_of(std::string_view t) const {
    if (t == ":invoke") return EventType::Invoke;
    if (t == ":ok") return EventType::Ok;
    if (t == ":fail") return EventType::Fail;
    if (t == ":info") return EventType::Info;
    fail("type must be :invoke, :ok, :fail or :info, got \"" + std::string(t) + "\"");
  }

  HistOp op_of(std::string_view f) const {
    if (f == ":read") return HistOp::Read;
    if (f == ":write") return HistOp::Write;
    if (f == ":cas") return HistOp::Cas;
    fail("f must be :read, :write or :cas, got \"" + std::string(f) + "\"");
  }

  // Fills the value and applies the mapping of outcomes (see the header).
  void value(TraceEvent& e, std::string_view v) const {
    if (v == ":timed-out" || v == ":timeout") {
      if (e.type == EventType::Invoke) fail("an invoke cannot time out");
      e.type = EventType::Info;  // a timed-out :fail is unknown, like :info
      return;
    }
    if (e.type == EventType::Info) return;  // the value an :info repeats adds nothing
    if (e.f == HistOp::Cas) {
      std::int64_t pair[2];
      std::size_t space = v.find(' ');
      if (v.size() < 5 || v.front() != '[' || v.back() != ']' || space == std::string_view::npos ||
          !parse_int(v.substr(1, space - 1), pair[0]) ||
          !parse_int(trim(v.substr(space + 1, v.size() - space - 2)), pair[1]))
        fail("a cas value must be [expected new], got \"" + std::string(v) + "\"");
      e.expected = pair[0];
      e.value = pair[1];
      if (e.type == EventType::Fail) {  // the comparison failed: ok, nothing written
        e.type = EventType::Ok;
        e.cas_failed = true;
      }
      return;
    }
    if (v == "nil") {
      if (e.f == HistOp::Write && e.type == EventType::Invoke) fail("a write of nil");
      return;
    }
    std::int64_t n = 0;
    if (!parse_int(v, n)) fail("value must be an integer or nil, got \"" + std::string(v) + "\"");
    e.value = n;
  }

  std::string path_;
  HistoryBuilder builder_;
  TraceNames names_;
  std::uint64_t line_ = 0, nemesis_ = 0;
};

}  // namespace

bool looks_like_jepsen_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  bool first = true;
  // A JSON file starts with '{'; a Jepsen log may open with other loggers'
  // lines, so look for a jepsen.util line among the first 1000.
  for (int n = 0; n < 1000 && std::getline(in, line); ++n) {
    std::string_view text = trim(first ? strip_bom(line) : std::string_view(line));
    if (text.empty()) continue;
    if (first && text[0] == '{') return false;
    first = false;
    if (text.find("jepsen.util") != std::string_view::npos) return true;
  }
  return false;
}

History load_jepsen_log(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "$", "cannot open: " + std::string(std::strerror(errno)));
  LogReader reader(path);
  std::string line;
  for (std::uint64_t number = 1; std::getline(in, line); ++number)
    reader.line(number, number == 1 ? strip_bom(line) : std::string_view(line));
  return reader.finish();
}

}  // namespace consim
