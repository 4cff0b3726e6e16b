// Terminal tables keep their columns aligned whatever the names: `consim
// list` (base/text_table.h) and the comparison table, with a model name
// longer than any registered today.
#include <doctest/doctest.h>

#include <sstream>

#include "analysis/report/analyze.h"
#include "base/text_table.h"
#include "tests/unit/trace_builder.h"

using namespace consim;

namespace tables_test {

namespace {

const std::string kLongName = "primary-backup-with-chain-replication";

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

nlohmann::json report_of(const std::string& model) {
  testing::TraceBuilder t;
  t.header["model"] = model;
  t.write(1, "x", 1, "n1", 0, 10);
  t.apply(5, "n1", "x", 1);
  t.partition(100, "p1", {{"n1"}, {"n2"}});
  t.read(2, "x", 1, "n2", 150, 151);
  t.heal(200, "p1");
  t.end(300);
  return t.run();
}

}  // namespace

TEST_CASE("tables: list descriptions start in one column, however long a name") {
  std::string text = name_list({{"causal", "a"}, {kLongName, "b"}, {"x", "c"}});
  auto lines = lines_of(text);
  REQUIRE(lines.size() == 3);
  const std::size_t column = 2 + kLongName.size() + 1;
  CHECK(lines[0] == "  " + pad_right("causal", kLongName.size()) + " a");
  for (const auto& line : lines) CHECK(line.size() == column + 1);
  CHECK(lines[1] == "  " + kLongName + " b");
}

TEST_CASE("tables: the comparison's model column fits the longest model name") {
  std::string text = comparison_text({report_of("causal"), report_of(kLongName)});
  auto lines = lines_of(text);
  std::size_t header = 0;
  while (header < lines.size() && lines[header].rfind("model", 0) != 0) ++header;
  REQUIRE(header < lines.size());
  const std::size_t phase_column = lines[header].find(" phase") + 1;
  CHECK(phase_column == kLongName.size() + 1);
  int rows = 0;
  for (std::size_t i = header + 1; i < lines.size() && lines[i].rfind("latency in ms", 0) != 0;
       ++i) {
    if (lines[i].empty()) continue;
    CAPTURE(lines[i]);
    REQUIRE(lines[i].size() > phase_column);
    CHECK(lines[i][phase_column - 1] == ' ');
    CHECK(lines[i][phase_column] != ' ');  // every row's phase starts in the column
    ++rows;
  }
  CHECK(rows >= 4);  // before, during, after for each model
  CHECK(text.find("\n" + kLongName + " ") != std::string::npos);  // never cut
}

}  // namespace tables_test
