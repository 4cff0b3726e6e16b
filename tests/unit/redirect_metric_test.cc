// The "redirects" and "groups" report sections on small hand-written traces
// (docs/report.md, "Finding the leader" and "Client groups").
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "analysis/report/analyze.h"
#include "analysis/report/summary_print.h"
#include "base/json_input.h"
#include "tests/unit/jsonl_fixture.h"

using consim::analyze_trace;
using consim::testing::write_jsonl;
using nlohmann::json;

namespace redirect_metric_test {

namespace {

// Op 1 is redirected by n2 and n3 before n1 answers; op 2 goes straight to
// the leader; during the partition op 3 is redirected 7 times and gives up
// (the 8th redirect has "to": null), and op 4 is redirected once and then
// times out at n1.
const char* const kLeaderTrace = R"(
{"type":"header","format":"consim-trace","version":1,"nodes":["n1","n2","n3"]}
{"type":"invoke","time":1000000,"op":1,"process":0,"client":0,"f":"write","key":1,"value":1,"node":"n2"}
{"type":"redirect","time":1300000,"op":1,"node":"n2","hint":"n3","to":"n3"}
{"type":"redirect","time":1900000,"op":1,"node":"n3","hint":"n1","to":"n1"}
{"type":"ok","time":2500000,"op":1,"process":0,"client":0,"f":"write","key":1,"value":1,"node":"n1"}
{"type":"invoke","time":3000000,"op":2,"process":0,"client":0,"f":"read","key":1,"value":null,"node":"n1"}
{"type":"ok","time":4000000,"op":2,"process":0,"client":0,"f":"read","key":1,"value":1,"node":"n1"}
{"type":"fault","time":4500000,"fault":"p","kind":"partition","edge":"begin","action":"partition","label":"p: n1 | n2,n3","sides":[["n1"],["n2","n3"]]}
{"type":"invoke","time":5000000,"op":3,"process":0,"client":0,"f":"write","key":2,"value":2,"node":"n2"}
{"type":"redirect","time":5100000,"op":3,"node":"n2","hint":null,"to":"n3"}
{"type":"redirect","time":5200000,"op":3,"node":"n3","hint":null,"to":"n2"}
{"type":"redirect","time":5300000,"op":3,"node":"n2","hint":null,"to":"n3"}
{"type":"redirect","time":5400000,"op":3,"node":"n3","hint":null,"to":"n2"}
{"type":"redirect","time":5500000,"op":3,"node":"n2","hint":null,"to":"n3"}
{"type":"redirect","time":5600000,"op":3,"node":"n3","hint":null,"to":"n2"}
{"type":"redirect","time":5700000,"op":3,"node":"n2","hint":null,"to":"n3"}
{"type":"redirect","time":5800000,"op":3,"node":"n3","hint":null,"to":null}
{"type":"fail","time":5800000,"op":3,"process":0,"client":0,"f":"write","key":2,"value":2,"node":"n3","reason":"no leader found after 7 redirects"}
{"type":"invoke","time":10000000,"op":4,"process":0,"client":0,"f":"read","key":2,"value":null,"node":"n2"}
{"type":"redirect","time":10500000,"op":4,"node":"n2","hint":"n1","to":"n1"}
{"type":"info","time":20000000,"op":4,"process":0,"client":0,"f":"read","key":2,"value":null,"node":"n1","reason":"timeout"}
{"type":"end","time":30000000,"events":40}
)";

json analyze(const std::string& name, const std::string& text) {
  consim::AnalyzeOptions options;
  options.checkers = std::vector<std::string>{};
  return analyze_trace(write_jsonl(name, text), options);
}

}  // namespace

TEST_CASE("redirects: counted per operation, with the time each spent finding the leader") {
  json r = analyze("redirects.jsonl", kLeaderTrace)["redirects"];
  CHECK(r["redirects"] == 11);
  CHECK(r["operations_redirected"] == 3);
  CHECK(r["gave_up"] == 1);
  CHECK(r["unresolved"] == 1);
  CHECK(r["per_operation"]["max"] == 8);
  CHECK(r["per_operation"]["mean"].get<double>() == doctest::Approx(11.0 / 3.0));
  // Op 1: 1.0 ms to 1.9 ms; op 3 gave up; nobody answered op 4.
  CHECK(r["leader_search_ms"]["count"] == 1);
  CHECK(r["leader_search_ms"]["p50"].get<double>() == doctest::Approx(0.9));
  CHECK(r["phases"] == json::parse(R"([
    {"phase": "before", "redirects": 2, "operations_redirected": 1, "gave_up": 0, "unresolved": 0},
    {"phase": "during p", "redirects": 9, "operations_redirected": 2, "gave_up": 1,
     "unresolved": 1}])"));
}

TEST_CASE("redirects: a trace without redirect lines reports zeros and no search time") {
  json r = analyze("no-redirects.jsonl", R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"read","key":1,"value":null}
{"type":"ok","time":2,"op":1,"process":0,"f":"read","key":1,"value":null}
)")["redirects"];
  CHECK(r["redirects"] == 0);
  CHECK(r["operations_redirected"] == 0);
  CHECK(r["per_operation"]["mean"].is_null());
  CHECK(r["leader_search_ms"]["count"] == 0);
  CHECK(r["leader_search_ms"]["p50"].is_null());
}

