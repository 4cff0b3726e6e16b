// The timeline checker (analysis/checkers/timeline_check.h) on tiny
// hand-made histories read through the trace reader, with known verdicts:
// a comment seen before its post (and the post seen, later, or as a
// sibling), an older post of the poster, a write of another process (not
// judged), a poster missing its own post, the registry's entry, and a
// malformed "answers".
#include "analysis/checkers/timeline_check.h"

#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/checkers/checks.h"
#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "tests/unit/jsonl_fixture.h"

using namespace consim;

namespace timeline_check_test {

namespace {

// Poster process 0 posts 1 on key 0 (lines 1-2); commenter process 1 reads
// it and comments 2 on key 10 answering it (lines 3-6); reader process 2
// reads the comment (lines 7-8) and then key 0, getting `post_read`
// (lines 9-10).
std::string story(const std::string& post_read) {
  return R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"write","key":0,"value":1}
{"type":"ok","time":2,"op":1,"process":0,"f":"write","key":0,"value":1}
{"type":"invoke","time":3,"op":2,"process":1,"f":"read","key":0,"value":null}
{"type":"ok","time":4,"op":2,"process":1,"f":"read","key":0,"value":1}
{"type":"invoke","time":5,"op":3,"process":1,"f":"write","key":10,"value":2,"answers":1}
{"type":"ok","time":6,"op":3,"process":1,"f":"write","key":10,"value":2,"answers":1}
{"type":"invoke","time":7,"op":4,"process":2,"f":"read","key":10,"value":null}
{"type":"ok","time":8,"op":4,"process":2,"f":"read","key":10,"value":2}
{"type":"invoke","time":9,"op":5,"process":2,"f":"read","key":0,"value":null}
{"type":"ok","time":10,"op":5,"process":2,"f":"read","key":0,)" +
         post_read + R"(}
)";
}

TimelineCheck check_text(const std::string& name, const std::string& text) {
  return check_timeline(load_history(testing::write_jsonl(name, text)));
}

}  // namespace

TEST_CASE("timeline: a reader who saw the comment and then its post is valid") {
  TimelineCheck t = check_text("timeline-valid.jsonl", story(R"("value":1)"));
  CHECK(t.result.verdict == Verdict::Valid);
  CHECK(t.comments == 1);
  CHECK(t.comment_reads == 1);
  CHECK(t.post_reads == 1);
  CHECK(t.causal_anomalies == 0);
}

TEST_CASE("timeline: a reader who saw the comment and then no post has a causal anomaly") {
  TimelineCheck t = check_text("timeline-null.jsonl", story(R"("value":null)"));
  REQUIRE(t.result.verdict == Verdict::Invalid);
  CHECK(t.causal_anomalies == 1);
  CHECK(t.post_reads == 1);
  REQUIRE(t.result.violations.size() == 1);
  const Violation& v = t.result.violations[0];
  CHECK(v.checker == "timeline-causal");
  CHECK(v.key == "0");
  // The comment's write, the post's write, the comment read, the post read.
  CHECK(v.ops == std::vector<std::uint64_t>{5, 1, 7, 9});
  CHECK(v.reason ==
        "process 2 read comment 2 (written at line 5, key 10, read at line 7) answering post 1 "
        "(line 1), then read key 0 (line 9) and got nothing: the comment was visible before its "
        "post");
}

TEST_CASE("timeline: an older post of the same poster after the comment is an anomaly") {
  // The poster had posted 7 before 1: a read of 7 after the comment misses 1.
  std::string text = R"(
{"type":"invoke","time":0,"op":9,"process":0,"f":"write","key":0,"value":7}
{"type":"ok","time":0,"op":9,"process":0,"f":"write","key":0,"value":7}
)" + story(R"("value":7)").substr(1);
  TimelineCheck t = check_text("timeline-older.jsonl", text);
  CHECK(t.result.verdict == Verdict::Invalid);
  CHECK(t.causal_anomalies == 1);
}

