// What the causal model guarantees under random faults, and why its lww
// option cannot: the replay of swarm seed 17 (read-your-writes broken under
// lww by a clock running ahead), a swarm of hundreds of seeds asserting that
// no session guarantee, no causal order and no convergence is ever broken
// with the default conflict handling (version-vectors), and two hand-made
// histories proving that no store that answers a read with one value, from
// local state, can pass the real-time session checkers under clock skew
// (a), nor causal memory together with causal convergence (b).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/checkers/causal.h"
#include "analysis/checkers/checks.h"
#include "analysis/checkers/session.h"
#include "analysis/report/analyze.h"
#include "analysis/trace/history_loader.h"
#include "cli/swarm.h"
#include "tests/unit/history_builder.h"
#include "tests/unit/story_support.h"
#include "tests/unit/test_scale.h"

using namespace consim;

namespace causal_guarantees_test {

namespace {

const std::string kSmall = CONSIM_SOURCE_DIR "/scenarios/swarm-small.json";

// swarm-small under causal with the given conflict handling, as the
// swarm runs it (the default nemesis: crashes, pauses, partitions, clock
// offsets, loss, duplication).
Scenario causal_swarm(const std::string& conflict) {
  std::ifstream in(kSmall);
  nlohmann::json doc = nlohmann::json::parse(in);
  doc["model"] = {{"name", "causal"}, {"params", {{"conflict", conflict}}}};
  auto path = consim::test::temp_trace_path("causal-swarm-" + conflict);
  path.replace_extension(".json");
  std::ofstream(path) << doc.dump();
  Scenario s = swarm_scenario(path.string(), std::nullopt);
  std::filesystem::remove(path);
  return s;
}

const std::vector<std::string> kChecks = {"session", "causal", "converged"};

Verdict verdict_of(const SeedResult& r, const std::string& checker) {
  for (const auto& [name, verdict] : r.verdicts)
    if (name == checker) return verdict;
  FAIL("no verdict for " << checker);
  return Verdict::Unknown;
}

SeedResult run_seed(const Scenario& s, std::uint64_t seed) {
  SwarmOptions o;
  o.first_seed = seed;
  o.seeds = 1;
  o.checkers = kChecks;
  std::vector<SeedResult> results = run_swarm(s, o);
  REQUIRE(results.size() == 1);
  REQUIRE(results[0].error.empty());
  return results[0];
}

std::vector<SessionResult> sessions(std::string_view text) {
  return check_session_guarantees(testing::build_history(text));
}

std::uint64_t session_violations(std::string_view text) {
  std::uint64_t n = 0;
  for (const SessionResult& r : sessions(text)) n += r.violating;
  return n;
}

Verdict causal_verdict(std::string_view text, const std::string& model) {
  for (const CheckResult& r : check_causal(testing::build_history(text), {}))
    if (r.checker == model) return r.verdict;
  FAIL("no result for " << model);
  return Verdict::Unknown;
}

std::string with_answer(std::string text, const std::string& hole, const std::string& value) {
  for (std::size_t at = text.find(hole); at != std::string::npos; at = text.find(hole))
    text.replace(at, hole.size(), value);
  return text;
}

}  // namespace

TEST_CASE(
    "causal: swarm seed 17 replayed: under lww n1's clock, 89 ms ahead, hides a client's own "
    "write; with version-vectors nothing is broken") {
  // Seed 17's nemesis sets n1's clock +89.473 ms at 527 ms. At 1010 ms n1
  // writes x=85 (stamp = its clock, 1099 ms); 2.5 ms later the client at n3
  // writes x=86 (stamp 1012 ms), not having seen 85. When 85 arrives at n3
  // it wins on (stamp, node), and the client's next read returns 85: older
  // (in real time) than its own acknowledged write.
  SeedResult lww = run_seed(causal_swarm("lww"), 17);
  CHECK(verdict_of(lww, "session") == Verdict::Invalid);
  CHECK(verdict_of(lww, "causal") == Verdict::Valid);
  // Version-vectors keeps 85 and 86 as siblings: the read returns both.
  SeedResult vv = run_seed(causal_swarm("version-vectors"), 17);
  for (const std::string& checker : kChecks) {
    INFO(checker);
    CHECK(verdict_of(vv, checker) == Verdict::Valid);
  }
}

namespace {

// The checkers' verdicts, by name, on scenario `file` run under causal with
// the given conflict handling.
std::map<std::string, std::string> verdicts_on(const std::string& file,
                                               const std::string& conflict) {
  std::ifstream in(std::string(CONSIM_SOURCE_DIR "/scenarios/") + file);
  nlohmann::json doc = nlohmann::json::parse(in);
  doc["model"] = {{"name", "causal"}, {"params", {{"conflict", conflict}}}};
  doc["trace"] = {{"level", "state"}};
  Scenario s = parse_scenario(doc, file, model_registry());
  auto path = consim::test::temp_trace_path("causal-" + conflict);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  CheckSelection selection;
  selection.checkers = {"causal", "session"};
  nlohmann::json json;
  run_checks(load_history(path.string()), selection, json);
  std::filesystem::remove(path);
  std::map<std::string, std::string> out;
  for (const auto& [checker, result] : json.items()) out[checker] = result["verdict"];
  return out;
}

}  // namespace

TEST_CASE(
    "causal: example-regions replayed: causal memory is broken under lww (as it must be) and "
    "holds with version-vectors") {
  // Under lww, process 3 at us1 reads x=70 after writing y=83, later reads
  // x=84 (which follows p2's y=82) and then y=83: CM needs 82 before 83 and
  // thus x=79 before 70, which p3 read in the other order (CyclicHB).
  // CC and CCv hold: the second proof below shows no convergent
  // single-value store can promise CM as well.
  auto lww = verdicts_on("example-regions.json", "lww");
  CHECK(lww["causal-cm"] == "invalid");
  CHECK(lww["causal-cc"] == "valid");
  CHECK(lww["causal-ccv"] == "valid");
  for (const auto& [checker, verdict] : verdicts_on("example-regions.json", "version-vectors")) {
    INFO(checker);
    CHECK(verdict == "valid");
  }
}

TEST_CASE(
    "causal: 300 swarm seeds of crashes, partitions, pauses and clock skew break no session "
    "guarantee, no causal model (CC, CM, CCv) and no convergence") {
  // Each seed as `consim swarm` runs it; every checker's own verdict is
  // asserted (the swarm's "causal" verdict is CC's alone).
  const Scenario base = causal_swarm("version-vectors");
  const int seeds = consim::test::sweep(300);
  CheckSelection selection;
  selection.checkers = {"causal", "session", "converged", "siblings-kept"};
  std::map<std::string, int> checked;
  for (int seed = 1; seed <= seeds; ++seed) {
    Scenario s = base;
    s.seed = static_cast<std::uint64_t>(seed);
    s.trace_level = TraceLevel::State;
    auto path = consim::test::temp_trace_path("causal-swarm-seed");
    run_scenario(s, registered_model(s.model_name).make, path.string());
    nlohmann::json json;
    run_checks(load_checked_history(path.string()), selection, json);
    std::filesystem::remove(path);
    for (const auto& [checker, result] : json.items()) {
      ++checked[checker];
      CHECK_MESSAGE(result["verdict"] == "valid", "seed " << seed << " fails " << checker);
    }
  }
  for (const char* checker :
       {"causal-cc", "causal-cm", "causal-ccv", "read-your-writes", "monotonic-reads",
        "monotonic-writes", "writes-follow-reads", "converged", "siblings-kept"}) {
    INFO(checker);
    CHECK(checked[checker] == seeds);
  }
}

TEST_CASE(
    "causal: the lww option is caught breaking a session guarantee under clock skew on some "
    "seeds") {
  SwarmOptions o;
  o.seeds = 40;
  o.checkers = {"session"};
  std::uint64_t failed = 0;
  for (const SeedResult& r : run_swarm(causal_swarm("lww"), o))
    failed += r.verdicts.at(0).second == Verdict::Invalid;
  CHECK(failed >= 1);
}

// Proof for (a). Two histories that differ only in the real times of the two
// writes of x; with n1's and n2's clocks skewed by the difference, each node
// sees exactly the same local clock readings and messages in both, so a
// store that answers p1's last read with one value answers the same in
// both. In A, x=1 is older than x=2, so writes-follow-reads (p1 read y=5,
// which p2 wrote after reading 2) demands 2; in B, 2 is older than 1, so
// read-your-writes demands p1's own 1. Each answer is causally consistent
// (CC and CCv) in both, and breaks a session guarantee in one of them.
TEST_CASE(
    "causal, proof: under clock skew no single-value answer passes the real-time session "
    "checkers on two histories a store cannot tell apart") {
  const std::string a = R"(
    p1 w x 1 @0-1
    p2 w x 2 @10-11
    p2 r x 2 @20-21
    p2 w y 5 @30-31
    p1 r y 5 @100-101
    p1 r x ANSWER @110-111)";
  const std::string b = R"(
    p2 w x 2 @0-1
    p1 w x 1 @10-11
    p2 r x 2 @20-21
    p2 w y 5 @30-31
    p1 r y 5 @100-101
    p1 r x ANSWER @110-111)";
  for (const char* answer : {"1", "2"}) {
    INFO("p1 reads x=" << answer);
    const std::string ha = with_answer(a, "ANSWER", answer);
    const std::string hb = with_answer(b, "ANSWER", answer);
    CHECK(session_violations(ha) + session_violations(hb) >= 1);
    for (const std::string& h : {ha, hb}) {
      CHECK(causal_verdict(h, "causal-cc") == Verdict::Valid);
      CHECK(causal_verdict(h, "causal-ccv") == Verdict::Valid);
    }
  }
  CHECK(sessions(with_answer(a, "ANSWER", "1"))[3].violating == 1);  // writes-follow-reads
  CHECK(sessions(with_answer(b, "ANSWER", "2"))[0].violating == 1);  // read-your-writes
}

