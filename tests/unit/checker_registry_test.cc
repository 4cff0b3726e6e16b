// The checker table (analysis/checkers/checks.h): names the CLI and the
// report accept, the message for a bad one, and that a selection runs only
// the checkers it names. Iterates the table; never pins its length.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "analysis/checkers/checks.h"
#include "tests/unit/history_builder.h"

using consim::checker_list_error;
using consim::checker_names;
using consim::checker_registry;
using consim::parse_checker_list;

namespace checker_registry_test {

TEST_CASE("checker registry: unique names with descriptions; all and none") {
  std::set<std::string_view> seen;
  for (const auto& c : checker_registry()) {
    CAPTURE(c.name);
    CHECK(seen.insert(c.name).second);
    CHECK(!c.description.empty());
    CHECK(static_cast<bool>(c.run));
    CHECK(parse_checker_list(c.name) == std::vector<std::string>{std::string(c.name)});
  }
  CHECK(parse_checker_list("all") == checker_names());
  CHECK(parse_checker_list("none") == std::vector<std::string>{});
}

TEST_CASE("checker registry: a list comes back in table order, each name once") {
  const std::vector<std::string> names = checker_names();
  REQUIRE(names.size() >= 2);
  CHECK(parse_checker_list(names[1] + "," + names[0] + "," + names[1]) ==
        std::vector<std::string>{names[0], names[1]});
}

TEST_CASE("checker registry: a bad name is named, with every valid one") {
  CHECK(!parse_checker_list("linearisable"));
  CHECK(!parse_checker_list(""));
  const std::string message = checker_list_error(checker_names()[0] + ",linearisable");
  CHECK(message.find("unknown checker \"linearisable\"; checkers: ") == 0);
  for (const std::string& name : checker_names()) CHECK(message.find(name) != std::string::npos);
  CHECK(message.find("all or none") != std::string::npos);
  CHECK(checker_list_error("all").empty());
}

TEST_CASE("checker registry: run_checks runs exactly the selected checkers") {
  const consim::History h = consim::testing::build_history("p1 w x 1\np2 r x 1");
  // A checker of another workload (bank) gives no result on a register
  // history: it gets a bank history too.
  consim::History bank;
  bank.bank.emplace();
  for (const auto& c : checker_registry()) {
    CAPTURE(c.name);
    consim::CheckSelection only;
    only.checkers = {std::string(c.name)};
    nlohmann::json alone;
    run_checks(h, only, alone);
    const consim::History& used = alone.empty() ? bank : h;
    if (alone.empty()) run_checks(bank, only, alone);
    CHECK(!alone.empty());
    consim::CheckSelection all;
    all.checkers = checker_names();
    nlohmann::json every;
    run_checks(used, all, every);
    for (const auto& [result, value] : alone.items()) CHECK(every.contains(result));
  }
  consim::CheckSelection none;
  nlohmann::json nothing;
  CHECK(run_checks(h, none, nothing).overall == consim::Verdict::Valid);
  CHECK(nothing.empty());
}

}  // namespace checker_registry_test
