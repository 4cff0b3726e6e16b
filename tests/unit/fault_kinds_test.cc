// Every fault kind and every partition shape, taken from their registries
// (never from a list pinned here): each parses from the example its entry
// supplies, runs, writes its begin (and end) line in the one fault-line
// shape, and names a phase of the report. Unknown kinds and shapes are
// errors whose messages list the registry's names.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "analysis/report/analyze.h"
#include "base/json_input.h"
#include "sim/fault_kind.h"
#include "sim/partition.h"
#include "story_support.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace fault_kinds_test {

namespace {

// Long enough for every fault below (the kinds' examples end by 10 s, the
// others by 6 s): shorter runs keep the suite fast under the sanitizers.
json five_nodes(const char* duration = "6s") {
  json doc = base_scenario("eventual-async", 5, {"n1", "n4"});
  doc["duration"] = duration;
  return doc;
}

// Runs `doc` and checks the fault named `name` of kind `kind`: its begin line
// (and its end line when `ends`) in the generic shape, and its phase; a kind
// that never ends (`state`: clock) is a state, not a phase (phases.h), and
// shows as a fault window on the run charts instead.
void check_fault_runs(const json& doc, const std::string& name, const std::string& kind, bool ends,
                      const std::string& tag, bool state = false) {
  Scenario s = parse_scenario(doc, tag + ".json", model_registry());
  auto path = temp_trace_path(tag);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  std::vector<json> lines = parse_lines(read_file(path));
  int begins = 0, ends_seen = 0;
  for (const json& l : of_type(lines, "fault")) {
    if (l["fault"] != name) continue;
    CHECK(l["kind"] == kind);
    CHECK(l["label"].get<std::string>().rfind(name + ": ", 0) == 0);
    CHECK(l["action"].is_string());
    (l["edge"] == "begin" ? begins : ends_seen)++;
  }
  CHECK(begins == 1);
  CHECK(ends_seen == (ends ? 1 : 0));
  json report = analyze_trace(path.string());
  std::filesystem::remove(path);
  bool named = false;
  for (const json& p : report["phases"]) named = named || p["name"] == "during " + name;
  CHECK(named == !state);
  bool shaded = false;
  for (const json& w : report["timeline"]["faults"]) shaded = shaded || w["name"] == name;
  CHECK(shaded);
}

}  // namespace

TEST_CASE("fault kinds: every kind parses from its example, runs, is traced and names a phase") {
  REQUIRE_FALSE(fault_kinds().empty());
  for (const FaultKindEntry* kind : fault_kinds()) {
    CAPTURE(kind->name);
    json fault = json::parse(kind->example);
    CHECK(fault["type"] == kind->name);
    fault["name"] = "f";
    json doc = five_nodes("10s");
    doc["faults"].push_back(fault);
    bool ends = kind->end_key != nullptr && fault.contains(kind->end_key);
    check_fault_runs(doc, "f", kind->name, ends, std::string("kind-") + kind->name,
                     kind->end_key == nullptr);
  }
}

TEST_CASE("fault kinds: every kind the nemesis can draw is drawn, runs and is traced") {
  for (const FaultKindEntry* kind : fault_kinds()) {
    if (!kind->draw) continue;
    CAPTURE(kind->name);
    json doc = five_nodes();
    doc["nemesis"] = {{"start", "1s"},
                      {"end", "3s"},
                      {"interval", {{"type", "constant"}, {"value", "500ms"}}},
                      {"length", {{"type", "constant"}, {"value", "1s"}}},
                      {"kinds", {kind->name}}};
    if (kind->nemesis_key) doc["nemesis"][kind->nemesis_key] = "100ms";
    check_fault_runs(doc, std::string("nemesis 1 (") + kind->name + ")", kind->name,
                     kind->end_key != nullptr, std::string("nemesis-") + kind->name,
                     kind->end_key == nullptr);
  }
}

TEST_CASE("partition shapes: every shape parses from its example, runs, is traced") {
  REQUIRE_FALSE(partition_shapes().empty());
  for (const ShapeEntry& shape : partition_shapes()) {
    CAPTURE(shape.name);
    json fault = json::parse(shape.example);
    for (const auto& [key, value] : fault.items())
      CHECK(std::find(shape.keys.begin(), shape.keys.end(), key) != shape.keys.end());
    fault["type"] = "partition";
    fault["name"] = "cut";
    fault["shape"] = shape.name;
    fault["start"] = "2s";
    fault["heal"] = "5s";
    json doc = five_nodes();
    doc["faults"].push_back(fault);
    check_fault_runs(doc, "cut", "partition", true, std::string("shape-") + shape.name);
  }
}

