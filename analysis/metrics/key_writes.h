// Per key, the writes in acknowledgement order, with bounded memory.
//
// Each key keeps its last `window` acknowledged writes (value, ack time,
// invoke line, ok line) in a ring, the values of its writes still outstanding, and
// the values of its last kUnackedKept writes that ended fail or info. Write
// number i of a key (0-based, in the order of their `ok` lines) is "ack index
// i"; only indices in [oldest_kept(), acked()) are still held. Memory is
// O(keys * window), whatever the trace length.
//
// lookup() says where a value read or applied comes from: an acknowledged
// write still in the window (with its index), a write not acknowledged (yet
// or ever), null, or none of these. A value found nowhere while older writes
// were dropped from the window is reported as OlderThanWindow: it is most
// likely an acknowledged write that old (values are unique per write), but
// could also be an old unacknowledged write. Worked example, window 2:
// writes 1, 2, 3 acknowledged in that order keep 2 (index 1) and 3 (index 2);
// lookup(3) = Acked index 2, lookup(1) = OlderThanWindow.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/time.h"

namespace consim {

struct AckedWrite {
  std::int64_t value = 0;
  Time ack_time = 0;
  std::uint64_t invoke_line = 0;
  std::uint64_t ack_line = 0;  // the line of its `ok`
};

enum class ValueSource : std::uint8_t {
  Null,             // the key had no value
  Acked,            // an acknowledged write in the window; see index
  Unacked,          // a write outstanding, or one that ended fail or info
  OlderThanWindow,  // not found, and older writes have left the window
  Unknown,          // not found, nothing has left the window: never written
};

struct ValueLookup {
  ValueSource source = ValueSource::Unknown;
  std::uint64_t index = 0;  // ack index, when source == Acked
};

class KeyWrites {
 public:
  static constexpr std::size_t kUnackedKept = 64;

  void invoke_write(std::int64_t value) { pending_.push_back(value); }
  // The write of `value` completed; returns its ack index when ok.
  std::uint64_t acknowledge(std::int64_t value, Time time, std::uint64_t invoke_line,
                            std::uint64_t ack_line, std::size_t window);
  void not_acknowledged(std::int64_t value);                       // fail, info or never completed
  void wrote_nothing(std::int64_t value) { drop_pending(value); }  // a failed cas

  ValueLookup lookup(const std::optional<std::int64_t>& value) const;
  std::uint64_t acked() const { return acked_; }
  std::uint64_t oldest_kept() const { return acked_ - ring_.size(); }
  // `index` must be in [oldest_kept(), acked()).
  const AckedWrite& at(std::uint64_t index) const { return ring_[index % ring_.size()]; }
  // The ack time of write 0 (kept even after it leaves the window).
  Time first_ack_time() const { return first_ack_time_; }
  // The ok line of write oldest_kept() - 1, the newest that left the window
  // (0 while none has): every write that left was acknowledged by then.
  std::uint64_t dropped_ack_line() const { return dropped_ack_line_; }

 private:
  void drop_pending(std::int64_t value);

  std::vector<AckedWrite> ring_;  // write i at ring_[i % size]; size <= window
  std::uint64_t acked_ = 0;
  Time first_ack_time_ = 0;
  std::uint64_t dropped_ack_line_ = 0;
  std::vector<std::int64_t> pending_;
  std::vector<std::int64_t> unacked_;  // ring of kUnackedKept
  std::size_t unacked_next_ = 0;
};

// All keys, indexed by interned key id, grown on demand.
class WriteTable {
 public:
  explicit WriteTable(std::size_t window) : window_(window < 1 ? 1 : window) {}
  KeyWrites& key(std::uint32_t id) {
    if (id >= keys_.size()) keys_.resize(id + 1);
    return keys_[id];
  }
  const KeyWrites* find(std::uint32_t id) const { return id < keys_.size() ? &keys_[id] : nullptr; }
  std::size_t size() const { return keys_.size(); }
  std::size_t window() const { return window_; }

 private:
  std::size_t window_;
  std::vector<KeyWrites> keys_;
};

}  // namespace consim
