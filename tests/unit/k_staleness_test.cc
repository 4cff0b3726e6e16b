// The k_staleness metric: versions behind as a distribution and P(a read
// returns one of the last K versions), on hand-written histories.
#include <doctest/doctest.h>

#include "tests/unit/trace_builder.h"

using consim::testing::TraceBuilder;

namespace k_staleness_test {

TEST_CASE("k-staleness: 7 fresh reads, 2 one behind, 1 three behind (the worked example)") {
  TraceBuilder t;
  for (int v = 1; v <= 4; ++v) t.write(v, "x", v, "n1", 10 * v - 5, 10 * v);
  int op = 10;
  auto read = [&](int value) {
    ++op;
    t.read(op, "x", value, "n2", 50 + op, 51 + op);
  };
  for (int i = 0; i < 7; ++i) read(4);
  read(3);
  read(3);
  read(1);
  const nlohmann::json k = t.run()["k_staleness"];
  CHECK(k["reads"] == 10);
  CHECK(k["unclassified"] == 0);
  CHECK(k["versions_behind"]["histogram"] ==
        nlohmann::json::parse(
            R"([{"behind":0,"count":7},{"behind":1,"count":2},{"behind":3,"count":1}])"));
  CHECK(k["versions_behind"]["p50"] == 0);
  CHECK(k["versions_behind"]["p90"] == 1);
  CHECK(k["versions_behind"]["p99"] == 3);
  CHECK(k["versions_behind"]["max"] == 3);
  CHECK(k["versions_behind"]["mean"].get<double>() == doctest::Approx(0.5));
  const nlohmann::json within = k["within_last"];
  REQUIRE(within.size() == 4);
  CHECK(within[0]["k"] == 1);
  CHECK(within[0]["probability"].get<double>() == doctest::Approx(0.7));
  CHECK(within[1]["probability"].get<double>() == doctest::Approx(0.9));
  CHECK(within[2]["probability"].get<double>() == doctest::Approx(0.9));
  CHECK(within[3]["k"] == 4);
  CHECK(within[3]["probability"] == 1.0);
}

TEST_CASE("k-staleness: a read of a key never written counts 0 behind; no reads gives nulls") {
  TraceBuilder empty;
  empty.write(1, "x", 1, "n1", 0, 1);
  const nlohmann::json none = empty.run()["k_staleness"];
  CHECK(none["reads"] == 0);
  CHECK(none["versions_behind"]["p50"].is_null());
  CHECK(none["within_last"].empty());

  TraceBuilder t;
  t.read(1, "x", std::nullopt, "n1", 0, 1);
  const nlohmann::json k = t.run()["k_staleness"];
  CHECK(k["reads"] == 1);
  CHECK(k["within_last"] == nlohmann::json::parse(R"([{"k":1,"probability":1.0}])"));
}

}  // namespace k_staleness_test