TEST_CASE("redirects: a redirect line without its op or node is bad input naming the line") {
  auto error = [](const std::string& name, const std::string& text) {
    try {
      analyze(name, text);
    } catch (const consim::InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  const std::string path = write_jsonl("bad-redirect.jsonl", "");
  CHECK(error("bad-redirect.jsonl", R"(
{"type":"redirect","time":1,"node":"n2","hint":null,"to":"n1"}
)") == path + ": line 1: \"redirect\" line is missing required field \"op\"");
  CHECK(error("bad-redirect.jsonl", R"(
{"type":"redirect","time":1,"op":1,"node":"n2","hint":3,"to":"n1"}
)") == path + ": line 1: field \"hint\" must be a string, got a number 3");
}

TEST_CASE("groups: operations and stale reads are counted per client group of the header") {
  // Writers (client 0) at n1; readers (clients 1, 2) at n2. Client 2's read
  // at 30 ms returns 1 although 2 was acknowledged at 20 ms: stale.
  json g = analyze("groups.jsonl", R"(
{"type":"header","format":"consim-trace","version":1,"nodes":["n1","n2"],"groups":[{"name":"writers","first_client":0,"count":1,"nodes":["n1"]},{"name":"readers","first_client":1,"count":2,"nodes":["n2"]}]}
{"type":"invoke","time":0,"op":1,"process":0,"client":0,"f":"write","key":1,"value":1,"node":"n1"}
{"type":"ok","time":10000000,"op":1,"process":0,"client":0,"f":"write","key":1,"value":1,"node":"n1"}
{"type":"invoke","time":15000000,"op":2,"process":0,"client":0,"f":"write","key":1,"value":2,"node":"n1"}
{"type":"ok","time":20000000,"op":2,"process":0,"client":0,"f":"write","key":1,"value":2,"node":"n1"}
{"type":"invoke","time":25000000,"op":3,"process":1,"client":1,"f":"read","key":1,"value":null,"node":"n2"}
{"type":"ok","time":26000000,"op":3,"process":1,"client":1,"f":"read","key":1,"value":2,"node":"n2"}
{"type":"invoke","time":30000000,"op":4,"process":5,"f":"read","key":1,"value":null,"node":"n2"}
{"type":"ok","time":31000000,"op":4,"process":5,"f":"read","key":1,"value":1,"node":"n2"}
)")["groups"]["groups"];
  REQUIRE(g.size() == 2);
  CHECK(g[0]["name"] == "writers");
  CHECK(g[0]["clients"] == json::array({0, 0}));
  CHECK(g[0]["ops"]["write"]["ok"] == 2);
  CHECK(g[0]["ops"]["read"]["ok"] == 0);
  CHECK(g[0]["staleness"]["reads_ok"] == 0);
  CHECK(g[1]["name"] == "readers");
  CHECK(g[1]["clients"] == json::array({1, 2}));
  // Op 4 has no "client": process 5 mod 3 clients = client 2, a reader.
  CHECK(g[1]["ops"]["read"]["ok"] == 2);
  CHECK(g[1]["staleness"]["reads_ok"] == 2);
  CHECK(g[1]["staleness"]["stale"] == 1);
}

TEST_CASE("groups: a trace without groups in its header has an empty groups section") {
  json g = analyze("no-groups.jsonl", R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"read","key":1,"value":null}
{"type":"ok","time":2,"op":1,"process":0,"f":"read","key":1,"value":null}
)")["groups"];
  CHECK(g == json{{"groups", json::array()}});
}

TEST_CASE("summary: a line for the redirects and one per client group") {
  std::string text = consim::format_summary(analyze("redirects-summary.jsonl", kLeaderTrace));
  CHECK(text.find("redirects: 11 (3 operations, 1 gave up, 1 unresolved), leader search p50/p99 "
                  "0.90/0.90 ms\n") != std::string::npos);
  CHECK(text.find("group ") == std::string::npos);  // no groups in this header
  json report = analyze("groups-summary.jsonl", R"(
{"type":"header","nodes":["n1","n2"],"groups":[{"name":"readers","first_client":0,"count":2,"nodes":["n2"]}]}
{"type":"invoke","time":0,"op":1,"process":0,"client":0,"f":"read","key":1,"value":null,"node":"n2"}
{"type":"ok","time":1000000,"op":1,"process":0,"client":0,"f":"read","key":1,"value":null,"node":"n2"}
)");
  text = consim::format_summary(report);
  CHECK(text.find("group readers (clients 0-1 at n2): 1 ops, availability 1.000, stale reads 0 of "
                  "1 (0.0%)\n") != std::string::npos);
  CHECK(text.find("redirects:") == std::string::npos);
}

TEST_CASE("groups: a hand-written header with odd group entries is read as far as it makes sense") {
  json g = analyze("odd-groups.jsonl", R"(
{"type":"header","groups":[{"name":5,"first_client":0,"count":1,"nodes":["n1",7]},{"first_client":9,"count":1},"x"]}
{"type":"invoke","time":1,"op":1,"process":0,"client":0,"f":"read","key":1,"value":null}
{"type":"ok","time":2,"op":1,"process":0,"client":0,"f":"read","key":1,"value":null}
)")["groups"]["groups"];
  REQUIRE(g.size() == 1);
  CHECK(g[0]["name"] == "");
  CHECK(g[0]["nodes"] == json::array({"n1"}));
  CHECK(g[0]["ops"]["read"]["ok"] == 1);
}

}  // namespace redirect_metric_test
