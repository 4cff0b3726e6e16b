// A message that carries one 64-bit id and nothing else: an ack naming the
// operation, transaction or hint it answers, or a query naming the
// transaction it asks about. A model names each of its own with a
// using-declaration, the trace's message type as the argument:
//
//   using WriteAck = IdMessage<"write-ack">;  // id: the coordinator's op
//
// Invariants: the wire size is the envelope plus the id (8 bytes); the
// trace shows the name as the message type; two names make two distinct
// types, so payload_as tells them apart (one name, two meanings in one
// model would not: give each message its own name).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "models/model.h"
#include "models/model_support.h"

namespace consim {

// A string literal as a template argument: IdMessage<"write-ack">.
template <std::size_t N>
struct MessageName {
  constexpr MessageName(const char (&name)[N]) { std::copy_n(name, N, text); }
  constexpr std::string_view view() const { return {text, N - 1}; }
  char text[N];
};

template <MessageName Name>
struct IdMessage : Payload {
  std::uint64_t id = 0;
  std::string_view type() const override { return Name.view(); }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8; }
};

}  // namespace consim
