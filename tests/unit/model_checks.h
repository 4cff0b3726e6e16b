// What a store model's own test file pins about it, through the registry:
// the error its parameter parser gives, the defaults it echoes into the
// trace header, the size of each message it sends. Each model's test file
// (tests/unit/models_<name>_test.cc) holds its own expected values;
// tests/unit/models_test.cc checks only what holds for every registered
// model, so adding a model breaks no existing test.
#pragma once

#include <map>
#include <string>

#include "tests/unit/fake_context.h"

namespace consim::testing {

// The InputError `model`'s parser gives for `params` (file "demo.json",
// path $.model.params, a scenario of 3 nodes), or "(no error)".
inline std::string parse_error(const std::string& model, const nlohmann::json& params) {
  try {
    find_model(model)->parse(JsonReader(params, "demo.json", "$.model.params"), scenario_of(3));
  } catch (const InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// The parameters `model` runs with when "params" is empty, as echoed.
inline nlohmann::json defaults_of(const std::string& model) {
  nlohmann::json empty = nlohmann::json::object();
  return find_model(model)
      ->parse(JsonReader(empty, "demo.json", "$.model.params"), scenario_of(3))
      ->to_json();
}

// Message type -> size in bytes, for every message `model` sends on three
// nodes while a write at n1 replicates and the writer then reads at n2 with
// the session the write returned; "session" for that session token, if the
// model gives one.
inline std::map<std::string, std::size_t> message_sizes(const std::string& model) {
  std::map<std::string, std::size_t> sizes;
  FakeCluster c(model, 3);
  auto w = c.write(0, 1, 5);
  c.deliver_all();
  PayloadPtr session = c.reply_to(w)->reply.session;
  c.read(1, 1, session);
  for (const auto& m : c.sent) sizes[std::string(m.type())] = m.payload->size_bytes();
  if (session) sizes["session"] = session->size_bytes();
  return sizes;
}

// The reply a client ends with for `op`, first sent to `at`, as the
// simulator's clients get it: everything in flight is delivered, time passes
// in 1ms steps while no answer has come (an election, a retry), and after a
// redirect the same op goes to the hinted node (or the next one). A model
// that answers at once takes no step. Null if no answer within `steps` ms.
inline const RecordedReply* answer(FakeCluster& c, std::uint64_t op, NodeId at, int steps = 5000) {
  for (int step = 0; step < steps; ++step) {
    c.deliver_all();
    if (c.replies_to(op) == c.copies_of(op)) {
      const RecordedReply* r = c.last_reply_to(op);
      if (r->reply.outcome != Reply::Outcome::Redirect) return r;
      at = r->reply.leader_hint.value_or(static_cast<NodeId>((at + 1) % c.size()));
      c.advance(1 * kMillisecond);
      c.resend(at, r->request);
    } else {
      c.advance(1 * kMillisecond);
    }
  }
  return nullptr;
}

}  // namespace consim::testing
