// Two safety checks for leader-based models (primary-backup, raft), run on
// what a History carries besides its operations: role lines and the run's
// lost acknowledged writes.
//
// one-leader-per-term: at most one node announces itself "leader" or
// "primary" in any one term (Raft's election safety; for primary-backup the
// term is the epoch). Worked example: n1 announces leader in term 3 at line
// 40 and n2 announces leader in term 3 at line 88: one violation, ops
// [40, 88], reason "term 3 has 2 leaders: n1 (line 40), n2 (line 88)". n1
// announcing leader in terms 3 and 4 is fine, and so is n1 announcing it
// twice in term 3. A history without role lines has nothing to violate:
// valid.
//
// no-lost-writes: no acknowledged write is lost at the end of the run, as
// the report's "lost_writes" counts it (analysis/metrics/lost_writes.h): a
// write held only by crashed replicas is in doubt, not lost, and passes
// (the note counts it). Invalid when writes are lost and the figure is final
// (no fault active at the end, replicas converged); unknown when they are
// missing but the figure is not final. A history without replica state (no
// apply lines: a history from elsewhere or an "ops" trace) has nothing to
// judge, like a model without role lines: valid, and the note says why.
#pragma once

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

CheckResult check_one_leader_per_term(const History& history);
CheckResult check_no_lost_writes(const History& history);

}  // namespace consim
