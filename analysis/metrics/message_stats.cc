// Message counts per kind: see message_stats.h.
#include "analysis/metrics/message_stats.h"

#include <nlohmann/json.hpp>

#include "analysis/metrics/op_stats.h"

namespace consim {

void MessageStats::add_send(std::uint32_t kind, std::uint64_t bytes) {
  ++sent_;
  bytes_ += bytes;
  KindCount* count = &unnamed_;
  if (kind != kNone) {
    if (kind >= kinds_.size()) kinds_.resize(kind + 1);
    count = &kinds_[kind];
  }
  ++count->sent;
  count->bytes += bytes;
}

void MessageStats::merge(const MessageStats& other) {
  sent_ += other.sent_;
  bytes_ += other.bytes_;
  dropped_ += other.dropped_;
  unnamed_.sent += other.unnamed_.sent;
  unnamed_.bytes += other.unnamed_.bytes;
  if (other.kinds_.size() > kinds_.size()) kinds_.resize(other.kinds_.size());
  for (std::size_t k = 0; k < other.kinds_.size(); ++k) {
    kinds_[k].sent += other.kinds_[k].sent;
    kinds_[k].bytes += other.kinds_[k].bytes;
  }
}

nlohmann::json MessageStats::to_json(std::uint64_t completed_ops, const TraceNames& names) const {
  nlohmann::json kinds = nlohmann::json::object();
  auto add_kind = [&](const std::string& name, const KindCount& count) {
    if (count.sent == 0) return;
    kinds[name] = {{"messages", count.sent},
                   {"bytes", count.bytes},
                   {"messages_per_op", ratio_json(count.sent, completed_ops)},
                   {"bytes_per_op", ratio_json(count.bytes, completed_ops)}};
  };
  for (std::size_t k = 0; k < kinds_.size(); ++k) {
    add_kind(k < names.kinds.size() ? names.kinds[k] : "kind #" + std::to_string(k), kinds_[k]);
  }
  add_kind("(none)", unnamed_);
  return {{"messages", sent_},
          {"bytes", bytes_},
          {"dropped", dropped_},
          {"ops", completed_ops},
          {"messages_per_op", ratio_json(sent_, completed_ops)},
          {"bytes_per_op", ratio_json(bytes_, completed_ops)},
          {"kinds", kinds}};
}

}  // namespace consim
