// Stories of the bank's replica groups (model.params.replicas_per_shard,
// models/bank/bank_group.cc) and of its audits (workload.audit_every,
// sim/bank_audit.h): a shard's primary crashes and a backup takes over, so
// transfers on that shard go on and money is conserved at every audit;
// the same crash with one copy per shard leaves sagas waiting; no
// coordination loses money by the first audit; the loader's errors.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "analysis/checkers/bank_check.h"
#include "analysis/trace/history_loader.h"
#include "base/json_input.h"
#include "tests/unit/story_support.h"

using namespace consim;
using namespace consim::test;
using json = nlohmann::json;

namespace story_bank_groups_test {

namespace {

const std::string kReplicated = CONSIM_SOURCE_DIR "/scenarios/bank-replicated-shards.json";
const std::string kAudit = CONSIM_SOURCE_DIR "/scenarios/bank-audit.json";
constexpr std::int64_t kCrash = 2'000'000'000, kRestart = 5'000'000'000;

json file_json(const std::string& path) { return json::parse(read_file(path)); }

struct Run {
  std::vector<json> lines;
  BankCheck check;
};

Run run_bank(const json& doc, const std::string& tag) {
  Scenario s = parse_scenario(doc, tag + ".json", model_registry());
  auto path = temp_trace_path(tag);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  Run out;
  out.lines = parse_lines(read_file(path));
  out.check = check_bank(load_history(path.string()));
  std::filesystem::remove(path);
  return out;
}

json variant(const std::string& method, int replicas) {
  json doc = file_json(kReplicated);
  doc["model"]["params"]["method"] = method;
  doc["model"]["params"]["replicas_per_shard"] = replicas;
  return doc;
}

std::vector<json> notes(const std::vector<json>& lines, const std::string& what) {
  std::vector<json> out;
  for (const auto& l : lines)
    if (l["type"] == "note" && l["what"] == what) out.push_back(l);
  return out;
}

// Transfers acknowledged ok, invoked while b1 was down (after the first
// 300 ms: the failover), touching an account on b1's shard.
std::size_t ok_on_crashed_shard(const std::vector<json>& lines, std::uint64_t shards,
                                std::uint64_t shard) {
  std::map<std::int64_t, json> invokes;
  std::size_t n = 0;
  for (const auto& l : lines) {
    if (l.value("f", "") != "transfer") continue;
    if (l["type"] == "invoke") invokes[l["op"].get<std::int64_t>()] = l;
    if (l["type"] != "ok") continue;
    const json& inv = invokes[l["op"].get<std::int64_t>()];
    const auto t = inv["time"].get<std::int64_t>();
    const auto from = inv["key"].get<std::uint64_t>(), to = inv["value"][0].get<std::uint64_t>();
    if (t > kCrash + 300'000'000 && t < kRestart &&
        (from % shards == shard || to % shards == shard))
      ++n;
  }
  return n;
}

std::string load_error(const json& doc) {
  try {
    parse_scenario(doc, "bank.json", model_registry());
  } catch (const InputError& e) {
    return e.what();
  }
  return "(loaded)";
}

}  // namespace

TEST_CASE(
    "bank groups: the primary of shard b crashes, b2 or b3 takes over within 300ms and sagas on "
    "shard b go on; money conserved at every audit") {
  Run r = run_bank(variant("saga", 3), "bank-groups-saga");
  auto primaries = notes(r.lines, "group-primary");
  REQUIRE(primaries.size() == 1);
  CHECK((primaries[0]["node"] == "b2" || primaries[0]["node"] == "b3"));
  CHECK(primaries[0]["time"].get<std::int64_t>() > kCrash);
  CHECK(primaries[0]["time"].get<std::int64_t>() < kCrash + 300'000'000);
  CHECK(primaries[0]["detail"].get<std::string>().find("is primary in epoch 2") !=
        std::string::npos);
  CHECK(ok_on_crashed_shard(r.lines, 3, 1) > 100);
  CHECK(notes(r.lines, "saga-compensate").empty());  // no saga waited for b1
  CHECK(r.check.result.verdict == Verdict::Valid);
  CHECK(r.check.transfers_unknown == 0);
  REQUIRE(r.check.audits.size() == 4);
  for (const BankAuditResult& a : r.check.audits) {
    CAPTURE(a.number);
    CHECK(a.total == 3000);  // every account read, b's through its new primary
    CHECK(!a.in_flight);
  }
}

TEST_CASE(
    "bank groups: with one copy per shard the same crash stops b1's accounts for 3s, sagas "
    "compensate and wait, and the audits during the crash are incomplete") {
  Run r = run_bank(variant("saga", 1), "bank-groups-saga-1");
  CHECK(notes(r.lines, "group-primary").empty());
  CHECK(ok_on_crashed_shard(r.lines, 9, 3) == 0);  // b1 is node 3: accounts 3, 12, 21
  CHECK(!notes(r.lines, "saga-compensate").empty());
  CHECK(r.check.transfers_unknown > 0);
  std::size_t incomplete = 0;
  for (const BankAuditResult& a : r.check.audits) incomplete += !a.total;
  CHECK(incomplete > 0);
  CHECK(r.check.result.verdict == Verdict::Valid);  // slower, never wrong
  CHECK(r.check.created == 0);
}

TEST_CASE("bank groups: 2pc keeps shard b available through its primary's crash, no money moves") {
  Run r = run_bank(variant("2pc", 3), "bank-groups-2pc");
  auto primaries = notes(r.lines, "group-primary");
  REQUIRE(primaries.size() == 1);
  // The new primary holds b1's prepared transactions and asks their
  // coordinators at once; each is then decided there, not left in doubt.
  std::set<std::string> asked, decided;
  for (const auto& n : notes(r.lines, "in-doubt"))
    if (n["node"] == primaries[0]["node"] && n["time"] == primaries[0]["time"])
      asked.insert(
          n["detail"].get<std::string>().substr(0, n["detail"].get<std::string>().find(':')));
  for (const std::string what : {"committed", "aborted"})
    for (const auto& n : notes(r.lines, what))
      if (n["node"] == primaries[0]["node"]) decided.insert(n["detail"].get<std::string>());
  CHECK(!asked.empty());
  for (const auto& txn : asked) {
    CAPTURE(txn);
    CHECK(decided.count(txn) == 1);
  }
  CHECK(ok_on_crashed_shard(r.lines, 3, 1) > 100);
  CHECK(r.check.result.verdict == Verdict::Valid);
  CHECK(r.check.created == 0);
  Run one = run_bank(variant("2pc", 1), "bank-groups-2pc-1");
  CHECK(ok_on_crashed_shard(one.lines, 9, 3) == 0);
  CHECK(one.check.result.verdict == Verdict::Valid);
}

TEST_CASE("bank groups: replication does not save transfers without coordination") {
  Run r = run_bank(variant("none", 3), "bank-groups-none");
  CHECK(r.check.result.verdict == Verdict::Invalid);
  CHECK(r.check.created != 0);
}

TEST_CASE("bank audits: without coordination money is already lost at the first audit") {
  Run r = run_bank(file_json(kAudit), "bank-audit-none");
  CHECK(r.check.result.verdict == Verdict::Invalid);
  REQUIRE(!r.check.audits.empty());
  const BankAuditResult& first = r.check.audits.front();
  CHECK(first.number == 1);
  REQUIRE(first.total);
  CHECK(first.created != 0);
  CHECK(!first.in_flight);
  CHECK(first.time > 1'000'000'000);
  CHECK(first.time < 2'000'000'000);
  bool named = false;
  for (const Violation& v : r.check.result.violations)
    named |=
        v.key == "*" && v.reason.starts_with("audit 1 at ") &&
        v.reason.find(first.created > 0 ? "money created" : "money destroyed") != std::string::npos;
  CHECK(named);
}

TEST_CASE("bank audits: under 2pc and saga every audit conserves money") {
  for (const std::string method : {"2pc", "saga"}) {
    CAPTURE(method);
    json doc = file_json(kAudit);
    doc["model"]["params"]["method"] = method;
    Run r = run_bank(doc, "bank-audit-" + method);
    CHECK(r.check.result.verdict == Verdict::Valid);
    REQUIRE(r.check.audits.size() == 4);
    for (const BankAuditResult& a : r.check.audits) CHECK(a.created == 0);
  }
}

TEST_CASE(
    "bank audits: transfers drain before an audit's reads and none starts until the last read "
    "ends") {
  Run r = run_bank(file_json(kAudit), "bank-audit-window");
  std::map<int, std::pair<std::int64_t, std::int64_t>> window;  // audit -> first invoke, last end
  for (const auto& l : r.lines) {
    if (!l.contains("audit")) continue;
    auto [it, fresh] = window.try_emplace(l["audit"].get<int>(), INT64_MAX, 0);
    const auto t = l["time"].get<std::int64_t>();
    if (l["type"] == "invoke") it->second.first = std::min(it->second.first, t);
    it->second.second = std::max(it->second.second, t);
  }
  REQUIRE(window.size() == 4);
  std::map<std::int64_t, std::int64_t> open;  // transfer op -> invoke time
  for (const auto& l : r.lines) {
    if (l.value("f", "") != "transfer") continue;
    const auto t = l["time"].get<std::int64_t>();
    for (const auto& [n, w] : window) {
      CAPTURE(n);
      CHECK(!(t >= w.first && t <= w.second));  // nothing moves during an audit's reads
    }
  }
}

TEST_CASE(
    "bank groups: every message a group sends is a declared message type, so "
    "network.message_latency may name it") {
  json doc = variant("2pc", 3);
  doc["duration"] = "3s";
  doc["workload"]["stop"] = "2500ms";
  doc["workload"]["final_reads"] = "2700ms";
  doc["faults"][0]["at"] = "1s";
  doc["faults"][0]["restart"] = "2s";
  doc["trace"]["level"] = "full";
  doc["network"]["message_latency"] = {{"replicate", {{"add", "1ms"}}}};
  const ModelInfo& model = registered_model("bank");
  const std::set<std::string> declared(model.message_types.begin(), model.message_types.end());
  std::set<std::string> sent;
  for (const auto& l : run_bank(doc, "bank-groups-kinds").lines)
    if (l["type"] == "send") sent.insert(l["kind"].get<std::string>());
  for (const std::string kind : {"replicate", "replicate-ack", "group-heartbeat", "shard-snapshot",
                                 "group-vote-request", "group-vote"}) {
    CAPTURE(kind);
    CHECK(sent.count(kind) == 1);
  }
  for (const auto& kind : sent) {
    CAPTURE(kind);
    CHECK(declared.count(kind) == 1);
  }
}

TEST_CASE("bank loader: replica-group parameters need groups, and groups must divide the nodes") {
  json doc = file_json(kReplicated);
  doc["model"]["params"]["replicas_per_shard"] = 1;
  doc["model"]["params"]["heartbeat"] = "20ms";
  CHECK(load_error(doc) ==
        "bank.json: $.model.params.heartbeat: only replica groups have a heartbeat and a failover "
        "timeout: set replicas_per_shard above 1");
  doc = file_json(kReplicated);
  doc["model"]["params"]["replicas_per_shard"] = 3;
  doc["model"]["params"]["failover_timeout"] = "10ms";
  CHECK(load_error(doc) ==
        "bank.json: $.model.params.failover_timeout: failover_timeout 10ms is not longer than the "
        "heartbeat 20ms: backups would elect a new primary between beats");
  doc = file_json(kAudit);
  doc["workload"].erase("audit_every");
  CHECK(load_error(doc) ==
        "bank.json: $.workload.audit_settle: audit_settle is the wait of an audit: set "
        "audit_every too");
}

}  // namespace story_bank_groups_test
