// The linearizability checker on tiny hand-written register histories with
// known verdicts, including ops whose outcome is unknown (info) or failed,
// and what a violation tells the user.
//
// Notation in comments: w(1) [1-2] is a write of 1 invoked at line 1 and
// completed at line 2; r->1 is a read returning 1; times equal lines.
#include "analysis/checkers/linearizability.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "analysis/checkers/brute_force.h"
#include "analysis/checkers/register_history_gen.h"
#include "tests/unit/test_scale.h"

using namespace consim;

namespace linearizability_test {

namespace {

constexpr std::optional<std::int64_t> kNothing = std::nullopt;

Operation op(HistOp f, std::optional<std::int64_t> value, std::uint64_t invoke,
             std::uint64_t complete, Outcome outcome, std::uint32_t key) {
  Operation o;
  o.f = f;
  o.value = value;
  o.key = key;
  o.process = static_cast<std::int64_t>(invoke);  // one op per process: no pairing concerns
  o.invoke_line = invoke;
  o.invoke_time = static_cast<Time>(invoke);
  o.complete_line = complete;
  o.outcome = outcome;
  o.complete_time = outcome == Outcome::Info ? kTimeMax : static_cast<Time>(complete);
  return o;
}
Operation w(std::int64_t v, std::uint64_t inv, std::uint64_t ret, Outcome o = Outcome::Ok,
            std::uint32_t key = 0) {
  return op(HistOp::Write, v, inv, ret, o, key);
}
Operation r(std::optional<std::int64_t> v, std::uint64_t inv, std::uint64_t ret,
            Outcome o = Outcome::Ok, std::uint32_t key = 0) {
  return op(HistOp::Read, v, inv, ret, o, key);
}

History history(std::vector<Operation> ops, std::vector<std::string> keys = {"3"}) {
  History h;
  h.ops = std::move(ops);
  h.key_names = std::move(keys);
  return h;
}

Verdict verdict_of(std::vector<Operation> ops) {
  return check_linearizability(history(std::move(ops))).result.verdict;
}

}  // namespace

TEST_CASE("linearizable: a read after an acknowledged write returns the old value") {
  // w(1) [1-2], w(2) [3-4], r->1 [5-6]: write 2 completed before the read began.
  auto report = check_linearizability(history({w(1, 1, 2), w(2, 3, 4), r(1, 5, 6)}));
  const CheckResult& result = report.result;
  CHECK(result.checker == "linearizable");
  CHECK(result.verdict == Verdict::Invalid);
  CHECK(result.violation_count == 1);
  REQUIRE(result.violations.size() == 1);
  const Violation& v = result.violations[0];
  CHECK(v.checker == "linearizable");
  CHECK(v.key == "3");
  CHECK(v.ops == std::vector<std::uint64_t>{1, 3, 5});
  CHECK(v.slice == std::vector<std::uint64_t>{1, 3, 5});
  CHECK(v.reason ==
        "read of key 3 at line 5 returned 1, but write of 2 (line 3) completed before the read "
        "began and no write of 1 can follow it (the longest linearizable prefix ends at line 5 "
        "and holds 2 of the key's 3 operations)");
  REQUIRE(report.keys.size() == 1);
  CHECK(report.keys[0].blocked_line == 5);
  // Up to line 5 (the read in flight) it is linearizable: write 1, write 2.
  CHECK(report.keys[0].longest_prefix == std::vector<std::uint64_t>{1, 3});
  CHECK(report.invalid_keys == 1);
}

TEST_CASE("linearizable: a read concurrent with a write may return either value") {
  // w(1) [1-2], then w(2) [3-6] overlaps r [4-5].
  CHECK(verdict_of({w(1, 1, 2), w(2, 3, 6), r(1, 4, 5)}) == Verdict::Valid);
  CHECK(verdict_of({w(1, 1, 2), w(2, 3, 6), r(2, 4, 5)}) == Verdict::Valid);
  // But once a read saw the new value, a later read cannot see the old one.
  CHECK(verdict_of({w(1, 1, 2), w(2, 3, 10), r(2, 4, 5), r(1, 6, 7)}) == Verdict::Invalid);
}

TEST_CASE("linearizable: a read before any write returns nothing") {
  CHECK(verdict_of({r(kNothing, 1, 2), w(1, 3, 4)}) == Verdict::Valid);
  auto result = check_linearizability(history({w(1, 1, 2), r(kNothing, 3, 4)})).result;
  CHECK(result.verdict == Verdict::Invalid);
  REQUIRE(result.violations.size() == 1);
  CHECK(result.violations[0].reason.find("read of key 3 at line 3 returned nothing, but write "
                                         "of 1 (line 1) completed before the read began (") == 0);
}

TEST_CASE("linearizable: a read cannot go back to an older value once a read saw a newer one") {
  // w(1) [1-2], w(2) [3-10]; r->2 [4-5] completes before r->1 [6-7] begins.
  auto result =
      check_linearizability(history({w(1, 1, 2), w(2, 3, 10), r(2, 4, 5), r(1, 6, 7)})).result;
  REQUIRE(result.violations.size() == 1);
  const Violation& v = result.violations[0];
  CHECK(v.ops == std::vector<std::uint64_t>{1, 3, 4, 6});
  CHECK(v.slice == std::vector<std::uint64_t>{1, 3, 4, 6});
  CHECK(v.reason.find("read of key 3 at line 6 returned 1, but the read at line 4, which "
                      "completed before it began, already returned 2, and the write of 2 (line "
                      "3) began after the write of 1 (line 1) completed (") == 0);
}

TEST_CASE("linearizable: two reads after the last writes must agree") {
  // w(2) [1-6] and w(3) [3-5] overlap; both complete before the reads begin.
  auto result =
      check_linearizability(history({w(2, 1, 6), w(3, 3, 5), r(2, 9, 13), r(3, 11, 16)})).result;
  REQUIRE(result.violations.size() == 1);
  CHECK(result.violations[0].ops == std::vector<std::uint64_t>{1, 3, 9, 11});
  CHECK(result.violations[0].reason.find(
            "read of key 3 at line 11 returned 3, but the read at line 9 returned 2, and both "
            "writes, of 2 (line 1) and 3 (line 3), completed before either read began (") == 0);
}

TEST_CASE("linearizable: a timed-out write seen by a later read took effect") {
  // w(1) ok [1-2], w(2) info at line 4 (timed out), r->2 [10-11].
  CHECK(verdict_of({w(1, 1, 2), w(2, 3, 4, Outcome::Info), r(2, 10, 11)}) == Verdict::Valid);
  // It may even take effect after its info line, long after.
  CHECK(verdict_of({w(2, 1, 2, Outcome::Info), r(kNothing, 3, 4), r(2, 50, 51)}) == Verdict::Valid);
  // A write that never completed at all (no completion line) counts the same.
  CHECK(verdict_of({w(2, 1, 0, Outcome::Info), r(2, 10, 11)}) == Verdict::Valid);
  // Once seen, it stays: a read after that sees the older value is stale.
  CHECK(verdict_of({w(1, 1, 2), w(2, 3, 4, Outcome::Info), r(2, 10, 11), r(1, 12, 13)}) ==
        Verdict::Invalid);
}

TEST_CASE("linearizable: a timed-out write never seen may never have happened") {
  CHECK(verdict_of({w(1, 1, 2), w(2, 3, 4, Outcome::Info), r(1, 10, 11), r(1, 12, 13)}) ==
        Verdict::Valid);
}

TEST_CASE("linearizable: a failed write seen by a read is a violation") {
  auto result = check_linearizability(history({w(1, 1, 2, Outcome::Fail), r(1, 3, 4)})).result;
  CHECK(result.verdict == Verdict::Invalid);
  REQUIRE(result.violations.size() == 1);
  CHECK(result.violations[0].ops == std::vector<std::uint64_t>{1, 3});
  CHECK(result.violations[0].reason.find(
            "read of key 3 at line 3 returned 1, but the write of 1 (line 1) failed") == 0);
  // A failed read and an unknown read constrain nothing.
  CHECK(verdict_of({w(1, 1, 2), r(7, 3, 4, Outcome::Fail), r(8, 5, 6, Outcome::Info)}) ==
        Verdict::Valid);
}

TEST_CASE("linearizable: a read of a value nobody wrote is a violation") {
  auto result = check_linearizability(history({w(1, 1, 2), r(7, 3, 4)})).result;
  CHECK(result.verdict == Verdict::Invalid);
  REQUIRE(result.violations.size() == 1);
  CHECK(result.violations[0].slice == std::vector<std::uint64_t>{3});
  CHECK(result.violations[0].reason.find(
            "read of key 3 at line 3 returned 7, but no operation wrote 7") == 0);
}

TEST_CASE("linearizable: a read cannot see a write that began after it completed") {
  auto result = check_linearizability(history({r(1, 1, 2), w(1, 3, 4)})).result;
  REQUIRE(result.violations.size() == 1);
  CHECK(result.violations[0].reason.find("read of key 3 at line 1 returned 1, but the write of "
                                         "1 (line 3) began only after the read completed") == 0);
}

TEST_CASE("linearizable: keys are independent registers") {
  // Key a is written; key b was never written, so its read of nothing is fine.
  History h = history({w(1, 1, 2, Outcome::Ok, 0), r(kNothing, 3, 4, Outcome::Ok, 1)}, {"a", "b"});
  CHECK(check_linearizability(h).result.verdict == Verdict::Valid);
  // A violation on one key leaves the other's verdict alone.
  h.ops.push_back(r(kNothing, 5, 6, Outcome::Ok, 0));
  auto report = check_linearizability(h);
  CHECK(report.result.verdict == Verdict::Invalid);
  CHECK(report.valid_keys == 1);
  CHECK(report.invalid_keys == 1);
  REQUIRE(report.result.violations.size() == 1);
  CHECK(report.result.violations[0].key == "a");
  CHECK(report.result.note == "2 keys: 1 valid, 1 invalid, 0 unknown");
}

TEST_CASE("linearizable: past the step budget the verdict is unknown, not a guess") {
  // Eight concurrent writes, then reads that force one particular order.
  std::vector<Operation> ops;
  for (int i = 0; i < 8; ++i) ops.push_back(w(i + 1, 1 + i, 20 + i));
  ops.push_back(r(3, 40, 41));
  History h = history(ops);
  LinearizabilityOptions tight;
  tight.step_budget_per_key = 5;
  auto report = check_linearizability(h, tight);
  CHECK(report.result.verdict == Verdict::Unknown);
  CHECK(report.unknown_keys == 1);
  CHECK(report.result.violations.empty());
  CHECK(report.result.note ==
        "1 key: 0 valid, 0 invalid, 1 unknown; the search budget of 5 steps per key ran out on "
        "key 3");
  CHECK(check_linearizability(h).result.verdict == Verdict::Valid);
}

TEST_CASE("linearizable: the slice of a long history shrinks to the ops that show the problem") {
  // 40 clean write-then-read rounds, one stale read in the middle.
  std::vector<Operation> ops;
  std::uint64_t line = 1;
  for (int i = 1; i <= 40; ++i) {
    ops.push_back(w(i, line, line + 1));
    ops.push_back(r(i == 25 ? 23 : i, line + 2, line + 3));
    line += 4;
  }
  auto result = check_linearizability(history(ops)).result;
  REQUIRE(result.violations.size() == 1);
  const Violation& v = result.violations[0];
  // Write 23 (line 89), write 25 (line 97) and the stale read (line 99).
  CHECK(v.slice == std::vector<std::uint64_t>{89, 97, 99});
  CHECK(v.reason ==
        "read of key 3 at line 99 returned 23, but write of 25 (line 97) completed before the "
        "read began and no write of 23 can follow it (the longest linearizable prefix ends at "
        "line 99 and holds 49 of the key's 80 operations)");
}

namespace {

std::string describe(const History& h) {
  std::ostringstream out;
  const char* outcome[] = {"ok", "fail", "info"};
  for (const Operation& o : h.ops)
    out << "  key " << h.key_names[o.key] << " p" << o.process << " "
        << (o.f == HistOp::Read ? "read " : "write ")
        << (o.value ? std::to_string(*o.value) : "null") << " " << outcome[int(o.outcome)]
        << " lines " << o.invoke_line << "-" << o.complete_line << " times " << o.invoke_time << "-"
        << (o.complete_time == kTimeMax ? std::string("inf") : std::to_string(o.complete_time))
        << "\n";
  return out.str();
}

RegisterHistorySpec random_spec(Rng& rng) {
  RegisterHistorySpec spec;
  spec.keys = 1 + static_cast<std::uint32_t>(rng.below(2));
  spec.processes = 1 + static_cast<std::uint32_t>(rng.below(5));
  spec.ops = 1 + rng.below(kBruteForceMaxOpsPerKey);
  spec.write_fraction = 0.3 + 0.4 * rng.next_double();
  const double fails[] = {0.0, 0.1, 0.25}, infos[] = {0.0, 0.15, 0.35};
  spec.fail_fraction = fails[rng.below(3)];
  spec.info_fraction = infos[rng.below(3)];
  spec.max_duration = 1 + static_cast<Time>(rng.below(12));
  spec.max_think = static_cast<Time>(rng.below(5));
  return spec;
}

// Changes one read's value, or makes one acknowledged write a failed one.
// Returns false if the history has nothing to change.
bool mutate(History& h, Rng& rng) {
  std::vector<std::size_t> reads, writes;
  for (std::size_t i = 0; i < h.ops.size(); ++i) {
    if (h.ops[i].outcome != Outcome::Ok) continue;
    (h.ops[i].f == HistOp::Read ? reads : writes).push_back(i);
  }
  if (!writes.empty() && (reads.empty() || rng.chance(0.2))) {
    h.ops[writes[rng.below(writes.size())]].outcome = Outcome::Fail;
    return true;
  }
  if (reads.empty()) return false;
  Operation& read = h.ops[reads[rng.below(reads.size())]];
  std::vector<std::optional<std::int64_t>> choices{std::nullopt, 1000};
  for (const Operation& o : h.ops)
    if (o.f == HistOp::Write && o.key == read.key) choices.push_back(o.value);
  auto before = read.value;
  read.value = choices[rng.below(choices.size())];
  return read.value != before;
}

// The ops of one key whose invoke lines are in `lines`.
History slice_of(const History& h, const Violation& v) {
  History out;
  out.key_names = h.key_names;
  for (const Operation& o : h.ops)
    if (h.key_names[o.key] == v.key &&
        std::find(v.slice.begin(), v.slice.end(), o.invoke_line) != v.slice.end())
      out.ops.push_back(o);
  return out;
}

}  // namespace

TEST_CASE("linearizable: WGL and brute force agree on 10,000+ random small histories") {
  Rng seeds(20240611);
  int compared = 0, invalid = 0, disagreements = 0, bad_slices = 0;
  auto compare = [&](const History& h, bool must_be_valid) {
    auto report = check_linearizability(h);
    Verdict fast = report.result.verdict, slow = brute_force_linearizable(h);
    ++compared;
    invalid += slow == Verdict::Invalid;
    if (fast != slow || (must_be_valid && slow != Verdict::Valid)) {
      ++disagreements;
      MESSAGE("WGL says " << verdict_name(fast) << ", brute force says " << verdict_name(slow)
                          << (must_be_valid ? " (generated valid)" : "") << ":\n"
                          << describe(h));
    }
    // Every slice reported is itself a counterexample.
    for (const Violation& v : report.result.violations) {
      History slice = slice_of(h, v);
      if (brute_force_linearizable(slice) != Verdict::Invalid) {
        ++bad_slices;
        MESSAGE("slice is linearizable: " << v.reason << "\n" << describe(slice));
      }
    }
  };
  for (int i = 0; i < consim::test::sweep(6000); ++i) {
    Rng rng = seeds.fork("history/" + std::to_string(i));
    History h = generate_register_history(random_spec(rng), rng);
    compare(h, true);
    if (mutate(h, rng)) compare(h, false);
  }
  CHECK(compared >= consim::test::sweep(10000));
  CHECK(disagreements == 0);
  CHECK(bad_slices == 0);
  // The mutations must actually produce violations for this test to mean anything.
  CHECK(invalid > compared / 5);
  MESSAGE(compared << " histories compared, " << invalid << " invalid");
}

}  // namespace linearizability_test
