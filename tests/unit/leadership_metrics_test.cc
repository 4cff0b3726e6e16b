// The failover and elections sections of report.json and the timeline's
// leader intervals (analysis/metrics/failover.cc, elections.cc, roles.h), on
// hand-written traces with role lines; and what a trace without role lines
// reports (nothing new). Times in milliseconds, as the report gives them.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "analysis/report/analyze.h"
#include "base/json_input.h"
#include "tests/unit/jsonl_fixture.h"
#include "tests/unit/trace_builder.h"

using consim::testing::TraceBuilder;
using nlohmann::json;

namespace {

// Async primary-backup: n1 is primary in epoch 1 and acknowledges x=2,
// which reaches no backup; n1 crashes at 10 ms; n2 is promoted at 12.5 ms
// and acknowledges a write at 14.25 ms; n1 restarts as a backup and takes
// n2's state, so x=2 is gone.
const char* const kPrimaryCrash = R"(
{"type":"header","format":"consim-trace","version":1,"scenario":"pb-crash","seed":1,"model":"primary-backup","nodes":["n1","n2","n3"],"duration":20000000,"level":"state"}
{"type":"role","time":0,"node":"n1","role":"primary","term":1}
{"type":"role","time":0,"node":"n2","role":"backup","term":1}
{"type":"role","time":0,"node":"n3","role":"backup","term":1}
{"type":"invoke","time":1000000,"op":1,"process":0,"client":0,"f":"write","key":1,"value":1,"node":"n1"}
{"type":"apply","time":1500000,"node":"n1","key":1,"value":1}
{"type":"apply","time":1800000,"node":"n2","key":1,"value":1}
{"type":"apply","time":1800000,"node":"n3","key":1,"value":1}
{"type":"ok","time":2000000,"op":1,"process":0,"client":0,"f":"write","key":1,"value":1,"node":"n1"}
{"type":"invoke","time":4000000,"op":2,"process":0,"client":0,"f":"write","key":1,"value":2,"node":"n1"}
{"type":"apply","time":4200000,"node":"n1","key":1,"value":2}
{"type":"ok","time":4500000,"op":2,"process":0,"client":0,"f":"write","key":1,"value":2,"node":"n1"}
{"type":"fault","time":10000000,"fault":"crash 1","kind":"crash","edge":"begin","action":"crash","label":"crash 1: crash n1","node":"n1","down":true}
{"type":"role","time":12500000,"node":"n2","role":"primary","term":2}
{"type":"invoke","time":13000000,"op":3,"process":0,"client":0,"f":"write","key":2,"value":3,"node":"n2"}
{"type":"apply","time":14000000,"node":"n2","key":2,"value":3}
{"type":"apply","time":14100000,"node":"n3","key":2,"value":3}
{"type":"ok","time":14250000,"op":3,"process":0,"client":0,"f":"write","key":2,"value":3,"node":"n2"}
{"type":"fault","time":16000000,"fault":"crash 1","kind":"crash","edge":"end","action":"restart","label":"crash 1: restart n1","node":"n1","down":true}
{"type":"role","time":16000000,"node":"n1","role":"backup","term":2}
{"type":"apply","time":16500000,"node":"n1","key":1,"value":1}
{"type":"apply","time":16600000,"node":"n1","key":2,"value":3}
{"type":"end","time":20000000,"events":100}
)";

json primary_crash_report() {
  return consim::analyze_trace(consim::testing::write_jsonl("primary-crash.jsonl", kPrimaryCrash));
}

// n1 is primary; a partition isolates it at 10 ms; n2 becomes primary at
// 13 ms and acknowledges x=6 at 16 ms; n1, not fenced, acknowledges x=7 at
// 17 ms; after the heal at 20 ms n1 steps down (21 ms) and takes x=6.
TraceBuilder split_brain() {
  TraceBuilder t;
  t.role(0, "n1", "primary", 1).role(0, "n2", "backup", 1).role(0, "n3", "backup", 1);
  t.partition(10, "split", {{"n1"}, {"n2", "n3"}});
  t.role(13, "n2", "primary", 2);
  t.write(1, "x", 6, "n2", 15, 16).apply(15.5, "n2", "x", 6).apply(15.5, "n3", "x", 6);
  t.write(2, "x", 7, "n1", 16.5, 17).apply(16.8, "n1", "x", 7);
  t.heal(20, "split");
  t.role(21, "n1", "backup", 2).apply(21.5, "n1", "x", 6);
  t.end(30);
  return t;
}

}  // namespace

