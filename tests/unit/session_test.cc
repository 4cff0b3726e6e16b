// Session guarantees: each violation on a tiny history next to the matching
// history that does not violate it, rates and caps, and a property test:
// linearizable histories never violate any guarantee.
#include "analysis/checkers/session.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "base/rng.h"
#include "tests/unit/history_builder.h"

using consim::SessionResult;
using consim::testing::build_history;
using Lines = std::vector<std::uint64_t>;

namespace session_test {

namespace {

enum { kRyw, kMr, kMw, kWfr };

std::vector<SessionResult> check(std::string_view text, consim::SessionOptions options = {}) {
  auto results = consim::check_session_guarantees(build_history(text), options);
  REQUIRE(results.size() == 4);
  return results;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

}  // namespace

TEST_CASE("session: results come in the order RYW, MR, MW, WFR") {
  auto r = check("p1 w x 1");
  CHECK(r[kRyw].guarantee == "read-your-writes");
  CHECK(r[kMr].guarantee == "monotonic-reads");
  CHECK(r[kMw].guarantee == "monotonic-writes");
  CHECK(r[kWfr].guarantee == "writes-follow-reads");
}

TEST_CASE(
    "session: reading a value older than your own acknowledged write breaks read-your-writes") {
  auto r = check(R"(
    p1 w x 1 @0-10
    p2 w x 2 @20-30
    p1 w x 3 @40-50
    p1 r x 2 @60-70)");
  CHECK(r[kRyw].reads_checked == 1);
  REQUIRE(r[kRyw].violating == 1);
  const auto& bad = r[kRyw].violations[0];
  CHECK(bad.checker == "read-your-writes");
  CHECK(bad.key == "x");
  CHECK(bad.ops == Lines{3, 4});
  CHECK(bad.slice == Lines{2, 3, 4});
  CHECK(bad.reason ==
        "read-your-writes: the read at line 4 by process 1 returns 2 (written at line 2), older "
        "than its own write of 3 at line 3, acknowledged before the read began");
}

TEST_CASE("session: a write that overlapped your own may be newer: no read-your-writes violation") {
  auto r = check(R"(
    p1 w x 1 @0-10
    p1 w x 3 @40-50
    p2 w x 2 @45-55
    p1 r x 2 @60-70)");
  CHECK(r[kRyw].reads_checked == 1);
  CHECK(r[kRyw].violating == 0);
}

TEST_CASE("session: order of acknowledgement is not the version order (a linearizable example)") {
  // 2 was acknowledged first, but 1 and 2 overlapped, so 2 may come after 1.
  auto r = check(R"(
    p1 w x 1 @0-50
    p2 w x 2 @10-20
    p1 r x 2 @60-70)");
  CHECK(r[kRyw].reads_checked == 1);
  CHECK(r[kRyw].violating == 0);
}

TEST_CASE("session: reading nothing after your own write breaks read-your-writes") {
  auto r = check("p1 w x 1\np1 r x -");
  CHECK(r[kRyw].violating == 1);
  CHECK(r[kRyw].violations[0].slice == Lines{1, 2});
}

TEST_CASE("session: a read that began before the write was acknowledged is not checked") {
  auto r = check("p1 w x 1 @0-50\np1 r x - @40-60");
  CHECK(r[kRyw].reads_checked == 0);
  CHECK(r[kRyw].violating == 0);
}

TEST_CASE("session: going back to an older value breaks monotonic reads") {
  auto r = check(R"(
    p1 w x 1 @0-5
    p1 w x 2 @10-15
    p2 r x 2 @20-25
    p2 r x 1 @30-35)");
  REQUIRE(r[kMr].violating == 1);
  const auto& bad = r[kMr].violations[0];
  CHECK(bad.ops == Lines{3, 4});
  CHECK(bad.slice == Lines{1, 2, 3, 4});
  CHECK(bad.reason ==
        "monotonic-reads: the read at line 4 by process 2 returns 1 (written at line 1), older "
        "than 2 (written at line 2), which its earlier read at line 3 returned");
}

TEST_CASE("session: seeing overlapping writes in either order keeps monotonic reads") {
  auto r = check(R"(
    p1 w x 1 @0-15
    p3 w x 2 @5-20
    p2 r x 2 @25-30
    p2 r x 1 @35-40)");
  CHECK(r[kMr].reads_checked == 1);
  CHECK(r[kMr].violating == 0);
}

TEST_CASE(
    "session: seeing a writer's later write but not its earlier one breaks monotonic writes") {
  auto r = check(R"(
    p1 w x 1 @0-5
    p1 w y 2 @10-15
    p2 r y 2 @20-25
    p2 r x - @30-35)");
  CHECK(r[kMw].reads_checked == 1);
  REQUIRE(r[kMw].violating == 1);
  const auto& bad = r[kMw].violations[0];
  CHECK(bad.key == "x");
  CHECK(bad.ops == Lines{1, 2, 3, 4});
  CHECK(starts_with(bad.reason, "monotonic-writes: process 2 read process 1's write at line 2"));
  CHECK(r[kMr].violating == 0);  // x was never read before
  CHECK(r[kWfr].violating == 0);
}

TEST_CASE("session: seeing both of a writer's writes keeps monotonic writes") {
  auto r = check(R"(
    p1 w x 1 @0-5
    p1 w y 2 @10-15
    p2 r y 2 @20-25
    p2 r x 1 @30-35)");
  CHECK(r[kMw].reads_checked == 1);
  CHECK(r[kMw].violating == 0);
}

TEST_CASE("session: a writer's later write with unknown outcome still counts once seen") {
  auto r = check("p1 w x 1\np1 w? y 2\np2 r y 2\np2 r x -");
  CHECK(r[kMw].violating == 1);
}

TEST_CASE(
    "session: a writer's earlier write reappearing after its later one breaks monotonic writes") {
  auto r = check(R"(
    p1 w x 1 @0-5
    p1 w x 2 @10-15
    p2 r x 2 @20-25
    p2 r x 1 @30-35)");
  REQUIRE(r[kMw].violating == 1);
  CHECK(r[kMw].violations[0].reason.find(", its earlier write at line 1") != std::string::npos);
}

TEST_CASE(
    "session: seeing a write without the value its writer had read breaks writes-follow-reads") {
  auto r = check(R"(
    p1 w x 1 @0-100
    p2 r x 1 @10-20
    p2 w y 5 @30-40
    p3 r y 5 @50-60
    p3 r x - @70-80)");
  CHECK(r[kWfr].reads_checked == 1);
  REQUIRE(r[kWfr].violating == 1);
  const auto& bad = r[kWfr].violations[0];
  CHECK(bad.key == "x");
  CHECK(bad.ops == Lines{2, 3, 4, 5});
  CHECK(bad.slice == Lines{1, 2, 3, 4, 5});
  CHECK(bad.reason ==
        "writes-follow-reads: process 3 read process 2's write at line 3 (at line 4), then read x "
        "at line 5 and got nothing, older than 1 (written at line 1) that the writer had read at "
        "line 2 before writing");
  CHECK(r[kMw].violating == 0);
  CHECK(r[kMr].violating == 0);
}

TEST_CASE(
    "session: seeing a write together with the value its writer had read keeps "
    "writes-follow-reads") {
  auto r = check(R"(
    p1 w x 1 @0-100
    p2 r x 1 @10-20
    p2 w y 5 @30-40
    p3 r y 5 @50-60
    p3 r x 1 @70-80)");
  CHECK(r[kWfr].reads_checked == 1);
  CHECK(r[kWfr].violating == 0);
}

TEST_CASE(
    "session: the value a write followed reappearing after it breaks only writes-follow-reads") {
  // 1 was still unacknowledged when 2 was written, so 1 is not older than 2:
  // monotonic reads holds, but 2 was written after reading 1.
  auto r = check(R"(
    p1 w x 1 @0-100
    p2 r x 1 @10-20
    p2 w x 2 @30-40
    p3 r x 2 @50-60
    p3 r x 1 @70-80)");
  CHECK(r[kMr].violating == 0);
  REQUIRE(r[kWfr].violating == 1);
  CHECK(r[kWfr].violations[0].reason.find("the very value 1") != std::string::npos);
}

TEST_CASE("session: reads of unknown values, info reads and failed ops are not checked") {
  auto r = check(R"(
    p1 w x 1
    p1 r x 9
    p1 r? x
    p1 w! x 2
    p1 r x 2)");
  for (const auto& g : r) {
    INFO(g.guarantee);
    CHECK(g.violating == 0);
  }
  CHECK(r[kRyw].reads_checked == 0);
}

TEST_CASE("session: the rate is violating reads over reads checked, and the adapter reports it") {
  auto r = check(R"(
    p1 w x 1
    p1 r x 1
    p1 r x 1
    p2 w x 2
    p1 w x 3
    p1 r x 3
    p1 r x 2)");
  CHECK(r[kRyw].reads_checked == 4);
  CHECK(r[kRyw].violating == 1);
  CHECK(r[kRyw].rate == doctest::Approx(0.25));
  auto result = consim::to_check_result(r[kRyw]);
  CHECK(result.checker == "read-your-writes");
  CHECK(result.verdict == consim::Verdict::Invalid);
  CHECK(result.violation_count == 1);
  CHECK(result.violations.size() == 1);
  CHECK(result.note == "1 of 4 reads checked violate it (25.00%)");
  auto mr = consim::to_check_result(r[kMr]);
  CHECK(mr.note == "1 of 3 reads checked violate it (33.33%)");
  auto none = consim::to_check_result(check("p1 w x 1")[kRyw]);
  CHECK(none.verdict == consim::Verdict::Valid);
  CHECK(none.note == "0 of 0 reads checked violate it (0.00%)");
}

TEST_CASE("session: violations are capped at 100 but all are counted") {
  std::string text = "p1 w x 1\np1 w x 2\n";
  for (int i = 0; i < 150; ++i) {
    std::string p = "p";  // a reader that sees 2, then 1
    p += std::to_string(2 + i);
    text += p;
    text += " r x 2\n";
    text += p;
    text += " r x 1\n";
  }
  auto r = check(text);
  CHECK(r[kMr].reads_checked == 150);
  CHECK(r[kMr].violating == 150);
  CHECK(r[kMr].violations.size() == 100);
  CHECK(r[kMr].rate == doctest::Approx(1.0));
  CHECK(r[kMr].violations[0].ops == Lines{3, 4});
  CHECK(r[kMr].violations[99].ops == Lines{201, 202});
}

namespace {

// A linearizable store: each op takes effect at a random instant inside its
// interval (ops of one process do not overlap). Some writes time out (info:
// they may or may not take effect), some fail, some reads time out.
consim::History linearizable_history(consim::Rng& rng, std::uint32_t count) {
  struct Planned {
    consim::Operation op;
    consim::Time effect;
    bool applies;
  };
  std::vector<Planned> plan;
  std::vector<consim::Time> free_at(4, 0);
  std::int64_t next_value = 1;
  for (std::uint32_t i = 0; i < count; ++i) {
    auto p = static_cast<std::uint32_t>(rng.below(free_at.size()));
    consim::Operation op;
    op.process = p;
    op.key = static_cast<std::uint32_t>(rng.below(3));
    op.f = rng.chance(0.4) ? consim::HistOp::Write : consim::HistOp::Read;
    op.invoke_time = free_at[p] + 1 + static_cast<consim::Time>(rng.below(50));
    op.complete_time = op.invoke_time + 1 + static_cast<consim::Time>(rng.below(100));
    free_at[p] = op.complete_time;
    consim::Time effect =
        op.invoke_time + static_cast<consim::Time>(rng.below(
                             static_cast<std::uint64_t>(op.complete_time - op.invoke_time)));
    double roll = rng.next_double();
    op.outcome = roll < 0.05  ? consim::Outcome::Fail
                 : roll < 0.1 ? consim::Outcome::Info
                              : consim::Outcome::Ok;
    bool applies = op.outcome == consim::Outcome::Ok ||
                   (op.outcome == consim::Outcome::Info && rng.chance(0.5));
    if (op.f == consim::HistOp::Write) op.value = next_value++;
    plan.push_back({op, effect, applies});
  }
  std::vector<std::size_t> by_effect(plan.size());
  for (std::size_t i = 0; i < plan.size(); ++i) by_effect[i] = i;
  std::stable_sort(by_effect.begin(), by_effect.end(),
                   [&](std::size_t a, std::size_t b) { return plan[a].effect < plan[b].effect; });
  std::vector<std::optional<std::int64_t>> state(3);
  for (std::size_t i : by_effect) {
    auto& op = plan[i].op;
    if (op.f == consim::HistOp::Write && plan[i].applies) state[op.key] = op.value;
    if (op.f == consim::HistOp::Read)
      op.value = op.outcome == consim::Outcome::Ok ? state[op.key] : std::nullopt;
  }
  std::stable_sort(plan.begin(), plan.end(), [](const Planned& a, const Planned& b) {
    return a.op.invoke_time < b.op.invoke_time;
  });
  consim::History h;
  h.file = "linearizable";
  h.key_names = {"a", "b", "c"};
  for (auto& planned : plan) {
    planned.op.invoke_line = planned.op.complete_line = h.ops.size() + 1;
    if (planned.op.outcome == consim::Outcome::Info) planned.op.complete_time = consim::kTimeMax;
    h.ops.push_back(planned.op);
  }
  return h;
}

}  // namespace

TEST_CASE("session property: linearizable histories never violate a session guarantee") {
  std::uint64_t checked[4] = {0, 0, 0, 0};
  for (std::uint64_t seed = 1; seed <= 200; ++seed) {
    consim::Rng rng(seed);
    auto results = consim::check_session_guarantees(linearizable_history(rng, 150));
    INFO("seed " << seed);
    for (std::size_t g = 0; g < 4; ++g) {
      INFO(results[g].guarantee);
      REQUIRE(results[g].violating == 0);
      checked[g] += results[g].reads_checked;
    }
  }
  for (std::uint64_t c : checked) CHECK(c > 1000);  // the property was put to the test
}

TEST_CASE("session: an empty history checks nothing and reports a zero rate") {
  auto r = check("");
  for (const auto& g : r) {
    CHECK(g.reads_checked == 0);
    CHECK(g.violating == 0);
    CHECK(g.rate == 0.0);
  }
}

}  // namespace session_test
