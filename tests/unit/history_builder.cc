// The compact history notation of history_builder.h.
#include "tests/unit/history_builder.h"

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace consim::testing {
namespace {

[[noreturn]] void bad_line(const std::string& line, const std::string& why) {
  throw std::invalid_argument("history line \"" + line + "\": " + why);
}

std::uint32_t intern(std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return static_cast<std::uint32_t>(it - names.begin());
  names.push_back(name);
  return static_cast<std::uint32_t>(names.size() - 1);
}

// Applies "@a-b" to op; returns false if the token is not a time range.
bool parse_times(const std::string& token, Operation& op) {
  if (token.empty() || token[0] != '@') return false;
  auto dash = token.find('-', 1);
  if (dash == std::string::npos) return false;
  op.invoke_time = std::stoll(token.substr(1, dash - 1));
  op.complete_time = std::stoll(token.substr(dash + 1));
  return true;
}

Operation parse_line(const std::string& line, History& h, std::uint64_t ordinal) {
  std::istringstream in(line);
  std::vector<std::string> tokens;
  for (std::string t; in >> t;) tokens.push_back(t);
  Operation op;
  op.invoke_line = op.complete_line = ordinal;
  op.invoke_time = static_cast<Time>(10 * ordinal);
  op.complete_time = op.invoke_time + 5;
  if (!tokens.empty() && parse_times(tokens.back(), op)) tokens.pop_back();
  if (tokens.size() < 3 || tokens[0].size() < 2 || tokens[0][0] != 'p')
    bad_line(line, "expected 'pN f key [value]'");
  op.process = std::stoll(tokens[0].substr(1));
  const std::string& f = tokens[1];
  if (f.empty() || (f[0] != 'r' && f[0] != 'w')) bad_line(line, "f must start with r or w");
  op.f = f[0] == 'r' ? HistOp::Read : HistOp::Write;
  op.outcome = f.size() == 1 ? Outcome::Ok : f[1] == '?' ? Outcome::Info : Outcome::Fail;
  op.key = intern(h.key_names, tokens[2]);
  if (tokens.size() > 3 && tokens[3] != "-") op.value = std::stoll(tokens[3]);
  if (op.f == HistOp::Write && !op.value) bad_line(line, "a write needs a value");
  if (op.outcome == Outcome::Info) op.complete_time = kTimeMax;
  return op;
}

}  // namespace

History build_history(std::string_view text) {
  History h;
  h.file = "test-history";
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    Operation op = parse_line(line.substr(first), h, h.ops.size() + 1);
    if (!h.ops.empty() && op.invoke_time < h.ops.back().invoke_time) {
      bad_line(line, "operations must be listed in invoke order");
    }
    h.ops.push_back(op);
  }
  return h;
}

}  // namespace consim::testing