TEST_CASE("fault kinds: an unknown kind, shape or nemesis kind lists the valid ones") {
  json doc = five_nodes();
  doc["faults"].push_back({{"type", "flood"}, {"at", "1s"}});
  CHECK_THROWS_WITH_AS(parse_scenario(doc, "bad.json", model_registry()),
                       ("bad.json: $.faults[0].type: unknown fault type \"flood\"; valid fault "
                        "types: " +
                        join_names(fault_kind_names()))
                           .c_str(),
                       InputError);
  doc = five_nodes();
  doc["faults"].push_back({{"type", "partition"}, {"shape", "triangle"}, {"start", "1s"}});
  CHECK_THROWS_WITH_AS(parse_scenario(doc, "bad.json", model_registry()),
                       ("bad.json: $.faults[0].shape: unknown partition shape \"triangle\"; "
                        "valid partition shapes: " +
                        join_names(shape_names()))
                           .c_str(),
                       InputError);
  for (const FaultKindEntry* k : fault_kinds()) {
    if (k->draw) continue;  // a kind the nemesis cannot draw is unknown to it
    CAPTURE(k->name);
    doc = five_nodes();
    doc["nemesis"] = {{"interval", {{"type", "constant"}, {"value", "1s"}}},
                      {"length", {{"type", "constant"}, {"value", "1s"}}},
                      {"kinds", {k->name}}};
    CHECK_THROWS_WITH_AS(
        parse_scenario(doc, "bad.json", model_registry()),
        ("bad.json: $.nemesis.kinds[0]: unknown nemesis kind \"" + std::string(k->name) +
         "\"; valid nemesis kinds: " + join_names(nemesis_kind_names()))
            .c_str(),
        InputError);
  }
}

TEST_CASE("fault kind loss: drops messages only between its groups, only in its window") {
  json doc = five_nodes();
  doc["faults"].push_back({{"type", "loss"},
                           {"probability", 1.0},
                           {"groups", {{"n1"}}},
                           {"start", "2s"},
                           {"end", "5s"}});
  auto lines = run_story(doc, "loss-groups");
  int dropped_across = 0, delivered_across = 0, dropped_elsewhere = 0;
  for (const json& l : lines) {
    if (l["type"] != "drop" && l["type"] != "deliver") continue;
    std::int64_t t = l["time"];
    bool across = (l["from"] == "n1") != (l["to"] == "n1");
    bool inside = t >= ms(2000) && t < ms(5000);
    if (l["type"] == "drop" && across && inside) ++dropped_across;
    if (l["type"] == "drop" && !across) ++dropped_elsewhere;
    // a copy sent before 2s may still arrive just after; none is sent inside
    if (l["type"] == "deliver" && across && t >= ms(2010) && t < ms(5000)) ++delivered_across;
  }
  CHECK(dropped_across > 0);
  CHECK(delivered_across == 0);
  CHECK(dropped_elsewhere == 0);
}

TEST_CASE("fault kind loss: without groups, drops messages between every pair of nodes") {
  // Before the fix every node fell on one side when no groups were given,
  // so a loss fault without groups (and every loss the nemesis drew)
  // dropped nothing.
  json doc = five_nodes();
  doc["faults"].push_back(
      {{"type", "loss"}, {"probability", 1.0}, {"start", "2s"}, {"end", "5s"}});
  auto lines = run_story(doc, "loss-every-pair");
  int dropped_inside = 0, delivered_inside = 0, dropped_outside = 0;
  for (const json& l : lines) {
    if (l["type"] != "drop" && l["type"] != "deliver") continue;
    std::int64_t t = l["time"];
    bool inside = t >= ms(2010) && t < ms(5000);  // a copy sent before 2s may arrive just after
    if (l["type"] == "drop") (t >= ms(2000) && t < ms(5000) ? dropped_inside : dropped_outside)++;
    if (l["type"] == "deliver" && inside) ++delivered_inside;
  }
  CHECK(dropped_inside > 0);
  CHECK(delivered_inside == 0);
  CHECK(dropped_outside == 0);
}

TEST_CASE("fault kind loss: malformed input names the path") {
  json doc = five_nodes();
  doc["faults"].push_back({{"type", "loss"}, {"probability", 0}, {"start", "1s"}});
  CHECK_THROWS_WITH_AS(parse_scenario(doc, "bad.json", model_registry()),
                       "bad.json: $.faults[0].probability: must be more than 0", InputError);
  doc = five_nodes();
  doc["faults"].push_back(
      {{"type", "loss"}, {"probability", 0.5}, {"groups", {{"n1"}, {"n1"}}}, {"start", "1s"}});
  CHECK_THROWS_WITH_AS(parse_scenario(doc, "bad.json", model_registry()),
                       "bad.json: $.faults[0].groups[1][0]: node \"n1\" is in two groups",
                       InputError);
}

TEST_CASE("fault kinds and shapes: each is documented in docs/scenario-format.md") {
  std::string doc = read_file(std::string(CONSIM_SOURCE_DIR) + "/docs/scenario-format.md");
  for (const FaultKindEntry* kind : fault_kinds()) {
    CAPTURE(kind->name);
    CHECK(doc.find(std::string("\n### ") + kind->name + "\n") != std::string::npos);
  }
  for (const ShapeEntry& shape : partition_shapes()) {
    CAPTURE(shape.name);
    CHECK(doc.find(std::string("\n| `") + shape.name + "` |") != std::string::npos);
  }
}

}  // namespace fault_kinds_test
