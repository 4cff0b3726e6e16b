// The in-memory input file of the fuzz targets; see fuzz_support.h.
#include "fuzz/fuzz_support.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace consim::fuzz {

std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

const std::string& as_file(const std::uint8_t* data, std::size_t size) {
  static const int fd = memfd_create("consim-fuzz-input", 0);
  static const std::string path = "/proc/self/fd/" + std::to_string(fd);
  if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != static_cast<ssize_t>(size)) {
    std::perror("consim fuzz: cannot write the in-memory input file");
    std::abort();
  }
  return path;
}

}  // namespace consim::fuzz
