// Writing output files whole or not at all: content goes to "<path>.tmp",
// which is renamed over <path> once complete, so a reader never sees a
// half-written report and a failed run leaves nothing behind.
#pragma once

#include <stdexcept>
#include <string>

namespace consim {

// An output could not be written (disk full, no permission, ...).
class OutputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace consim
