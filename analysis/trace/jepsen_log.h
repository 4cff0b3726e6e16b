// Reading Jepsen's own text log of a single-register test (the etcd test's
// jepsen.log, which Porcupine ships as test data), one event per line:
//   INFO  jepsen.util - 3	:invoke	:cas	[0 4]
//   INFO  jepsen.util - 3	:fail	:cas	[0 4]
//   INFO  jepsen.util - 1	:info	:write	:timed-out
//   INFO  jepsen.util - :nemesis	:info	:start	nil
// After "jepsen.util" (and an optional "-"): process, type, f and value,
// separated by tabs (or, in some Jepsen versions, padded with spaces; a
// "[a b]" value stays one field); anything after the value is ignored.
//
// Mapping onto a History (docs/checkers.md, "Checking a history from
// elsewhere"): one key, named "register"; time is the line number, so real-
// time order is the log's order. :read, :write and :cas [expected new]; nil is
// "no value". :ok is ok. A :fail cas is an ok cas whose comparison failed
// (cas_failed: the register did not hold `expected`), as etcd's test means it
// and as Porcupine's etcd model reads it. A :fail read or write did not
// happen, except a :fail with value :timed-out, whose outcome is unknown
// (info). :info is unknown. Nemesis lines are skipped and counted; lines
// without "jepsen.util" (other loggers) are skipped. Any other line is an
// InputError naming the line.
#pragma once

#include <string>

#include "analysis/trace/history.h"

namespace consim {

// True if the file's first non-blank line is not JSON (a byte-order mark is
// skipped) and one of its first 1000 lines contains "jepsen.util".
bool looks_like_jepsen_log(const std::string& path);

// Reads a whole Jepsen log; throws InputError on a line it cannot read.
History load_jepsen_log(const std::string& path);

}  // namespace consim
