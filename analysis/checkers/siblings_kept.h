// siblings-kept: no sibling is dropped without a merge. For runs that
// resolve conflicts with version vectors or the mv-register (apply lines
// with "vv", docs/trace-format.md), every acknowledged write's value must,
// at the end of the run, either still be a value or sibling of some replica
// (live or crashed), or be covered: another write of the key follows it in
// the key's causal order (causal_order.h over the key's operations: session
// order and reads-from, a read of several siblings reading from each;
// writes whose outcome is unknown take part): its writer's process had read
// it, or a value of the key written after it, or had written it. Per key,
// because a client's context is per key: a dependency through another key
// does not let a write supersede this key's siblings. A value that vanishes from every replica
// without such a write is a violation naming the write, its vector, and
// the replica and apply line it last left.
//
// Why the causal order and not the vectors the trace carries: the models'
// vectors are compact (a count per node, counters over all keys), so a
// context can claim a dot its client never saw (docs/models.md, "Known
// defect: compact contexts"); the history shows what each process read.
//
// Worked example: x=1 (p0) and x=2 (p1) are concurrent: a replica holds
// the siblings [1, 2]. p2 reads both and writes x=3: 1 and 2 may leave
// every replica, 3 follows both. Had a replica's merge kept 2 alone, with 1
// held nowhere at the end and no write after a read of it, 1 is a
// violation: "the write of 1 ... it last left n2 at line L".
//
// Verdicts: invalid with a violation per dropped write; else valid, the
// note counting the writes kept and covered. Under lww (and every model
// with one value per key) nothing carries "vv": the check does not apply
// and says so. Overwriting concurrent writes is lww's documented
// behaviour; the report's "conflicts" (overwritten by lww) and
// "lost_writes" sections count those writes, and no-lost-writes judges
// them. A history without apply lines has nothing to judge: valid, with a
// note.
#pragma once

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

CheckResult check_siblings_kept(const History& history);

}  // namespace consim