// Proof for (b). p2 and p3 are on two sides of a partition: each writes,
// then reads the other's key and gets nothing (nothing crossed). After the
// heal each reads the other's last write (a convergent store must deliver
// it), then reads y. Causal memory makes p3 read 82 (79 precedes 82 and p3
// read x as unwritten after writing 83, so 83 comes first in its view) and
// p2 read 83; causal convergence needs one order of 82 and 83 for both. So
// every pair of answers breaks CM or CCv, though each is CC: the causal
// model (convergent, so CCv under lww) cannot also promise CM.
TEST_CASE(
    "causal, proof: no pair of single-value answers is both causal memory and causal "
    "convergence after a partition") {
  const std::string h = R"(
    p3 w z 1
    p3 w y 83
    p2 w x 79
    p2 w y 82
    p3 r x -
    p2 r z -
    p3 w z 2
    p2 w x 84
    p3 r x 84
    p2 r z 2
    p3 r y Y3
    p2 r y Y2)";
  for (const char* y3 : {"82", "83"})
    for (const char* y2 : {"82", "83"}) {
      INFO("p3 reads y=" << y3 << ", p2 reads y=" << y2);
      const std::string text = with_answer(with_answer(h, "Y3", y3), "Y2", y2);
      CHECK(causal_verdict(text, "causal-cc") == Verdict::Valid);
      CHECK((causal_verdict(text, "causal-cm") == Verdict::Invalid ||
             causal_verdict(text, "causal-ccv") == Verdict::Invalid));
    }
}

}  // namespace causal_guarantees_test
