// The engine knows models only through the catalog and the factory its
// caller hands it: a model that is not in the registry loads and runs, and
// a model parameter naming a node is checked at load against the
// scenario's nodes, with the file and the JSON path.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/json_input.h"
#include "models/model_support.h"
#include "sim/scenario_loader.h"
#include "sim/simulator.h"

using namespace consim;

namespace loader_models_test {

namespace {

// A test-only model with a parameter naming a node, as a primary-backup
// store would have: every request is answered at once.
struct PrimaryConfig : ModelConfig {
  NodeId primary = 0;
  nlohmann::json to_json() const override { return {{"primary", primary}}; }
};

class Echo : public Replica {
 public:
  explicit Echo(Context& ctx) : ctx_(ctx) {}
  void on_request(const Request& r) override { ctx_.reply(r, Reply::ok()); }
  void on_message(NodeId, const Payload&) override {}
  void on_timer(std::uint64_t) override {}
  void on_crash() override {}
  void on_recover() override {}

 private:
  Context& ctx_;
};

const ModelCatalog& test_catalog() {
  static const ModelCatalog catalog = {
      {"primary-test",
       "answers at once; names a primary",
       [](const JsonReader& params, const ModelScenario& scenario) {
         params.allow_only({"primary"});
         auto config = std::make_shared<PrimaryConfig>();
         config->primary = node_param(params, "primary", scenario);
         return std::shared_ptr<const ModelConfig>(config);
       },
       [](const ModelConfig&, Context& ctx) { return std::make_unique<Echo>(ctx); },
       {}},
  };
  return catalog;
}

std::string scenario_with_primary(const std::string& primary) {
  return R"({"name": "t", "duration": "1s", "nodes": ["n1", "n2", "n3"],
             "model": {"name": "primary-test", "params": {"primary": ")" +
         primary + R"("}}})";
}

}  // namespace

TEST_CASE("loader: a model parameter naming an unknown node fails at load with file and path") {
  CHECK_THROWS_WITH_AS(parse_scenario_text(scenario_with_primary("n9"), "pb.json", test_catalog()),
                       "pb.json: $.model.params.primary: unknown node \"n9\"; nodes: n1, n2 or n3",
                       InputError);
  Scenario s = parse_scenario_text(scenario_with_primary("n2"), "pb.json", test_catalog());
  const auto* config = dynamic_cast<const PrimaryConfig*>(s.model_config.get());
  REQUIRE(config != nullptr);
  CHECK(config->primary == 1);
}

TEST_CASE("engine: runs a model from the caller's catalog, found by no registry") {
  Scenario s = parse_scenario_text(scenario_with_primary("n3"), "pb.json", test_catalog());
  auto path = std::filesystem::temp_directory_path() / "consim-catalog-test.jsonl";
  RunStats stats = run_scenario(s, test_catalog().front().make, path.string());
  CHECK(stats.events > 0);
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  auto h = nlohmann::json::parse(header);
  CHECK(h["model"] == "primary-test");
  CHECK(h["params"] == nlohmann::json{{"primary", 2}});
  std::filesystem::remove(path);
}

}  // namespace loader_models_test
