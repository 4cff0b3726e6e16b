// Stories of the sharded bank model (models/bank/) and its workload: the
// coordinator crash under 2pc, the compensated saga, money lost without
// coordination, insufficient funds, and the loader's errors for a bank
// scenario.
#include <doctest/doctest.h>

#include <algorithm>
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

namespace story_bank_test {

namespace {

const std::string kTransfer = CONSIM_SOURCE_DIR "/scenarios/bank-transfer.json";
const std::string kCompensation = CONSIM_SOURCE_DIR "/scenarios/bank-saga-compensation.json";

json file_json(const std::string& path) { return json::parse(read_file(path)); }

struct Outcome {
  std::vector<json> lines;
  BankCheck check;
};

Outcome run_bank(const json& doc, const std::string& tag) {
  Scenario s = parse_scenario(doc, tag + ".json", model_registry());
  auto path = temp_trace_path(tag);
  run_scenario(s, registered_model(s.model_name).make, path.string());
  Outcome out;
  out.lines = parse_lines(read_file(path));
  out.check = check_bank(load_history(path.string()));
  std::filesystem::remove(path);
  return out;
}

json with_method(json doc, const std::string& method) {
  doc["model"]["params"]["method"] = method;
  return doc;
}

std::vector<json> notes(const std::vector<json>& lines, const std::string& what) {
  std::vector<json> out;
  for (const auto& l : lines)
    if (l["type"] == "note" && l["what"] == what) out.push_back(l);
  return out;
}

std::string load_error(const json& doc) {
  try {
    parse_scenario(doc, "bank.json", model_registry());
  } catch (const InputError& e) {
    return e.what();
  }
  return "(loaded)";
}

// A two-account bank where every transfer asks for more than an account holds.
json overdraw_scenario(const std::string& method) {
  json doc = base_scenario("bank", 2, {"n1", "n2"});
  doc["model"]["params"] = {{"method", method}};
  doc["workload"] = {{"type", "bank"}, {"accounts", 2},          {"initial_balance", 10},
                     {"amount", 15},   {"think_time", "10ms"},   {"timeout", "200ms"},
                     {"stop", "3s"},   {"final_reads", "3500ms"}};
  return doc;
}

}  // namespace

TEST_CASE(
    "bank 2pc: a coordinator crash between prepare and commit leaves s3 in doubt, "
    "then presumed abort; no money moves") {
  Outcome o = run_bank(file_json(kTransfer), "bank-2pc");
  // s0 falls at 3.005s with txn 2455 prepared at s3; s3 asks until s0 is back.
  bool asked = false;
  for (const auto& n : notes(o.lines, "in-doubt"))
    asked |= n["node"] == "s3" &&
             n["detail"].get<std::string>().starts_with("txn 2455: asking s0") &&
             n["time"].get<std::int64_t>() < 4'500'000'000;
  CHECK(asked);
  bool presumed = false;
  for (const auto& n : notes(o.lines, "presumed-abort"))
    presumed |= n["node"] == "s0" && n["detail"] == "txn 2455: no record here, s3 asked";
  CHECK(presumed);
  CHECK(o.check.result.verdict == Verdict::Valid);
  CHECK(o.check.created == 0);
  CHECK(o.check.half_done == 0);
  CHECK(o.check.transfers_unknown > 0);  // the crash left clients without answers
}

TEST_CASE("bank saga: a credit refused by a closed account is compensated by a refund") {
  Outcome o = run_bank(file_json(kCompensation), "bank-saga");
  CHECK(!notes(o.lines, "saga-compensate").empty());
  CHECK(!notes(o.lines, "saga-refund").empty());  // a credit lost to the cut: cancel, refund
  std::size_t compensated = 0;
  for (const auto& l : o.lines)
    if (l["type"] == "fail" && l.value("f", "") == "transfer" &&
        l["reason"] == "compensated: credit refused: account 5 is closed") {
      CHECK(l["value"][0] == 5);
      ++compensated;
    }
  CHECK(compensated > 0);
  CHECK(o.check.result.verdict == Verdict::Valid);
  CHECK(o.check.final_total == 1200);
}

TEST_CASE("bank none: the same faults and concurrency create or destroy money") {
  Outcome o = run_bank(with_method(file_json(kTransfer), "none"), "bank-none");
  CHECK(o.check.result.verdict == Verdict::Invalid);
  CHECK(o.check.created != 0);
  CHECK(o.check.inconsistent_accounts > 0);
  REQUIRE(!o.check.result.violations.empty());
  CHECK(o.check.result.violations.front().reason.starts_with("account "));
}

TEST_CASE("bank: a transfer larger than the balance fails cleanly under every method") {
  for (const std::string method : {"2pc", "saga", "none"}) {
    CAPTURE(method);
    Outcome o = run_bank(overdraw_scenario(method), "bank-overdraw-" + method);
    std::size_t refused = 0, ok = 0;
    for (const auto& l : o.lines) {
      if (l.value("f", "") != "transfer") continue;
      if (l["type"] == "ok") ++ok;
      if (l["type"] == "fail" &&
          l["reason"].get<std::string>().find("insufficient funds: account") != std::string::npos)
        ++refused;
    }
    CHECK(ok == 0);
    CHECK(refused > 10);
    CHECK(o.check.result.verdict == Verdict::Valid);
    CHECK(o.check.final_total == 20);
  }
}

TEST_CASE("bank: the final reads read every account once, after the transfers stopped") {
  Outcome o = run_bank(file_json(kTransfer), "bank-final");
  std::set<std::string> accounts;
  for (const auto& l : o.lines)
    if (l["type"] == "ok" && l.value("final", false)) {
      CHECK(l["time"].get<std::int64_t>() >= 11'000'000'000);
      accounts.insert(l["key"].dump());
    }
  CHECK(accounts.size() == 40);
  CHECK(o.check.accounts_without_final == 0);
}

TEST_CASE("bank loader: a register model given the bank workload is an error at $.workload.type") {
  json doc = file_json(kTransfer);
  doc["model"] = "raft";
  CHECK(load_error(doc) ==
        "bank.json: $.workload.type: model \"raft\" does not run the bank workload (it runs: "
        "register); models that do: bank");
  json reg = base_scenario("bank", 2, {"n1"});
  reg["workload"] = {{"read_fraction", 0.5}, {"keys", 3}};
  CHECK(load_error(reg) ==
        "bank.json: $.workload: model \"bank\" does not run the register workload (it runs: "
        "bank); models that do: " +
            [] {
              std::vector<std::string> names;
              for (const ModelInfo& m : model_registry())
                if (std::find(m.workloads.begin(), m.workloads.end(), "register") !=
                    m.workloads.end())
                  names.push_back(m.name);
              return join_names(names);
            }());
}

TEST_CASE("bank loader: bad bank workload keys and parameters name their JSON path") {
  json doc = file_json(kTransfer);
  json d = doc;
  d["workload"]["amount"] = {{"uniform", {20, 5}}};
  CHECK(load_error(d) == "bank.json: $.workload.amount.uniform: min 20 is more than max 5");
  d = doc;
  d["workload"]["read_fraction"] = 0.5;
  CHECK(load_error(d).starts_with("bank.json: $.workload.read_fraction: unknown key"));
  d = doc;
  d["workload"]["final_reads"] = "9s";
  CHECK(load_error(d) ==
        "bank.json: $.workload.final_reads: final_reads 9s is not after stop 10s: the final "
        "balances are read once transfers have stopped");
  d = doc;
  d["model"]["params"]["closed_accounts"] = {3, 40};
  CHECK(load_error(d) ==
        "bank.json: $.model.params.closed_accounts[1]: account 40 does not exist: the workload "
        "has 40 accounts (0..39)");
  d = doc;
  d["model"]["params"]["method"] = "3pc";
  CHECK(load_error(d) ==
        "bank.json: $.model.params.method: unknown method \"3pc\"; valid: 2pc, saga or none");
  d = doc;
  d["workload"]["type"] = "cart";
  CHECK(load_error(d).starts_with("bank.json: $.workload.type: unknown workload type \"cart\""));
}

}  // namespace story_bank_test
