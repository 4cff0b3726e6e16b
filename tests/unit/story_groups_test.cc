// Client groups: "write to the master, read from the slaves" as a scenario.
// Each group binds its own clients to its own nodes and runs the top-level
// workload with its own keys over it; the older client forms keep their
// bytes; bad group input names the file and the JSON path.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "base/json_input.h"
#include "story_support.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_groups_test {

namespace {

// Writers at n1 (writes only), readers at n2 and n3 (reads only, closed loop
// with their own think time), on eventual-async.
json master_slave(json writers_workload = {{"read_fraction", 0}},
                  json readers_workload = {{"read_fraction", 1}}) {
  json doc = base_scenario("eventual-async", 3, {"n1"});
  doc["duration"] = "1s";
  doc["clients"] = json::array(
      {{{"name", "writers"}, {"count", 2}, {"nodes", {"n1"}}, {"workload", writers_workload}},
       {{"name", "readers"},
        {"count", 3},
        {"nodes", {"n2", "n3"}},
        {"workload", readers_workload}}});
  return doc;
}

Scenario load(const json& doc) { return parse_scenario(doc, "groups.json", model_registry()); }

std::string error_of(const json& doc) {
  try {
    load(doc);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

// The op lines of a trace with the header's fields removed: what the
// clients did, whatever the header says.
std::vector<json> ops_of(const std::vector<json>& lines) {
  std::vector<json> out;
  for (const auto& l : lines)
    if (l["type"] == "invoke" || l["type"] == "ok" || l["type"] == "fail" || l["type"] == "info")
      out.push_back(l);
  return out;
}

}  // namespace

TEST_CASE("groups: writers at the primary only write and readers at the backups only read") {
  auto lines = run_story(master_slave(), "groups-ms");
  std::size_t writes = 0, reads = 0;
  for (const auto& op : of_type(lines, "invoke")) {
    const int client = op["client"];
    if (client < 2) {
      CHECK(op["f"] == "write");
      CHECK(op["node"] == "n1");
      ++writes;
    } else {
      CHECK(op["f"] == "read");
      CHECK(op["node"] == (client % 2 == 0 ? "n2" : "n3"));  // clients 2, 4 on n2; 3 on n3
      ++reads;
    }
  }
  CHECK(writes > 50);
  CHECK(reads > 50);
}

TEST_CASE("groups: the trace header names each group with its clients and nodes") {
  auto header = run_story(master_slave(), "groups-header")[0];
  CHECK(header["groups"] == json::parse(R"([
    {"name": "writers", "first_client": 0, "count": 2, "nodes": ["n1"]},
    {"name": "readers", "first_client": 2, "count": 3, "nodes": ["n2", "n3"]}])"));
}

TEST_CASE("groups: a group's workload replaces only the keys it gives, loop kind included") {
  json doc = master_slave({{"rate", 50}, {"timeout", "50ms"}},
                          {{"cas_fraction", 0.25}, {"stop", "800ms"}});
  doc["workload"]["read_fraction"] = 0.7;
  doc["workload"]["retries"] = 2;
  Scenario s = load(doc);
  REQUIRE(s.groups.size() == 2);
  const WorkloadSpec& writers = s.groups[0].workload;
  CHECK(writers.loop == LoopKind::Open);
  CHECK(writers.rate_per_second == 50);
  CHECK(writers.timeout == ms(50));
  CHECK(writers.read_fraction == doctest::Approx(0.7));  // from the top level
  CHECK(writers.retries == 2);
  const WorkloadSpec& readers = s.groups[1].workload;
  CHECK(readers.loop == LoopKind::Closed);
  CHECK(readers.cas_fraction == doctest::Approx(0.25));
  CHECK(readers.read_fraction == doctest::Approx(0.7));
  CHECK(readers.stop == ms(800));
  CHECK(readers.timeout == ms(200));           // the top level's
  CHECK(s.workload.loop == LoopKind::Closed);  // the top level is untouched
  CHECK(s.workload.cas_fraction == 0);
  CHECK(&s.workload_of(1) == &s.groups[0].workload);
  CHECK(&s.workload_of(4) == &s.groups[1].workload);
}

TEST_CASE("groups: an open-loop writer group runs at its own rate beside closed-loop readers") {
  // 2 writers at 50 operations a second for 1 s: about 100 writes.
  auto lines = run_story(master_slave({{"read_fraction", 0}, {"rate", 50}}), "groups-open");
  std::size_t writes = 0;
  for (const auto& op : of_type(lines, "invoke"))
    if (op["f"] == "write") ++writes;
  CHECK(writes > 70);
  CHECK(writes < 130);
}

TEST_CASE("groups: unnamed groups are named by their position") {
  json doc = master_slave();
  doc["clients"][0].erase("name");
  doc["clients"][1].erase("name");
  Scenario s = load(doc);
  CHECK(s.groups[0].name == "group 0");
  CHECK(s.groups[1].name == "group 1");
}

TEST_CASE("groups: one group in a list runs the same operations as the same group as an object") {
  json object = base_scenario("eventual-async", 3, {});
  object["duration"] = "500ms";
  object["clients"] = {{"count", 4}, {"nodes", {"n1", "n2"}}, {"fallback", {"n3"}}};
  json list = object;
  list["clients"] = json::array({object["clients"]});
  auto a = run_story(object, "groups-object");
  auto b = run_story(list, "groups-list");
  CHECK_FALSE(a[0].contains("groups"));
  CHECK(b[0].contains("groups"));
  CHECK(ops_of(a) == ops_of(b));
}

TEST_CASE("groups: the older client forms give no groups and the same clients as before") {
  json doc = base_scenario("eventual-async", 3, {"n1", "n2"});
  Scenario list = load(doc);
  CHECK(list.groups.empty());
  REQUIRE(list.clients.size() == 2);
  CHECK(&list.workload_of(1) == &list.workload);
  doc["clients"] = {{"count", 3}};
  Scenario group = load(doc);
  CHECK(group.groups.empty());
  CHECK(group.clients.size() == 3);
}

TEST_CASE("groups: bad group input names the file, the JSON path and the problem") {
  auto with_clients = [](json clients) {
    json doc = master_slave();
    doc["clients"] = std::move(clients);
    return error_of(doc);
  };
  CHECK(with_clients(json::parse(R"([{"count": 1}, {"node": "n1"}])")) ==
        "groups.json: $.clients[1]: a list holds clients {\"node\": ...} or groups {\"count\": "
        "...}, not both: $.clients[0] is a group, this is a client");
  CHECK(with_clients(json::parse(R"([{"nodes": ["n1"]}])")) ==
        "groups.json: $.clients[0]: expected a client {\"node\": ...} or a group {\"count\": ...}: "
        "give \"node\" or \"count\"");
  CHECK(with_clients(json::parse(R"([{"count": 1, "name": "a"}, {"count": 1, "name": "a"}])")) ==
        "groups.json: $.clients[1].name: duplicate group name \"a\" (also $.clients[0])");
  CHECK(with_clients(json::parse(R"([{"count": 1, "workload": {"keys": 5}}])")) ==
        "groups.json: $.clients[0].workload.keys: every group shares the key space (so readers "
        "see the writers' keys): give \"keys\" in the top-level workload");
  CHECK(with_clients(json::parse(R"([{"count": 1, "workload": {"reads": 1}}])")) ==
        "groups.json: $.clients[0].workload.reads: unknown key \"reads\"; allowed keys here: "
        "read_fraction, cas_fraction, think_time, rate, timeout, retries, start, stop, "
        "writes_stop, remove_fraction, decrement_fraction, items or script");
  CHECK(with_clients(json::parse(R"([{"count": 1, "weight": 2}])")) ==
        "groups.json: $.clients[0].weight: unknown key \"weight\"; allowed keys here: name, "
        "count, nodes, fallback or workload");
  CHECK(with_clients(json::parse(R"([{"count": 6000}, {"count": 5000}])")) ==
        "groups.json: $.clients[1].count: at most 10000 clients in all groups, and 6000 are in "
        "the groups before");
  CHECK(with_clients(json::parse(R"([{"count": 1, "nodes": ["n9"]}])")) ==
        "groups.json: $.clients[0].nodes[0]: unknown node \"n9\"; nodes: n1, n2 or n3");
}

TEST_CASE("groups: a group's workload is checked with the top-level keys it keeps") {
  json doc = master_slave({{"cas_fraction", 0.6}});
  doc["workload"]["read_fraction"] = 0.5;
  CHECK(error_of(doc) ==
        "groups.json: $.clients[0].workload.cas_fraction: read_fraction 0.5 + cas_fraction 0.6 "
        "is more than 1 (one of them from the top-level workload)");
  json top = base_scenario("eventual-async", 3, {"n1"});
  top["workload"] = {{"cas_fraction", 0.6}};  // with the default read_fraction 0.5
  CHECK(error_of(top) ==
        "groups.json: $.workload.cas_fraction: read_fraction 0.5 + cas_fraction 0.6 is more "
        "than 1");
  doc = master_slave({{"start", "600ms"}});
  doc["workload"]["stop"] = "500ms";
  CHECK(error_of(doc) ==
        "groups.json: $.clients[0].workload.start: start 600ms is not before stop 500ms (from "
        "the top-level workload)");
  doc = master_slave({{"think_time", "1s"}, {"rate", 5}});
  CHECK(error_of(doc) ==
        "groups.json: $.clients[0].workload.rate: give \"think_time\" (closed loop) or \"rate\" "
        "(open loop), not both");
  doc = master_slave({{"think_time", "0s"}});
  CHECK(error_of(doc).find("groups.json: $.clients[0].workload.think_time: time cannot advance") ==
        0);
}

TEST_CASE("groups: adding a group of readers does not change what the writers draw") {
  // eventual-async answers a write at once at its node, so the writers'
  // timeline depends only on their own streams: their think times, types,
  // keys and client links.
  json both = master_slave();
  json alone = both;
  alone["clients"].erase(1);
  auto writers = [](const std::vector<json>& lines) {
    std::vector<json> out;
    for (const auto& l : of_type(lines, "invoke"))
      if (l["client"].get<int>() < 2) out.push_back({l["time"], l["client"], l["f"], l["key"]});
    return out;
  };
  auto a = writers(run_story(both, "groups-both"));
  auto b = writers(run_story(alone, "groups-alone"));
  REQUIRE(a.size() > 50);
  CHECK(a == b);
}

}  // namespace story_groups_test
