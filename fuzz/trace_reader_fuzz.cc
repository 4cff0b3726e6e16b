// Fuzz target: the streaming trace reader (analysis/trace/trace_reader.h).
// Any bytes are read as a trace to the end; a rejection must be an
// InputError naming the file and the line. Seeds: fuzz/corpus/trace_reader/
// (short traces of every model, and broken lines).
#include "analysis/trace/trace_reader.h"
#include "fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  consim::fuzz::rejecting_bad_input([&] {
    consim::TraceReader reader(consim::fuzz::as_file(data, size));
    consim::TraceEvent event;
    while (reader.next(event)) {
    }
  });
  return 0;
}
