// The lines of a JSON Lines file; see line_source.h.
#include "analysis/trace/line_source.h"

#include <cerrno>
#include <cstring>

#include "base/json_input.h"

namespace consim {

LineSource::LineSource(const std::string& path) : path_(path) {
  file_ = std::fopen(path.c_str(), "rb");
  if (file_ == nullptr)
    throw InputError(path, "$", "cannot open: " + std::string(std::strerror(errno)));
}

LineSource::~LineSource() {
  if (file_ != nullptr) std::fclose(file_);
}

bool LineSource::next(std::string_view& line) {
  while (next_raw(line)) {
    ++line_no_;
    if (line_no_ == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    bool blank = line.find_first_not_of(" \t") == std::string_view::npos;
    if (!blank) return true;  // a blank line is no event; it still counts as a line
  }
  return false;
}

// The next line as it stands in the file, without its "\n".
bool LineSource::next_raw(std::string_view& line) {
  while (true) {
    const char* start = buffer_.data() + pos_;
    auto* nl = static_cast<const char*>(std::memchr(start, '\n', filled_ - pos_));
    if (nl != nullptr) {
      line = std::string_view(start, static_cast<std::size_t>(nl - start));
      pos_ += line.size() + 1;
      return true;
    }
    if (eof_) {
      if (pos_ == filled_) return false;
      line = std::string_view(start, filled_ - pos_);
      pos_ = filled_;
      return true;
    }
    // Keep the partial line, make room, read more.
    std::memmove(buffer_.data(), start, filled_ - pos_);
    filled_ -= pos_;
    pos_ = 0;
    if (filled_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    std::size_t got = std::fread(buffer_.data() + filled_, 1, buffer_.size() - filled_, file_);
    if (got == 0) {
      if (std::ferror(file_))
        throw InputError(path_, "line " + std::to_string(line_no_ + 1),
                         "read error: " + std::string(std::strerror(errno)));
      eof_ = true;
    }
    filled_ += got;
  }
}

}  // namespace consim
