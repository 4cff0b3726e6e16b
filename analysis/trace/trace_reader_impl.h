// The trace reader's state, shared by its two source files: trace_reader.cc
// (line types, header, time order, network, faults, notes, roles) and
// trace_ops.cc (client operations and their values). Private to them.
//
// Invariants: names are interned in first-seen order (header nodes first),
// so ids are the same for the same file on every run; a `fill_*` function
// reads only the captured fields of the current line and writes only the
// event fields its line type carries (parse() has reset the others).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/trace/line_fields.h"
#include "analysis/trace/line_source.h"
#include "analysis/trace/name_interner.h"
#include "analysis/trace/trace_reader.h"

namespace consim {

struct TraceReader::Impl {
  using Field = trace_fields::Field;

  explicit Impl(const std::string& path) : lines(path), fields(path) {}

  LineSource lines;
  LineFields fields;
  bool have_time = false;
  Time last_time = 0;
  std::uint64_t last_time_line = 0;
  bool seen_event = false;
  std::uint64_t header_line = 0;  // 0: no header read yet
  std::uint64_t nemesis_lines = 0;
  std::string quoted_key;  // scratch for a string key that reads as an integer
  TraceNames names;
  NameInterner nodes{names.nodes}, keys{names.keys}, faults{names.faults}, kinds{names.kinds},
      notes{names.notes}, fault_kinds{names.fault_kinds}, actions{names.actions},
      labels{names.labels}, roles{names.roles};
  nlohmann::json header = nullptr;
  std::vector<std::vector<std::string>> rows;  // scratch for a fault's sides

  bool parse(std::string_view line, TraceEvent& event);
  void check_time(TraceEvent& e);
  bool is_nemesis() const;
  void fill_header(std::string_view line);
  void fill_network(TraceEvent& e);
  void fill_fault(TraceEvent& e);
  void fill_note(TraceEvent& e);
  void fill_role(TraceEvent& e);
  void fill_redirect(TraceEvent& e);
  std::uint32_t node_or_null(Field f);
  // trace_ops.cc
  void fill_op(TraceEvent& e);
  void fill_key(TraceEvent& e);
  void fill_f(TraceEvent& e);
  void fill_op_extras(TraceEvent& e);
  void fill_cas(TraceEvent& e);
  void fill_transfer(TraceEvent& e);
  void fill_siblings(TraceEvent& e);
  void fill_data_op(TraceEvent& e);
  void fill_items(TraceEvent& e);
  void fill_vv(TraceEvent& e);

  [[noreturn]] void fail(const std::string& message) const { fields.fail(message); }
};

}  // namespace consim
