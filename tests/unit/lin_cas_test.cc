// The linearizability checker on compare-and-set and on values written more
// than once: tiny hand-written histories with known verdicts (cas that
// succeeds, fails its comparison, fails, or has an unknown outcome), and a
// differential test against the brute-force reference over thousands of
// random histories with repeated values and cas.
//
// Notation: w(1) [1-2] writes 1, invoked at line 1 and completed at line 2;
// r->1 reads 1; cas(1->2) compares with 1 and writes 2; "miss" is an ok cas
// whose comparison failed (Jepsen's ok with a false result). Times equal lines.
#include <doctest/doctest.h>

#include <algorithm>
#include <sstream>

#include "analysis/checkers/brute_force.h"
#include "analysis/checkers/linearizability.h"
#include "analysis/checkers/register_history_gen.h"
#include "tests/unit/test_scale.h"

using namespace consim;

namespace lin_cas_test {

namespace {

Operation op(HistOp f, std::optional<std::int64_t> value, std::uint64_t inv, std::uint64_t ret,
             Outcome outcome) {
  Operation o;
  o.f = f;
  o.value = value;
  o.process = static_cast<std::int64_t>(inv);
  o.invoke_line = inv;
  o.invoke_time = static_cast<Time>(inv);
  o.complete_line = outcome == Outcome::Info ? 0 : ret;
  o.outcome = outcome;
  o.complete_time = outcome == Outcome::Info ? kTimeMax : static_cast<Time>(ret);
  return o;
}
Operation w(std::int64_t v, std::uint64_t inv, std::uint64_t ret, Outcome o = Outcome::Ok) {
  return op(HistOp::Write, v, inv, ret, o);
}
Operation r(std::optional<std::int64_t> v, std::uint64_t inv, std::uint64_t ret) {
  return op(HistOp::Read, v, inv, ret, Outcome::Ok);
}
Operation cas(std::int64_t from, std::int64_t to, std::uint64_t inv, std::uint64_t ret,
              Outcome o = Outcome::Ok) {
  Operation c = op(HistOp::Cas, to, inv, ret, o);
  c.expected = from;
  return c;
}
Operation miss(std::int64_t from, std::int64_t to, std::uint64_t inv, std::uint64_t ret) {
  Operation c = cas(from, to, inv, ret);
  c.cas_failed = true;
  return c;
}

History history(std::vector<Operation> ops) {
  History h;
  h.ops = std::move(ops);
  h.key_names = {"3"};
  return h;
}

// The checker's verdict, after checking that the brute force agrees.
Verdict verdict_of(std::vector<Operation> ops) {
  History h = history(std::move(ops));
  Verdict fast = check_linearizability(h).result.verdict;
  CHECK(brute_force_linearizable(h) == fast);
  return fast;
}

}  // namespace

TEST_CASE("linearizable cas: a cas that compared equal writes its new value") {
  CHECK(verdict_of({w(1, 1, 2), cas(1, 2, 3, 4), r(2, 5, 6)}) == Verdict::Valid);
  CHECK(verdict_of({w(1, 1, 2), cas(1, 2, 3, 4), r(1, 5, 6)}) == Verdict::Invalid);
}

TEST_CASE("linearizable cas: an ok cas needs the register to hold its expected value") {
  // Nothing ever held 5.
  auto result = check_linearizability(history({w(1, 1, 2), cas(5, 2, 3, 4)})).result;
  REQUIRE(result.verdict == Verdict::Invalid);
  REQUIRE(result.violations.size() == 1);
  CHECK(result.violations[0].ops == std::vector<std::uint64_t>{3});
  CHECK(result.violations[0].reason.rfind("cas [5, 2] to key 3 at line 3 cannot be placed", 0) ==
        0);
}

TEST_CASE("linearizable cas: a failed comparison (ok, false) needs another value") {
  CHECK(verdict_of({w(1, 1, 2), miss(1, 2, 3, 4)}) == Verdict::Invalid);
  CHECK(verdict_of({w(1, 1, 2), miss(7, 2, 3, 4), r(1, 5, 6)}) == Verdict::Valid);
  // A concurrent write of 4 can be the reason the comparison with 1 failed.
  CHECK(verdict_of({w(1, 1, 2), w(4, 3, 6), miss(1, 2, 4, 5)}) == Verdict::Valid);
  // On an empty register, any comparison fails.
  CHECK(verdict_of({miss(1, 2, 1, 2)}) == Verdict::Valid);
}

TEST_CASE("linearizable cas: a fail cas never happened") {
  CHECK(verdict_of({w(1, 1, 2), cas(1, 2, 3, 4, Outcome::Fail), r(1, 5, 6)}) == Verdict::Valid);
  CHECK(verdict_of({w(1, 1, 2), cas(1, 2, 3, 4, Outcome::Fail), r(2, 5, 6)}) == Verdict::Invalid);
}

TEST_CASE("linearizable cas: an info cas may have written, if the comparison held") {
  // Seen: it took effect.
  CHECK(verdict_of({w(1, 1, 2), cas(1, 2, 3, 4, Outcome::Info), r(2, 5, 6)}) == Verdict::Valid);
  // Not seen: it may never have happened.
  CHECK(verdict_of({w(1, 1, 2), cas(1, 2, 3, 4, Outcome::Info), r(1, 5, 6)}) == Verdict::Valid);
  // It could not have written 2: the register never held 9.
  CHECK(verdict_of({w(1, 1, 2), cas(9, 2, 3, 4, Outcome::Info), r(2, 5, 6)}) == Verdict::Invalid);
  // An info write of 4 makes the comparison with 1 fail, so a later read of 4 is fine too.
  CHECK(verdict_of({w(1, 1, 2), w(4, 3, 4, Outcome::Info), miss(1, 2, 5, 6), r(4, 7, 8)}) ==
        Verdict::Valid);
}

TEST_CASE("linearizable: a value written twice can be read again after another write") {
  CHECK(verdict_of({w(1, 1, 2), w(2, 3, 4), w(1, 5, 6), r(1, 7, 8)}) == Verdict::Valid);
  CHECK(verdict_of({w(1, 1, 2), r(1, 3, 4), w(2, 5, 6), r(2, 7, 8), w(1, 9, 10), r(1, 11, 12)}) ==
        Verdict::Valid);
  // Reads 1, 2, 1 in a row need the second write of 1 between the reads of 2 and 1.
  CHECK(verdict_of({w(1, 1, 2), w(2, 3, 4), r(2, 5, 6), w(1, 7, 8), r(1, 9, 10)}) ==
        Verdict::Valid);
  CHECK(verdict_of({w(1, 1, 2), w(2, 3, 4), r(2, 5, 6), r(1, 7, 8), w(1, 9, 10)}) ==
        Verdict::Invalid);
}

TEST_CASE("linearizable: the same value from two concurrent writes, read between them") {
  // w(1) [1-10] and w(1) [2-3] overlap w(2) [4-5]; r->1 [6-7] needs a write of 1 after 2:
  // the long write of 1 supplies it.
  CHECK(verdict_of({w(1, 1, 10), w(1, 2, 3), w(2, 4, 5), r(1, 6, 7)}) == Verdict::Valid);
  CHECK(verdict_of({w(1, 1, 3), w(1, 2, 3), w(2, 4, 5), r(1, 6, 7)}) == Verdict::Invalid);
}

namespace {

std::string describe(const History& h) {
  std::ostringstream out;
  const char* outcome[] = {"ok", "fail", "info"};
  for (const Operation& o : h.ops) {
    out << "  key " << o.key << " p" << o.process << " ";
    if (o.f == HistOp::Cas)
      out << "cas " << o.expected << "->" << *o.value << (o.cas_failed ? " (miss)" : "");
    else
      out << (o.f == HistOp::Read ? "read " : "write ")
          << (o.value ? std::to_string(*o.value) : "null");
    out << " " << outcome[int(o.outcome)] << " lines " << o.invoke_line << "-" << o.complete_line
        << " times " << o.invoke_time << "-"
        << (o.complete_time == kTimeMax ? std::string("inf") : std::to_string(o.complete_time))
        << "\n";
  }
  return out.str();
}

RegisterHistorySpec repeated_spec(Rng& rng) {
  RegisterHistorySpec spec;
  spec.keys = 1 + static_cast<std::uint32_t>(rng.below(2));
  spec.processes = 1 + static_cast<std::uint32_t>(rng.below(5));
  spec.ops = 1 + rng.below(kBruteForceMaxOpsPerKey);
  spec.write_fraction = 0.3 + 0.4 * rng.next_double();
  const double cases[] = {0.0, 0.2, 0.4}, fails[] = {0.0, 0.1, 0.25}, infos[] = {0.0, 0.15, 0.35};
  spec.cas_fraction = cases[rng.below(3)];
  spec.value_range = 1 + rng.below(4);  // values 1..1 to 1..4: they repeat
  spec.fail_fraction = fails[rng.below(3)];
  spec.info_fraction = infos[rng.below(3)];
  spec.max_duration = 1 + static_cast<Time>(rng.below(12));
  spec.max_think = static_cast<Time>(rng.below(5));
  return spec;
}

// Changes a read's value, a cas's comparison result or expected value, or
// fails an acknowledged write. False if nothing changed.
bool mutate(History& h, Rng& rng, std::uint64_t range) {
  std::vector<std::size_t> ok;
  for (std::size_t i = 0; i < h.ops.size(); ++i)
    if (h.ops[i].outcome == Outcome::Ok) ok.push_back(i);
  if (ok.empty()) return false;
  Operation& o = h.ops[ok[rng.below(ok.size())]];
  const auto pick = [&] { return 1 + static_cast<std::int64_t>(rng.below(range + 1)); };
  if (o.f == HistOp::Write) {
    o.outcome = Outcome::Fail;
    return true;
  }
  if (o.f == HistOp::Cas) {
    if (rng.chance(0.5)) {
      o.cas_failed = !o.cas_failed;
      return true;
    }
    auto before = o.expected;
    o.expected = pick();
    return o.expected != before;
  }
  auto before = o.value;
  o.value = rng.chance(0.2) ? std::nullopt : std::optional<std::int64_t>(pick());
  return o.value != before;
}

}  // namespace

TEST_CASE(
    "linearizable: WGL and brute force agree on 10,000+ histories with repeated values "
    "and cas") {
  Rng seeds(20261130);
  int compared = 0, invalid = 0, with_cas = 0, disagreements = 0;
  auto compare = [&](const History& h, bool must_be_valid) {
    Verdict fast = check_linearizability(h).result.verdict, slow = brute_force_linearizable(h);
    ++compared;
    invalid += slow == Verdict::Invalid;
    with_cas += std::any_of(h.ops.begin(), h.ops.end(),
                            [](const Operation& o) { return o.f == HistOp::Cas; });
    if (fast != slow || (must_be_valid && slow != Verdict::Valid)) {
      ++disagreements;
      MESSAGE("WGL says " << verdict_name(fast) << ", brute force says " << verdict_name(slow)
                          << (must_be_valid ? " (generated valid)" : "") << ":\n"
                          << describe(h));
    }
  };
  for (int i = 0; i < consim::test::sweep(6000); ++i) {
    Rng rng = seeds.fork("history/" + std::to_string(i));
    RegisterHistorySpec spec = repeated_spec(rng);
    History h = generate_register_history(spec, rng);
    compare(h, true);
    if (mutate(h, rng, spec.value_range)) compare(h, false);
  }
  CHECK(compared >= consim::test::sweep(10000));
  CHECK(disagreements == 0);
  // Enough of them must be invalid, and have cas, for the agreement to mean something.
  CHECK(invalid > compared / 5);
  CHECK(with_cas > compared / 3);
  MESSAGE(compared << " histories compared, " << invalid << " invalid, " << with_cas
                   << " with cas");
}

}  // namespace lin_cas_test