TEST_CASE(
    "failover: a primary crash followed by a promotion gives the exact unavailability window") {
  const json report = primary_crash_report();
  const json& f = report["failover"];
  REQUIRE(f["available"] == true);
  REQUIRE(f["failures"].size() == 1);
  const json& crash = f["failures"][0];
  CHECK(crash["fault"] == "crash 1");
  CHECK(crash["kind"] == "crash");
  CHECK(crash["at_ms"] == 10.0);
  CHECK(crash["node"] == "n1");
  CHECK(crash["role"] == "primary");
  CHECK(crash["term"] == 1);
  CHECK(
      crash["new_leader"] ==
      json({{"node", "n2"}, {"role", "primary"}, {"term", 2}, {"at_ms", 12.5}, {"after_ms", 2.5}}));
  CHECK(crash["recovered"] == true);
  CHECK(crash["unavailable_ms"] == 4.25);  // 10 ms to the ack at 14.25 ms
  CHECK(f["failovers"] == 1);
  CHECK(f["two_leaders"]["total_ms"] == 0.0);
  CHECK(f["leader_ms"] == json({{"n1", 10.0}, {"n2", 7.5}}));
}

TEST_CASE("failover: the write the old primary acknowledged but never replicated is lost in it") {
  const json report = primary_crash_report();
  CHECK(report["lost_writes"]["count"] == 1);
  CHECK(report["failover"]["failures"][0]["lost_writes"] == 1);
  CHECK(report["failover"]["lost_writes"] == json({{"in_failures", 1}, {"not_attributed", 0}}));
}

TEST_CASE("elections: a promotion after a crash is a second term, with 2.5 ms without a leader") {
  const json report = primary_crash_report();
  const json& e = report["elections"];
  CHECK(e["available"] == true);
  CHECK(e["elections"] == 2);
  CHECK(e["candidacies"] == 0);
  CHECK(e["highest_term"] == 2);
  CHECK(e["leaderless"] ==
        json({{"total_ms", 2.5},
              {"count", 1},
              {"listed", json::array({{{"start_ms", 10.0}, {"end_ms", 12.5}}})}}));
  CHECK(e["terms_with_two_leaders"] == json::array());
}

TEST_CASE("timeline: the intervals in which each node believed it was primary, for the charts") {
  const json timeline = split_brain().run()["timeline"];
  const json& leaders = timeline["leaders"];
  CHECK(
      leaders ==
      json::array(
          {{{"node", "n1"}, {"role", "primary"}, {"term", 1}, {"start_ms", 0.0}, {"end_ms", 21.0}},
           {{"node", "n2"},
            {"role", "primary"},
            {"term", 2},
            {"start_ms", 13.0},
            {"end_ms", nullptr}}}));
  // When both acted as primary: what the chart hatches.
  CHECK(timeline["two_leaders"] == json::array({{13.0, 21.0}}));
}

TEST_CASE("failover: a partition that isolates the primary gives two primaries from 13 to 21 ms") {
  const json report = split_brain().run();
  const json& f = report["failover"];
  REQUIRE(f["failures"].size() == 1);
  const json& split = f["failures"][0];
  CHECK(split["fault"] == "split");
  CHECK(split["node"] == "n1");
  CHECK(split["new_leader"]["node"] == "n2");
  CHECK(split["new_leader"]["after_ms"] == 3.0);
  CHECK(split["unavailable_ms"] == 6.0);  // the first write acknowledged after it, at 16 ms
  CHECK(f["two_leaders"] ==
        json({{"total_ms", 8.0},
              {"count", 1},
              {"listed",
               json::array({{{"start_ms", 13.0}, {"end_ms", 21.0}, {"nodes", {"n1", "n2"}}}})}}));
  // x=7, acknowledged by the deposed primary after x=6, is lost at the heal.
  CHECK(report["lost_writes"]["count"] == 1);
  CHECK(split["lost_writes"] == 1);
  // Two epochs, one primary each: split brain is not two leaders in one term.
  CHECK(report["elections"]["terms_with_two_leaders"] == json::array());
  CHECK(report["elections"]["leaderless"]["total_ms"] == 0.0);
}

