// converged: at the end of the run, every key's live replicas hold the same
// value (the report's "convergence" section, analysis/metrics/convergence.h:
// a node is a replica of a key from its first apply of it; a crashed node's
// replicas do not count). What "eventual" promises once the faults end: run
// it on a scenario whose faults all end with time to spare (consim swarm's
// default nemesis ends every fault that has an end by 0.725 of the run).
//
// Verdicts: valid when no key is divergent at the end; invalid when some key
// is and no fault is active at the end, one violation per listed key, its
// ops the apply lines that set the differing values, e.g. key 3: "replicas
// disagree at the end of the run: n1 holds 5 (line 812), n2 holds 7 (line
// 640)"; unknown when some key is divergent but a fault is active at the end
// (a partition not healed, a node still crashed): not final. A fault whose
// kind never ends and keeps no message from any replica (`clock`: a node's
// clock jumps or drifts for good) does not count as active: replicas must
// converge under a skewed clock. A history without replica state (no apply
// lines) has nothing to judge: valid, and the note says why.
#pragma once

#include "analysis/checkers/check_result.h"
#include "analysis/trace/history.h"

namespace consim {

CheckResult check_converged(const History& history);

}  // namespace consim
