// The printed summary: one row per phase and the headline figures.
#include "analysis/report/summary_print.h"

#include <doctest/doctest.h>

#include "tests/unit/trace_builder.h"

using consim::format_summary;
using consim::testing::TraceBuilder;

namespace summary_print_test {

namespace {

nlohmann::json partition_report() {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 10);
  t.apply(5, "n1", "x", 1);
  t.apply(6, "n2", "x", 1);
  t.partition(100, "p1", {{"n1"}, {"n2"}});
  t.write(2, "x", 2, "n1", 110, 112);
  t.apply(111, "n1", "x", 2);
  t.read(3, "x", 1, "n2", 150, 151);
  t.heal(200, "p1");
  t.apply(230, "n2", "x", 2);
  t.send(110, "n1", "n2", "replicate", 64);
  t.end(300);
  return t.run();
}

}  // namespace

TEST_CASE("summary: one row per phase with availability, latency and stale share") {
  const std::string text = format_summary(partition_report());
  CAPTURE(text);
  CHECK(text.find("test  model test-model  seed 7  300 ms") == 0);
  CHECK(text.find("before") != std::string::npos);
  CHECK(text.find("during p1") != std::string::npos);
  CHECK(text.find("after p1") != std::string::npos);
  CHECK(text.find("stale reads: 1 of 1 ok reads (100.0%); k mean 1.00 max 1; t p50 38.00 ms") !=
        std::string::npos);
  CHECK(text.find("after heal of p1 at 200 ms: converged in 30.00 ms") != std::string::npos);
  CHECK(text.find("lost acknowledged writes: 0") != std::string::npos);
  CHECK(text.find("{n1} availability 1.000, fresh reads -") != std::string::npos);
  CHECK(text.find("{n2} availability 1.000, fresh reads 0.0%") != std::string::npos);
}

TEST_CASE("summary: messages and bytes per message type") {
  TraceBuilder t;
  t.header["level"] = "full";
  t.write(1, "x", 1, "n1", 0, 10);
  t.send(1, "n1", "n2", "replicate", 64);
  t.send(2, "n1", "n2", "anti-entropy-tree", 33);
  t.send(3, "n2", "n1", "anti-entropy-tree", 45);
  t.end(100);
  const std::string text = format_summary(t.run());
  CAPTURE(text);
  CHECK(text.find("  by type: anti-entropy-tree 2 (78 B), replicate 1 (64 B)\n") !=
        std::string::npos);
}

TEST_CASE("summary: missing sections print as not measured, not as an error") {
  const std::string text = format_summary(nlohmann::json::object());
  CHECK(text.find("convergence: not measured") != std::string::npos);
  CHECK(text.find("lost acknowledged writes: not measured") != std::string::npos);
}

TEST_CASE("summary: model notes with counts, and durations where the notes give them") {
  TraceBuilder t;
  t.header["level"] = "state";
  t.write(1, "x", 1, "n1", 0, 10);
  t.note(2, "n2", "in-doubt");
  t.note(6, "n2", "resolved", TraceBuilder::ms(4));
  t.end(100);
  const std::string text = format_summary(t.run());
  CAPTURE(text);
  CHECK(text.find("model notes: in-doubt 1, resolved 1 (lasted p50 4.00 ms, max 4.00 ms)\n") !=
        std::string::npos);
  CHECK(text.find("messages: not measured: the trace has no network lines") != std::string::npos);
}

TEST_CASE("summary: long phase names are printed whole, the columns aligned to them") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 10);
  t.crash(20, "coordinator crash at the worst moment", "n1");
  t.write(2, "x", 2, "n2", 30, 40);
  t.end(100);
  const std::string text = format_summary(t.run());
  CAPTURE(text);
  CHECK(text.find("during coordinator crash at the worst moment ") != std::string::npos);
  // Every row of the table puts "from ms" in the same column.
  const std::size_t header = text.find("phase ");
  REQUIRE(header != std::string::npos);
  const std::size_t column = text.find("from ms", header) - header;
  const std::size_t during = text.rfind('\n', text.find("during coordinator")) + 1;
  const std::size_t overall = text.find("\noverall") + 1;
  const auto line_end = [&](std::size_t at) { return text.find('\n', at) - at; };
  CHECK(line_end(during) == line_end(header));
  CHECK(line_end(overall) == line_end(header));
  CHECK(column > std::string("during coordinator crash at the worst moment").size());
}

TEST_CASE("summary: a run that never converges says never and how many keys differ") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 10);
  t.apply(5, "n1", "x", 1);
  t.apply(6, "n2", "x", 1);
  t.partition(100, "p1", {{"n1"}, {"n2"}});
  t.write(2, "x", 2, "n1", 110, 112);
  t.apply(111, "n1", "x", 2);
  t.heal(200, "p1");  // n2 never catches up
  t.end(300);
  const std::string text = format_summary(t.run());
  CAPTURE(text);
  CHECK(text.find("after heal of p1 at 200 ms: converged: never: 1 key still differs") !=
        std::string::npos);
  CHECK(text.find("converged in -") == std::string::npos);
  CHECK(text.find("all keys agree: never (1 key differs at the end)") != std::string::npos);
}

TEST_CASE("summary: acknowledged writes in doubt on a crashed node are told apart from lost") {
  TraceBuilder t;
  t.write(1, "x", 1, "n1", 0, 4);
  t.apply(1, "n1", "x", 1);
  t.apply(2, "n2", "x", 1);
  t.write(2, "x", 5, "n1", 10, 14);
  t.apply(13, "n1", "x", 5);
  t.crash(15, "crash n1", "n1");
  t.end(100);
  const std::string text = format_summary(t.run());
  CAPTURE(text);
  CHECK(text.find("lost acknowledged writes: 0") != std::string::npos);
  CHECK(text.find("in doubt at the end (acknowledged, durable on a crashed node, blocked until it "
                  "recovers): 1 (line ") != std::string::npos);
  CHECK(text.find("key x value 5 on n1)") != std::string::npos);
}

}  // namespace summary_print_test
