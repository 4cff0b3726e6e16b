// Acknowledged-write windows: see key_writes.h.
#include "analysis/metrics/key_writes.h"

#include <algorithm>

namespace consim {

void KeyWrites::drop_pending(std::int64_t value) {
  auto it = std::find(pending_.begin(), pending_.end(), value);
  if (it == pending_.end()) return;
  *it = pending_.back();
  pending_.pop_back();
}

std::uint64_t KeyWrites::acknowledge(std::int64_t value, Time time, std::uint64_t invoke_line,
                                     std::uint64_t ack_line, std::size_t window) {
  drop_pending(value);
  if (acked_ == 0) first_ack_time_ = time;
  const AckedWrite write{value, time, invoke_line, ack_line};
  if (ring_.size() < window) {
    // Growing: write i sits at i because nothing has been overwritten yet
    // (the ring only grows while acked_ < window).
    ring_.push_back(write);
  } else {
    dropped_ack_line_ = ring_[acked_ % ring_.size()].ack_line;
    ring_[acked_ % ring_.size()] = write;
  }
  return acked_++;
}

void KeyWrites::not_acknowledged(std::int64_t value) {
  drop_pending(value);
  if (unacked_.size() < kUnackedKept) {
    unacked_.push_back(value);
  } else {
    unacked_[unacked_next_] = value;
    unacked_next_ = (unacked_next_ + 1) % kUnackedKept;
  }
}

ValueLookup KeyWrites::lookup(const std::optional<std::int64_t>& value) const {
  if (!value) return {ValueSource::Null, 0};
  const std::int64_t v = *value;
  // The newest write first (the common fresh read), then outstanding writes
  // (the common concurrent read), then the rest of the window.
  if (acked_ > 0 && at(acked_ - 1).value == v) return {ValueSource::Acked, acked_ - 1};
  if (std::find(pending_.begin(), pending_.end(), v) != pending_.end()) {
    return {ValueSource::Unacked, 0};
  }
  for (std::uint64_t i = acked_ - 1; acked_ > 1 && i > oldest_kept();) {
    --i;
    if (at(i).value == v) return {ValueSource::Acked, i};
  }
  if (std::find(unacked_.begin(), unacked_.end(), v) != unacked_.end()) {
    return {ValueSource::Unacked, 0};
  }
  return {oldest_kept() > 0 ? ValueSource::OlderThanWindow : ValueSource::Unknown, 0};
}

}  // namespace consim
