// Fuzz target: the history loader (analysis/trace/history_loader.h), which
// pairs invocations with completions. Any bytes are loaded as a trace or a
// history from elsewhere; a rejection must be an InputError naming the file
// and the lines. Seeds: fuzz/corpus/history_reader/.
#include "analysis/trace/history_loader.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  consim::fuzz::rejecting_bad_input(
      [&] { consim::load_history(consim::fuzz::as_file(data, size)); });
  return 0;
}
