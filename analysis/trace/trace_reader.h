// Streaming reader of trace and history files (JSON Lines).
//
// Reads one line at a time with a parser specialised for the trace's flat
// objects (fast: the analyses must reach millions of lines a second), interns
// names, and never holds the file in memory. Unknown line types become
// EventType::Other and are skipped by the analyses; a line that is not valid
// JSON, or a known line missing a required field or with a field of the wrong
// type, throws InputError naming the file, "line N" and the field.
#pragma once

#include <cstdio>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "analysis/trace/trace_event.h"

namespace consim {

class TraceReader {
 public:
  // Throws InputError if the file cannot be opened.
  explicit TraceReader(const std::string& path);
  ~TraceReader();
  TraceReader(const TraceReader&) = delete;
  TraceReader& operator=(const TraceReader&) = delete;

  // Reads the next event; false at end of file. Header lines are returned
  // as EventType::Header (and kept in header()).
  bool next(TraceEvent& event);

  const TraceNames& names() const;
  // The header object, or null JSON if the file has none (a history).
  const nlohmann::json& header() const;
  const std::string& path() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace consim
