// siblings-kept: no sibling is dropped without a merge. For runs that
// resolve conflicts with version vectors or the mv-register (apply lines
// with "vv", docs/trace-format.md), every acknowledged write's value must,
// at the end of the run, either still be a value or sibling of some replica
// (live or crashed), or be covered by another write of the key: a write
// whose version vector dominates the acknowledged one's (a client merged it
// after reading it, or wrote causally after it). A value that vanishes from
// every replica without such a write is a violation naming the write, the
// replica it last left and that apply line.
//
// Worked example: x=1 is acknowledged with vv {n1:1} and x=2 with {n2:1},
// concurrently: a replica holds the siblings [1, 2]. A client reads both
// (context {n1:1, n2:1}) and writes x=3, acknowledged with {n1:2, n2:1}:
// 1 and 2 may then leave every replica, as 3's vector dominates both. Had a
// replica's merge replaced [1, 2] by [2] alone, with 1 held nowhere at the
// end, no write would dominate {n1:1} ({n2:1} does not): a violation, "the
// write of 1 ... left n2 at line L".
//
// A version's vector is the one on its write's ok line, or on an apply line
// where it is the only value (VersionFacts). Verdicts: invalid with a
// violation per dropped write; unknown when a vanished write could only have
// been covered by a write whose vector the trace never shows (an
// unacknowledged write that was never alone on a replica); else valid. Under
// lww (and every model with one value per key) nothing carries "vv": the
// check does not apply and says so. Overwriting concurrent writes is lww's
// documented behaviour; the report's "conflicts" (overwritten by lww) and
// "lost_writes" sections count those writes, and no-lost-writes judges them.
// A history without apply lines has nothing to judge: valid, with a note.
#pragma once

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

CheckResult check_siblings_kept(const History& history);

}  // namespace consim
