// Stories of conflict resolution, told through the shipped scenarios: the
// same clock-skewed run under last-writer-wins and under version vectors,
// and two regions of a multi-leader store writing through a WAN cut.
#include <doctest/doctest.h>

#include <map>
#include <set>

#include "analysis/report/analyze.h"
#include "story_support.h"

using namespace consim;
using namespace consim::test;
using nlohmann::json;

namespace story_conflicts_test {

namespace {

json scenario_file(const std::string& name) {
  return json::parse(read_file(CONSIM_SOURCE_DIR "/scenarios/" + name));
}

struct Run {
  std::vector<json> lines;
  json report;
};

Run run_and_analyze(const json& doc, const std::string& tag) {
  Scenario s = parse_scenario(doc, tag + ".json", model_registry());
  auto path = temp_trace_path(tag);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  Run r{parse_lines(read_file(path)), analyze_trace(path.string())};
  std::filesystem::remove(path);
  return r;
}

json with_conflict(json doc, const std::string& strategy) {
  doc["model"]["params"]["conflict"] = strategy;
  return doc;
}

std::set<std::int64_t> sibling_values(const std::vector<json>& lines) {
  std::set<std::int64_t> out;
  for (const auto& l : lines)
    if (l["type"] == "apply" && l.contains("siblings"))
      for (const auto& v : l["siblings"]) out.insert(v.get<std::int64_t>());
  return out;
}

}  // namespace

TEST_CASE(
    "last-writer-wins under a skewed clock loses acknowledged writes, and version vectors "
    "keep the same writes as siblings") {
  json doc = scenario_file("lww-clock-skew.json");
  Run lww = run_and_analyze(with_conflict(doc, "lww"), "skew-lww");
  const json& lost = lww.report["lost_writes"];
  CHECK(lost["count"].get<int>() > 0);
  CHECK(lww.report["conflicts"]["lww_overwritten"]["total"].get<int>() >= lost["count"].get<int>());
  CHECK(lww.report["conflicts"]["siblings_per_read"]["reads_with_siblings"] == 0);

  Run vv = run_and_analyze(with_conflict(doc, "version-vectors"), "skew-vv");
  CHECK(vv.report["lost_writes"]["count"] == 0);
  CHECK(vv.report["conflicts"]["lww_overwritten"]["total"] == 0);
  CHECK(vv.report["conflicts"]["siblings_per_read"]["reads_with_siblings"].get<int>() > 0);
  // Every write lww lost was held as a sibling at some replica.
  const std::set<std::int64_t> kept = sibling_values(vv.lines);
  for (const auto& w : lost["listed"]) {
    CAPTURE(w);
    CHECK(kept.count(w["value"].get<std::int64_t>()) == 1);
  }
  // The versions carry their vectors in the trace: read results and replicate messages.
  bool read_vv = false, send_vv = false;
  for (const auto& l : vv.lines) {
    read_vv |= l["type"] == "ok" && l["f"] == "read" && l.contains("vv");
    send_vv |= l["type"] == "send" && l["kind"] == "replicate" && l.contains("vv");
  }
  CHECK(read_vv);
  CHECK(send_vv);
}

TEST_CASE(
    "multi-leader: both regions write through a WAN cut; after the heal every node holds "
    "both sides' writes as siblings until a client that read them writes again") {
  json doc = scenario_file("multi-leader-wan-cut.json");
  Run run = run_and_analyze(doc, "multi-leader-cut");
  const std::int64_t cut = ms(3000), heal = ms(7000);
  std::map<std::int64_t, std::string> region_of_value;  // values written during the cut
  std::map<std::uint64_t, std::pair<std::int64_t, std::string>> invoked;
  for (const auto& l : run.lines) {
    if (l["type"] == "invoke" && l["f"] == "write")
      invoked[l["op"]] = {l["time"].get<std::int64_t>(), l["node"]};
    if (l["type"] == "ok" && l["f"] == "write") {
      auto [at, node] = invoked[l["op"]];
      if (at > cut && l["time"].get<std::int64_t>() < heal)
        region_of_value[l["value"].get<std::int64_t>()] = node;
    }
  }
  std::set<std::string> writing_regions;
  for (const auto& [v, node] : region_of_value) writing_regions.insert(node);
  CHECK(writing_regions == std::set<std::string>{"eu1", "us1"});  // both leaders took writes

  // After the heal some node holds siblings from both regions' cut writes.
  bool both_sides = false;
  for (const auto& l : run.lines) {
    if (l["type"] != "apply" || l["time"].get<std::int64_t>() < heal || !l.contains("siblings"))
      continue;
    std::set<std::string> from;
    for (const auto& v : l["siblings"])
      if (region_of_value.count(v.get<std::int64_t>()))
        from.insert(region_of_value[v.get<std::int64_t>()]);
    both_sides |= from.size() == 2;
  }
  CHECK(both_sides);
  // Resolved: a key that had siblings after the heal later shows one value.
  std::map<std::pair<std::string, std::int64_t>, bool> had_siblings, resolved;
  for (const auto& l : run.lines) {
    if (l["type"] != "apply" || l["time"].get<std::int64_t>() < heal) continue;
    auto k = std::make_pair(l["node"].get<std::string>(), l["key"].get<std::int64_t>());
    if (l.contains("siblings"))
      had_siblings[k] = true;
    else if (had_siblings[k])
      resolved[k] = true;
  }
  CHECK(!resolved.empty());
  CHECK(run.report["lost_writes"]["count"] == 0);
  CHECK(run.report["convergence"]["divergent_keys_at_end"] == 0);

  Run lww = run_and_analyze(with_conflict(doc, "lww"), "multi-leader-cut-lww");
  CHECK(lww.report["conflicts"]["lww_overwritten"]["overwrote"].get<int>() > 0);
  CHECK(sibling_values(lww.lines).empty());
}

}  // namespace story_conflicts_test