TEST_CASE("failover: a partition that leaves the leader with a majority is no failure of it") {
  TraceBuilder t;
  t.role(0, "n1", "leader", 1);
  t.partition(5, "minority out", {{"n1", "n2", "n3"}, {"n4", "n5"}});
  t.heal(6, "minority out");
  t.partition(7, "bridge", {{"n1", "n2"}, {"n2", "n3", "n4", "n5"}});  // n1 reaches 2 of 5
  t.end(10);
  const json failures = t.run()["failover"]["failures"];
  REQUIRE(failures.size() == 1);
  CHECK(failures[0]["fault"] == "bridge");
}

TEST_CASE("elections: terms, candidacies, time without a leader and a term with two leaders") {
  TraceBuilder t;
  t.role(0, "n1", "candidate", 1).role(1, "n1", "leader", 1);
  t.crash(10, "crash n1", "n1");
  t.role(12, "n2", "candidate", 2).role(12.2, "n3", "candidate", 2);
  t.role(13, "n3", "leader", 2).role(13.1, "n2", "follower", 2);
  t.role(20, "n2", "candidate", 3).role(21, "n2", "leader", 3);
  t.role(22, "n3", "follower", 3);
  t.restart(30, "crash n1", "n1").role(30, "n1", "follower", 3);
  t.role(31, "n1", "leader", 3);  // a second leader in term 3: a safety violation
  t.end(40);
  const json report = t.run();
  const json& e = report["elections"];
  CHECK(e["elections"] == 3);
  CHECK(e["candidacies"] == 4);
  CHECK(e["highest_term"] == 3);
  CHECK(e["leaderless"]["total_ms"] == 3.0);  // 10 to 13 ms; none before the first leader
  CHECK(e["leaderless"]["count"] == 1);
  CHECK(e["terms_with_two_leaders"] == json::array({{{"term", 3}, {"nodes", {"n2", "n1"}}}}));
  // n3 (term 2) and n2 (term 3) from 21 to 22 ms; n2 and n1 from 31 ms to the end.
  const json& two = report["failover"]["two_leaders"];
  CHECK(two["total_ms"] == 10.0);
  CHECK(two["count"] == 2);
  CHECK(two["listed"][1] ==
        json({{"start_ms", 31.0}, {"end_ms", nullptr}, {"nodes", {"n1", "n2"}}}));
}

TEST_CASE("elections: a paused leader does not act, so its pause is time without a leader") {
  TraceBuilder t;
  t.role(0, "n1", "leader", 1);
  t.pause(5, "nap", "n1");
  t.role(6, "n2", "leader", 2);
  t.resume(9, "nap", "n1");
  t.role(9.5, "n1", "follower", 2);
  t.end(10);
  const json report = t.run();
  CHECK(report["elections"]["leaderless"]["total_ms"] == 1.0);
  CHECK(report["failover"]["two_leaders"]["total_ms"] == 0.5);  // n1 woke up still leading
  const json& nap = report["failover"]["failures"][0];
  CHECK(nap["kind"] == "pause");
  CHECK(nap["new_leader"]["after_ms"] == 1.0);
  CHECK(nap["recovered"] == false);  // no write at all: the window lasts to the end
  CHECK(nap["unavailable_ms"] == 5.0);
  CHECK(report["failover"]["leader_ms"] == json({{"n1", 9.5}, {"n2", 4.0}}));
}

TEST_CASE("elections: stale reads during a clock fault are counted (lease reads under drift)") {
  TraceBuilder t;
  t.role(0, "n1", "leader", 1);
  t.write(1, "x", 1, "n1", 1, 2);
  t.read(2, "x", std::nullopt, "n1", 3, 4);  // fresh
  t.clock(5, "drift", "n1");
  t.write(3, "x", 2, "n1", 6, 7);
  t.read(4, "x", 1, "n1", 8, 9);    // stale: x=2 was acknowledged at 7 ms
  t.read(5, "x", 2, "n1", 10, 11);  // fresh
  t.end(20);
  const json report = t.run();
  CHECK(report["elections"]["stale_reads_during_clock_faults"] ==
        json({{"reads_ok", 2}, {"stale", 1}, {"stale_rate", 0.5}}));
}

