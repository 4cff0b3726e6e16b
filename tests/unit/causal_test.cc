// Causal checkers (CC, CM, CCv): each bad pattern on a tiny hand-written
// history, histories that are causal but not linearizable, the treatment of
// info and fail operations, and a property test against a simulated
// causally consistent store.
#include "analysis/checkers/causal.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "base/json_input.h"
#include "base/rng.h"
#include "tests/unit/causal_store_sim.h"
#include "tests/unit/history_builder.h"
#include "tests/unit/test_scale.h"

using consim::CausalOptions;
using consim::CheckResult;
using consim::Verdict;
using consim::testing::build_history;

namespace causal_test {

namespace {

struct Verdicts {
  CheckResult cc, cm, ccv;
};

Verdicts check(std::string_view text, CausalOptions options = {}) {
  auto results = consim::check_causal(build_history(text), options);
  REQUIRE(results.size() == 3);
  return {results[0], results[1], results[2]};
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

using Lines = std::vector<std::uint64_t>;

}  // namespace

TEST_CASE("causal: results come in the order cc, cm, ccv with their checker names") {
  auto v = check("p1 w x 1\np2 r x 1");
  CHECK(v.cc.checker == "causal-cc");
  CHECK(v.cm.checker == "causal-cm");
  CHECK(v.ccv.checker == "causal-ccv");
  CHECK(v.cc.verdict == Verdict::Valid);
  CHECK(v.cm.verdict == Verdict::Valid);
  CHECK(v.ccv.verdict == Verdict::Valid);
}

TEST_CASE("causal: two reads that each read the other's later write form a CyclicCO") {
  auto v = check(R"(
    p1 r x 1
    p1 w y 1
    p2 r y 1
    p2 w x 1)");
  REQUIRE(v.cc.verdict == Verdict::Invalid);
  REQUIRE(v.cc.violations.size() == 1);
  const auto& bad = v.cc.violations[0];
  CHECK(starts_with(bad.reason, "CyclicCO:"));
  CHECK(bad.checker == "causal-cc");
  CHECK(bad.key == "x, y");
  CHECK(bad.ops == Lines{1, 2, 3, 4});
  CHECK(bad.slice == Lines{1, 2, 3, 4});
  CHECK(v.cm.verdict == Verdict::Invalid);
  CHECK(v.ccv.verdict == Verdict::Invalid);
  CHECK(v.ccv.violations[0].checker == "causal-ccv");
}

TEST_CASE("causal: reading nothing after a causally preceding write is WriteCOInitRead") {
  auto v = check(R"(
    p1 w x 1
    p1 w y 1
    p2 r y 1
    p2 r x -)");
  REQUIRE(v.cc.violations.size() == 1);
  const auto& bad = v.cc.violations[0];
  CHECK(starts_with(bad.reason, "WriteCOInitRead:"));
  CHECK(bad.key == "x");
  CHECK(bad.ops == Lines{1, 4});
  CHECK(bad.slice == Lines{1, 2, 3, 4});
  CHECK(bad.reason ==
        "WriteCOInitRead: the read at line 4 returns nothing for x, but the write of 1 at line 1 "
        "causally precedes it");
}

TEST_CASE("causal: a read of a value nobody wrote is ThinAirRead") {
  auto v = check("p1 w x 1\np2 r x 7");
  REQUIRE(v.cc.violations.size() == 1);
  CHECK(v.cc.violations[0].reason ==
        "ThinAirRead: the read at line 2 returns 7, which no write to x wrote");
  CHECK(v.cc.violations[0].ops == Lines{2});
  CHECK(v.cc.violations[0].slice == Lines{2});
}

TEST_CASE("causal: a read of a value only a failed write wrote is ThinAirRead naming the write") {
  auto v = check("p1 w! x 1\np2 r x 1");
  REQUIRE(v.cc.violations.size() == 1);
  CHECK(starts_with(v.cc.violations[0].reason, "ThinAirRead:"));
  CHECK(v.cc.violations[0].reason.find("only the failed write at line 1") != std::string::npos);
  CHECK(v.cc.violations[0].slice == Lines{1, 2});
}

TEST_CASE("causal: reading a value its reader knows was overwritten is WriteCORead") {
  auto v = check(R"(
    p1 w x 1
    p1 w x 2
    p2 r x 2
    p2 r x 1)");
  REQUIRE(v.cc.violations.size() == 1);
  const auto& bad = v.cc.violations[0];
  CHECK(starts_with(bad.reason, "WriteCORead:"));
  CHECK(bad.key == "x");
  CHECK(bad.ops == Lines{1, 2, 4});
  CHECK(bad.slice == Lines{1, 2, 3, 4});
}

TEST_CASE("causal: the overwrite may arrive through another key (WriteCORead across keys)") {
  auto v = check(R"(
    p1 w x 1
    p2 r x 1
    p2 w x 2
    p2 w y 9
    p3 r y 9
    p3 r x 1)");
  REQUIRE(v.cc.violations.size() == 1);
  CHECK(starts_with(v.cc.violations[0].reason, "WriteCORead:"));
  CHECK(v.cc.violations[0].ops == Lines{1, 3, 6});
  CHECK(v.cc.violations[0].slice == Lines{1, 2, 3, 4, 5, 6});
}

TEST_CASE("causal: the slice keeps the ends of each read-from, not the middle of a session") {
  auto v = check(R"(
    p1 w x 1
    p1 w y 5
    p1 w y 6
    p2 r y 6
    p2 r x -)");
  REQUIRE(v.cc.violations.size() == 1);
  CHECK(v.cc.violations[0].slice == Lines{1, 3, 4, 5});
}

TEST_CASE("causal: two readers seeing concurrent writes in opposite orders is CC and CM, not CCv") {
  auto v = check(R"(
    p1 w x 1
    p2 w x 2
    p3 r x 1
    p3 r x 2
    p4 r x 2
    p4 r x 1)");
  CHECK(v.cc.verdict == Verdict::Valid);
  CHECK(v.cm.verdict == Verdict::Valid);
  REQUIRE(v.ccv.verdict == Verdict::Invalid);
  REQUIRE(v.ccv.violations.size() == 1);
  const auto& bad = v.ccv.violations[0];
  CHECK(starts_with(bad.reason, "CyclicCF:"));
  CHECK(bad.key == "x");
  CHECK(bad.ops == Lines{1, 2});
  CHECK(bad.slice == Lines{1, 2, 3, 4, 5, 6});
}

TEST_CASE("causal: each writer reading the other's value after its own is CM but not CCv") {
  auto v = check(R"(
    p1 w x 1
    p2 w x 2
    p1 r x 2
    p2 r x 1)");
  CHECK(v.cc.verdict == Verdict::Valid);
  CHECK(v.cm.verdict == Verdict::Valid);
  CHECK(v.ccv.verdict == Verdict::Invalid);
}

TEST_CASE("causal: a process that reads 2 then its own older 1 again is CC but has CyclicHB") {
  auto v = check(R"(
    p1 w x 1
    p2 w x 2
    p1 r x 2
    p1 r x 1)");
  CHECK(v.cc.verdict == Verdict::Valid);
  REQUIRE(v.cm.verdict == Verdict::Invalid);
  REQUIRE(v.cm.violations.size() == 1);
  const auto& bad = v.cm.violations[0];
  CHECK(starts_with(bad.reason, "CyclicHB: process 1's reads force the writes at lines 1, 2"));
  CHECK(bad.ops == Lines{1, 2});
  CHECK(bad.slice == Lines{1, 2, 3, 4});
  REQUIRE(v.ccv.verdict == Verdict::Invalid);
  CHECK(starts_with(v.ccv.violations[0].reason, "CyclicCF:"));
}

TEST_CASE("causal: WriteHBInitRead is CC and CCv but not CM (the example in causal_memory.cc)") {
  auto v = check(R"(
    p2 w y 1
    p2 w x 1
    p2 w z 1
    p1 w x 2
    p1 r y -
    p1 r z 1
    p1 r x 2)");
  CHECK(v.cc.verdict == Verdict::Valid);
  CHECK(v.ccv.verdict == Verdict::Valid);
  REQUIRE(v.cm.verdict == Verdict::Invalid);
  REQUIRE(v.cm.violations.size() == 1);
  const auto& bad = v.cm.violations[0];
  CHECK(starts_with(bad.reason, "WriteHBInitRead:"));
  CHECK(bad.key == "y");
  CHECK(bad.ops == Lines{1, 5});
  CHECK(bad.slice == Lines{1, 2, 3, 4, 5, 6, 7});
}

TEST_CASE("causal: an info write nobody read may be lost, so reading nothing after it is fine") {
  auto v = check("p1 w? x 1\np1 r x -");
  CHECK(v.cc.verdict == Verdict::Valid);
}

TEST_CASE("causal: an info write somebody read took effect, so it orders its session") {
  auto v = check("p1 w? x 1\np1 r x -\np2 r x 1");
  REQUIRE(v.cc.verdict == Verdict::Invalid);
  CHECK(starts_with(v.cc.violations[0].reason, "WriteCOInitRead:"));
  CHECK(v.cc.violations[0].ops == Lines{1, 2});
}

TEST_CASE("causal: failed ops and info reads take no part") {
  auto v = check(R"(
    p1 w! x 1
    p1 w x 2
    p2 r? x
    p2 r x 2
    p2 r! x
    p2 r x 2)");
  CHECK(v.cc.verdict == Verdict::Valid);
  CHECK(v.cm.verdict == Verdict::Valid);
  CHECK(v.ccv.verdict == Verdict::Valid);
}

TEST_CASE("causal: a value written twice to one key is rejected, naming the line") {
  CHECK_THROWS_WITH_AS(consim::check_causal(build_history("p1 w x 1\np2 w x 1")),
                       "test-history: line 2: value 1 is written to key x again (first at line 1); "
                       "the causal and session checkers need unique values",
                       consim::InputError);
}

TEST_CASE("causal: violations beyond the cap are counted but not listed") {
  std::string text = "p1 w x 1\np1 w x 2\n";
  for (int i = 0; i < 30; ++i) {
    std::string p = "p";  // a reader that sees 2, then 1
    p += std::to_string(2 + i);
    text += p;
    text += " r x 2\n";
    text += p;
    text += " r x 1\n";
  }
  CausalOptions options;
  options.max_violations = 5;
  auto v = check(text, options);
  CHECK(v.cc.violation_count == 30);
  CHECK(v.cc.violations.size() == 5);
  CHECK(v.cc.violations[0].ops == Lines{1, 2, 4});
}

TEST_CASE("causal: CM answers unknown, with a note, when its budget runs out") {
  CausalOptions options;
  options.cm_budget = 10;
  auto v = check("p1 w x 1\np2 r x 1\np2 w x 2\np1 r x 2", options);
  CHECK(v.cc.verdict == Verdict::Valid);
  CHECK(v.cm.verdict == Verdict::Unknown);
  CHECK(v.cm.note.find("budget") != std::string::npos);
}

TEST_CASE("causal: an empty history, and keys the history does not name, are handled") {
  auto v = check("");
  CHECK(v.cc.verdict == Verdict::Valid);
  CHECK(v.cm.verdict == Verdict::Valid);
  CHECK(v.ccv.verdict == Verdict::Valid);
  consim::History h = build_history("p1 w x 1\np2 r x 1\np2 r x -");
  h.key_names.clear();  // a loader bug must not make the checker read out of bounds
  auto results = consim::check_causal(h);
  REQUIRE(results[0].violations.size() == 1);
  CHECK(results[0].violations[0].key == "0");
}

TEST_CASE("causal: only the models asked for are checked") {
  CausalOptions options;
  options.cm = false;
  auto results = consim::check_causal(build_history("p1 w x 1"), options);
  REQUIRE(results.size() == 2);
  CHECK(results[0].checker == "causal-cc");
  CHECK(results[1].checker == "causal-ccv");
}

namespace {

using consim::testing::SimulatedHistory;

// Makes one ok read return a value its causal past shows was overwritten:
// some ok write w' to the key precedes the read, so the read now returns an
// older write w0 -> w' (WriteCORead), or nothing (WriteCOInitRead). Returns
// the read's line, or 0 if no read qualifies.
std::uint64_t mutate(SimulatedHistory& sim, consim::Rng& rng) {
  const auto& ops = sim.history.ops;
  auto precedes = [&](std::size_t w, const std::vector<std::uint32_t>& clock) {
    auto p = static_cast<std::size_t>(ops[w].process);
    return clock[p] >= sim.clock[w][p];
  };
  auto ok_write_to = [&](std::size_t i, std::uint32_t key) {
    return ops[i].f == consim::HistOp::Write && ops[i].outcome == consim::Outcome::Ok &&
           ops[i].key == key;
  };
  std::vector<std::pair<std::size_t, std::size_t>> candidates;  // (read, overwriting write)
  for (std::size_t r = 0; r < ops.size(); ++r) {
    if (ops[r].f != consim::HistOp::Read || ops[r].outcome != consim::Outcome::Ok) continue;
    for (std::size_t w = 0; w < r; ++w) {
      if (ok_write_to(w, ops[r].key) && precedes(w, sim.clock_before[r]))
        candidates.push_back({r, w});
    }
  }
  if (candidates.empty()) return 0;
  auto [r, w_later] = candidates[rng.below(candidates.size())];
  std::optional<std::int64_t> older;  // nothing, unless an older write precedes w_later
  for (std::size_t w = 0; w < w_later; ++w) {
    if (ok_write_to(w, ops[r].key) && precedes(w, sim.clock[w_later])) older = ops[w].value;
  }
  sim.history.ops[r].value = older;
  return ops[r].invoke_line;
}

bool names_line(const CheckResult& result, std::uint64_t line) {
  return std::any_of(result.violations.begin(), result.violations.end(), [&](const auto& v) {
    return std::find(v.ops.begin(), v.ops.end(), line) != v.ops.end();
  });
}

void property_test(bool lww) {
  consim::testing::StoreSimConfig config;
  config.lww = lww;
  int mutated = 0, not_convergent = 0;
  const int histories = consim::test::sweep(200);
  for (std::uint64_t seed = 1; seed <= static_cast<std::uint64_t>(histories); ++seed) {
    consim::Rng rng(seed);
    config.ops = 20 + static_cast<std::uint32_t>(rng.below(100));
    auto sim = consim::testing::simulate_causal_store(config, rng);
    auto results = consim::check_causal(sim.history);
    INFO("seed " << seed);
    REQUIRE(results[0].verdict == Verdict::Valid);
    REQUIRE(results[0].violation_count == 0);
    REQUIRE(results[lww ? 2 : 1].verdict == Verdict::Valid);
    if (results[2].verdict == Verdict::Invalid) ++not_convergent;
    std::uint64_t line = mutate(sim, rng);
    if (line == 0) continue;
    ++mutated;
    auto after = consim::check_causal(sim.history);
    INFO("mutated read at line " << line);
    REQUIRE(after[0].verdict == Verdict::Invalid);
    CHECK(names_line(after[0], line));
  }
  CHECK(mutated >= histories * 9 / 10);
  // Without last-writer-wins, replicas that apply concurrent writes in
  // different orders show it to their readers: CyclicCF, not CCv.
  if (lww) CHECK(not_convergent == 0);
  if (!lww) CHECK(not_convergent > histories / 10);
}

}  // namespace

TEST_CASE("causal property: a causal store's histories are CC and CM; a stale read is caught") {
  property_test(false);
}

TEST_CASE(
    "causal property: a convergent causal store's histories are CC and CCv; a stale read is "
    "caught") {
  property_test(true);
}

TEST_CASE("causal: clocks over the memory budget give unknown with the reason, never bad_alloc") {
  // Two sessions, four operations: the clocks take 4 x 2 x 4 = 32 bytes.
  const char* text = "p1 w x 1\np2 r x 1\np1 w x 2\np2 r x 2";
  CausalOptions tiny;
  tiny.memory_budget = 16;
  auto v = check(text, tiny);
  for (const CheckResult& r : {v.cc, v.cm, v.ccv}) {
    CHECK(r.verdict == Verdict::Unknown);
    CHECK(r.note ==
          "not checked: its vector clocks would need 32 bytes (4 operations x 2 sessions x 4 "
          "bytes), over the memory budget of 16 bytes (consim check --causal-memory)");
  }
  CausalOptions cc_only;
  cc_only.memory_budget = 64;  // one set (32 bytes) fits, CM's three (96) do not
  v = check(text, cc_only);
  CHECK(v.cc.verdict == Verdict::Valid);
  CHECK(v.cm.verdict == Verdict::Unknown);
  CHECK(v.cm.note.find("(3 sets of 4 operations x 2 sessions") != std::string::npos);
  CHECK(v.ccv.verdict == Verdict::Valid);
  CHECK(check(text).cm.verdict == Verdict::Valid);  // the default budget fits
}

}  // namespace causal_test
