// Fuzz target: the consistency checkers (analysis/checkers/checks.h), as
// `consim check --consistency all` runs them. A history that loads is
// checked by every checker with a small search budget, so a verdict may be
// "unknown" but never a crash. Seeds: fuzz/corpus/checkers/ (histories
// with valid and invalid verdicts, concurrent and unknown-outcome ops).
#include <nlohmann/json.hpp>

#include "analysis/checkers/checks.h"
#include "analysis/trace/history_loader.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  consim::fuzz::rejecting_bad_input([&] {
    consim::History history = consim::load_history(consim::fuzz::as_file(data, size));
    consim::CheckSelection all;
    all.checkers = consim::checker_names();
    all.linearizability_budget = 20000;  // steps per key: keeps each input fast
    nlohmann::json results;
    consim::run_checks(history, all, results);
  });
  return 0;
}