TEST_CASE("leadership: a trace without role lines reports no failover, no elections, no leaders") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 2);
  t.crash(10, "crash n1", "n1");
  t.end(20);
  const json report = t.run();
  const json absent = {{"available", false},
                       {"reason", "the trace has no role lines (the model elects no leader)"}};
  CHECK(report["failover"] == absent);
  CHECK(report["elections"] == absent);
  CHECK(!report["timeline"].contains("leaders"));
  const std::string summary = consim::report_summary_text(report);
  CHECK(summary.find("failover") == std::string::npos);
  CHECK(summary.find("elections") == std::string::npos);
  const std::string table = consim::comparison_text({report});
  CHECK(table.find("leadership") == std::string::npos);
  CHECK(!consim::comparison_json({report})["models"][0].contains("failover"));
}

TEST_CASE("summary: the failover and elections lines of a primary crash") {
  const std::string summary = consim::report_summary_text(primary_crash_report());
  CHECK(summary.find("failover: 1 of 1 failure of the leader gave a new leader; acknowledged "
                     "writes lost in them 1, elsewhere 0\n"
                     "  crash 1 hit n1 (primary, term 1) at 10 ms: new leader n2 (term 2) after "
                     "2.50 ms, unavailable 4.25 ms, acknowledged writes lost: 1\n"
                     "two leaders at once: 0.00 ms in 0 intervals\n"
                     "elections: 2 terms with a leader, 0 candidacies, highest term 2; no leader "
                     "for 2.50 ms in 1 interval; terms with two leaders: none\n") !=
        std::string::npos);
}

TEST_CASE("compare: a leadership table for the runs with role lines only") {
  json leader = primary_crash_report();
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 2).end(20);
  json plain = t.run();
  plain["model"] = "eventual-async";
  const std::string table = consim::comparison_text({plain, leader});
  const auto at = table.find("leadership (models that announce roles):\n");
  REQUIRE(at != std::string::npos);
  const std::string rest = table.substr(at);
  CHECK(rest.find("model           failovers  max unavail ms  lost in failover  2-leader ms  "
                  "elections  no-leader ms  2-leader terms\n"
                  "primary-backup  1/1        4.2             1                 0.0          "
                  "2          2.5           0\n") != std::string::npos);
  CHECK(rest.find("eventual-async") == std::string::npos);
}

TEST_CASE("compare: a failure with no write acknowledged after it shows its window with a +") {
  TraceBuilder t;
  t.header["model"] = "leader-lease";
  t.role(0, "n1", "leader", 1).pause(5, "nap", "n1").role(6, "n2", "leader", 2).end(10);
  const std::string table = consim::comparison_text({primary_crash_report(), t.run()});
  CHECK(table.find("\nleader-lease    1/1        5.0+            -                 0.0          "
                   "2          1.0           0\n") != std::string::npos);
}

TEST_CASE("role lines: a role line without a role or with a bad term is bad input, named") {
  const auto message_of = [](const std::string& name, const std::string& line) {
    try {
      consim::analyze_trace(consim::testing::write_jsonl(name, line + "\n"));
    } catch (const consim::InputError& e) {
      return e.path() + ": " + e.message();
    }
    return std::string("no error");
  };
  CHECK(message_of("role-missing.jsonl", R"({"type":"role","time":0,"node":"n1","term":1})") ==
        "line 1: \"role\" line is missing required field \"role\"");
  CHECK(message_of("role-term-string.jsonl",
                   R"({"type":"role","time":0,"node":"n1","role":"leader","term":"3"})") ==
        "line 1: field \"term\" must be a 64-bit integer, got a string 3");
  CHECK(message_of("role-term-negative.jsonl",
                   R"({"type":"role","time":0,"node":"n1","role":"leader","term":-1})") ==
        "line 1: field \"term\" must not be negative, got -1");
}
