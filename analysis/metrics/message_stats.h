// Messages and bytes per operation.
//
// Counts `send` lines (a duplicate copy is not a new send) and their bytes,
// per message kind, and `drop` lines. Per-operation figures divide by the
// operations completed (ok + fail + info) in the same scope: a phase's sends
// (by send time) over the operations invoked in it. Worked example: 3
// operations and 12 sends of 100 bytes in a phase give 4 messages and 400
// bytes per operation.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <vector>

#include "analysis/trace/trace_event.h"

namespace consim {

class MessageStats {
 public:
  void add_send(std::uint32_t kind, std::uint64_t bytes);
  void add_drop() { ++dropped_; }
  void merge(const MessageStats& other);
  std::uint64_t sent() const { return sent_; }
  std::uint64_t bytes() const { return bytes_; }

  // {"messages","bytes","dropped","ops","messages_per_op","bytes_per_op",
  //  "kinds":{name:{"messages","bytes","messages_per_op","bytes_per_op"}}}
  nlohmann::json to_json(std::uint64_t completed_ops, const TraceNames& names) const;

 private:
  struct KindCount {
    std::uint64_t sent = 0, bytes = 0;
  };
  std::uint64_t sent_ = 0, bytes_ = 0, dropped_ = 0;
  std::vector<KindCount> kinds_;  // by kind id
  KindCount unnamed_;             // sends without a kind
};

}  // namespace consim
