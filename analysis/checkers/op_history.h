// In-memory histories of set and counter operations, the input of the cart
// and counter checkers (cart_check.h, counter_check.h). Pure data: the
// history builder (analysis/trace/history_data.cc; docs/crdts.md has the
// format) fills
// them from `invoke`/`ok`/`fail`/`info` lines whose `f` is "add",
// "remove", "incr" or "read"; tests write them by hand.
//
// Invariants: times are simulated nanoseconds, invoke <= complete; an op
// whose outcome is unknown (`info`) has complete = kNever (it may take
// effect at any later time); `line` is the invoke's 1-based trace line,
// which violations cite. Items are canonical JSON text ("\"hat\"", "3"),
// so two spellings of one JSON value are one item.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

namespace consim::ophistory {

inline constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

enum class Status { Ok, Fail, Info };

enum class SetF { Add, Remove };

struct SetOpRecord {
  SetF f = SetF::Add;
  std::string key;  // the set (one user's cart)
  std::string item;
  std::int64_t invoke = 0;
  std::int64_t complete = 0;
  Status status = Status::Ok;
  // Remove only: whether the replica that served it held the item (the
  // reply's value). A remove of an item the replica had not seen removes
  // nothing under observed-remove semantics, so it is never counted as
  // resurrected; nullopt (a history that does not say) counts as observed.
  std::optional<bool> observed;
  std::uint64_t line = 0;
};

// A read of the whole set after the run has quiesced (after the last heal
// and anti-entropy): one per replica, or one per client.
struct FinalSetRead {
  std::string key;
  std::string where;  // the node or process that read, for messages
  std::vector<std::string> items;
  std::uint64_t line = 0;
};

struct SetHistory {
  std::vector<SetOpRecord> ops;
  std::vector<FinalSetRead> final_reads;
};

enum class CounterF { Incr, Read };

struct CounterOpRecord {
  CounterF f = CounterF::Incr;
  std::string key;
  std::int64_t value = 0;  // incr: the delta (may be negative); read: what it returned
  std::int64_t invoke = 0;
  std::int64_t complete = 0;
  Status status = Status::Ok;
  bool final = false;  // read only: taken after the run quiesced
  std::uint64_t line = 0;
};

struct CounterHistory {
  std::vector<CounterOpRecord> ops;
};

}  // namespace consim::ophistory
