// The lines of a JSON Lines file, one at a time, for the trace reader.
//
// Invariants: the file is read in blocks into one buffer (1 MiB, doubled
// only for a longer line), so a line is held at most once and the file
// never whole; a returned line is a view into that buffer, valid until the
// next call. Line numbers are 1-based and count every line, blank ones
// included. A line's "\n" and a trailing "\r" are not part of it; a UTF-8
// byte-order mark before line 1 is dropped (Jepsen's files may have one);
// blank lines (only spaces and tabs) are skipped. A last line without "\n"
// is still a line.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace consim {

class LineSource {
 public:
  // Throws InputError if the file cannot be opened.
  explicit LineSource(const std::string& path);
  ~LineSource();
  LineSource(const LineSource&) = delete;
  LineSource& operator=(const LineSource&) = delete;

  // The next line that is not blank; false at end of file. Throws
  // InputError on a read error.
  bool next(std::string_view& line);
  // The number of the line last returned (0 before the first).
  std::uint64_t line_no() const { return line_no_; }
  const std::string& path() const { return path_; }

 private:
  bool next_raw(std::string_view& line);

  std::string path_;
  std::FILE* file_ = nullptr;
  std::vector<char> buffer_ = std::vector<char>(1 << 20);
  std::size_t pos_ = 0, filled_ = 0;
  bool eof_ = false;
  std::uint64_t line_no_ = 0;
};

}  // namespace consim
