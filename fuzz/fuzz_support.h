// What the fuzz targets share: the input as a file the readers can open, and
// the rule that tells an expected rejection from a finding.
//
// A target feeds bytes to one reader (or to the checkers through one). Bad
// input is expected: the readers reject it with consim::InputError, which
// names the file and the place (docs/cli.md, exit code 3), and the target
// returns normally. Anything else — another exception, a crash, a sanitizer
// report, a hang — escapes to libFuzzer (or to the regression driver) and
// is a finding. Targets stay thin: one call into the code under test, so a
// change to a reader's API costs a one-line change here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace consim::fuzz {

// The bytes as a string.
std::string_view as_text(const std::uint8_t* data, std::size_t size);

// Replaces the contents of an in-memory file (memfd) with the bytes and
// returns a path that opens it from the start (/proc/self/fd/N). One file
// per process, reused: the readers under test only take paths.
const std::string& as_file(const std::uint8_t* data, std::size_t size);

// Runs `body`; an InputError is an accepted outcome. Every other exception
// propagates, so std::terminate reports it as a finding.
template <class Body>
void rejecting_bad_input(Body&& body);

}  // namespace consim::fuzz

#include "base/json_input.h"

template <class Body>
void consim::fuzz::rejecting_bad_input(Body&& body) {
  try {
    body();
  } catch (const consim::InputError&) {
    // Bad input, named and rejected: what the reader promises.
  }
}
