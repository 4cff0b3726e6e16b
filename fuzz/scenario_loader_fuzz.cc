// Fuzz target: the scenario loader (sim/scenario_loader.h). Any bytes are
// parsed as a scenario file; a rejection must be an InputError naming the
// file and the JSON path or line, never a crash or another exception.
// Seeds: fuzz/corpus/scenario_loader/ (scenarios/ and tests/malformed/).
#include "fuzz/fuzz_support.h"
#include "models/registry.h"
#include "sim/scenario_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  consim::fuzz::rejecting_bad_input([&] {
    consim::parse_scenario_text(std::string(consim::fuzz::as_text(data, size)), "fuzz.json",
                                consim::model_registry());
  });
  return 0;
}
