// Test helper: writes JSON Lines text to a file under the system temp
// directory and returns its path, so reader and loader tests can state their
// input inline. The name must be unique per test case.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace consim::testing {

inline std::string write_jsonl(const std::string& name, const std::string& text) {
  auto dir = std::filesystem::temp_directory_path() / "consim-unit-tests";
  std::filesystem::create_directories(dir);
  auto path = (dir / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  // Inline test text starts with a newline after R"( ; drop it so line 1 is
  // the first JSON line.
  out << (text.size() > 0 && text[0] == '\n' ? text.substr(1) : text);
  return path;
}

}  // namespace consim::testing