TEST_CASE(
    "timeline: a later post, a sibling holding the post, or another writer's value is not "
    "judged an anomaly") {
  std::string later = R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"write","key":0,"value":1}
{"type":"ok","time":2,"op":1,"process":0,"f":"write","key":0,"value":1}
{"type":"invoke","time":3,"op":2,"process":1,"f":"read","key":0,"value":null}
{"type":"ok","time":4,"op":2,"process":1,"f":"read","key":0,"value":1}
{"type":"invoke","time":5,"op":3,"process":1,"f":"write","key":10,"value":2,"answers":1}
{"type":"ok","time":6,"op":3,"process":1,"f":"write","key":10,"value":2,"answers":1}
{"type":"invoke","time":7,"op":6,"process":0,"f":"write","key":0,"value":3}
{"type":"ok","time":7,"op":6,"process":0,"f":"write","key":0,"value":3}
{"type":"invoke","time":7,"op":7,"process":3,"f":"write","key":0,"value":4}
{"type":"ok","time":7,"op":7,"process":3,"f":"write","key":0,"value":4}
{"type":"invoke","time":7,"op":4,"process":2,"f":"read","key":10,"value":null}
{"type":"ok","time":8,"op":4,"process":2,"f":"read","key":10,"value":2}
{"type":"invoke","time":9,"op":5,"process":2,"f":"read","key":0,"value":null}
{"type":"ok","time":10,"op":5,"process":2,"f":"read","key":0,"value":3}
{"type":"invoke","time":11,"op":8,"process":2,"f":"read","key":0,"value":null}
{"type":"ok","time":12,"op":8,"process":2,"f":"read","key":0,"value":4}
)";
  TimelineCheck t = check_text("timeline-later.jsonl", later);
  CHECK(t.result.verdict == Verdict::Valid);
  CHECK(t.post_reads == 2);
}

TEST_CASE("timeline: a read whose siblings include the post sees it") {
  std::string text = R"(
{"type":"invoke","time":0,"op":9,"process":5,"f":"write","key":0,"value":7}
{"type":"ok","time":0,"op":9,"process":5,"f":"write","key":0,"value":7}
)" + story(R"("value":7,"siblings":[7,1])").substr(1);
  TimelineCheck t = check_text("timeline-siblings2.jsonl", text);
  CHECK(t.result.verdict == Verdict::Valid);
  CHECK(t.post_reads == 1);
}

TEST_CASE("timeline: a poster that reads its timeline without its post misses its own post") {
  std::string text =
      story(R"("value":1)") +
      R"({"type":"invoke","time":11,"op":6,"process":0,"f":"read","key":0,"value":null}
{"type":"ok","time":12,"op":6,"process":0,"f":"read","key":0,"value":null}
)";
  TimelineCheck t = check_text("timeline-own.jsonl", text);
  REQUIRE(t.result.verdict == Verdict::Invalid);
  CHECK(t.own_post_missed == 1);
  CHECK(t.own_post_reads == 1);
  CHECK(t.causal_anomalies == 0);
  REQUIRE(t.result.violations.size() == 1);
  CHECK(t.result.violations[0].checker == "timeline-own-post");
  CHECK(t.result.violations[0].ops == std::vector<std::uint64_t>{1, 11});
  CHECK(t.result.violations[0].reason ==
        "process 0 wrote post 1 (line 1) to its timeline, then read key 0 (line 11) and got "
        "nothing: it does not see its own post");
}

TEST_CASE("timeline: a poster that reads its own post back is valid") {
  std::string text =
      story(R"("value":1)") +
      R"({"type":"invoke","time":11,"op":6,"process":0,"f":"read","key":0,"value":null}
{"type":"ok","time":12,"op":6,"process":0,"f":"read","key":0,"value":1}
)";
  TimelineCheck t = check_text("timeline-own-ok.jsonl", text);
  CHECK(t.result.verdict == Verdict::Valid);
  CHECK(t.own_post_reads == 1);
}

TEST_CASE("timeline: the registry runs it only on a history with comments") {
  CheckSelection sel;
  sel.checkers = {"timeline"};
  nlohmann::json j;
  History with = load_history(testing::write_jsonl("timeline-reg.jsonl", story("\"value\":null")));
  CheckOutcome out = run_checks(with, sel, j);
  CHECK(out.overall == Verdict::Invalid);
  REQUIRE(j.contains("timeline"));
  CHECK(j["timeline"]["causal_anomalies"] == 1);
  CHECK(j["timeline"]["violations"][0]["checker"] == "timeline-causal");
  History plain = load_history(testing::write_jsonl("timeline-plain.jsonl", R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"write","key":0,"value":1}
{"type":"ok","time":2,"op":1,"process":0,"f":"write","key":0,"value":1}
)"));
  out = run_checks(plain, sel, j);
  CHECK(out.overall == Verdict::Valid);
  CHECK_FALSE(j.contains("timeline"));
}

TEST_CASE("timeline: \"answers\" on a read is an input error naming the line") {
  std::string path = testing::write_jsonl("timeline-bad.jsonl", R"(
{"type":"invoke","time":1,"op":1,"process":0,"f":"read","key":0,"value":null,"answers":3}
)");
  try {
    load_history(path);
    FAIL("expected an input error");
  } catch (const InputError& e) {
    CHECK(std::string(e.what()).find("field \"answers\" belongs to a write") != std::string::npos);
    CHECK(std::string(e.what()).find("line 1") != std::string::npos);
  }
}

}  // namespace timeline_check_test
