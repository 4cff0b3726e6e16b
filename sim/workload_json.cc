// The "workload" and "clients" parts of a scenario; see
// docs/scenario-format.md.
//
// Clients bind round-robin: {"count": 5, "nodes": ["n1","n2"]} gives
// clients 0, 2, 4 on n1 and 1, 3 on n2. A shared "fallback" list is used
// by every client minus its own node: with "fallback": ["n2","n3"], the
// clients on n2 fall back to n3 only.
// Invariants of the result: exactly one of think_time (closed loop) and
// rate (open loop) is in force; start < stop <= duration; every client's
// node and fallbacks exist and a client never falls back to its own node.
#include <nlohmann/json.hpp>

#include "sim/key_sampler.h"
#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

constexpr std::int64_t kMaxClients = 10'000;

void parse_key_distribution(const JsonReader& value, WorkloadSpec& w) {
  if (value.json().is_string()) {
    if (value.as_string() != "uniform")
      value.fail("unknown key distribution \"" + value.as_string() +
                 "\"; valid: \"uniform\" or {\"zipf\": exponent}");
    w.key_distribution = KeyDistribution::Uniform;
    return;
  }
  if (!value.json().is_object())
    value.fail("expected \"uniform\" or {\"zipf\": exponent}, got " + json_excerpt(value.json()));
  value.allow_only({"zipf"});
  w.key_distribution = KeyDistribution::Zipf;
  w.zipf_exponent = positive_number(value.at("zipf"), 10.0);
}

void parse_loop(const JsonReader& value, WorkloadSpec& w) {
  if (value.has("think_time") && value.has("rate"))
    value.fail_at("rate", "give \"think_time\" (closed loop) or \"rate\" (open loop), not both");
  if (value.has("rate")) {
    w.loop = LoopKind::Open;
    w.rate_per_second = positive_number(value.at("rate"), 1e6);
  } else if (value.has("think_time")) {
    w.think_time = parse_distribution(value.at("think_time"));
  }
}

void parse_window(const JsonReader& value, Time duration, WorkloadSpec& w) {
  if (value.has("start")) {
    w.start = value.duration("start");
    if (w.start >= duration)
      value.fail_at("start", "start " + format_duration(w.start) +
                                 " is not before the end of the run (duration " +
                                 format_duration(duration) + ")");
  }
  if (value.has("stop")) {
    Time stop = time_in_run(value.at("stop"), duration);
    if (stop <= w.start)
      value.fail_at("stop", "stop " + format_duration(stop) + " is not after start " +
                                format_duration(w.start));
    w.stop = stop;
  }
  if (value.has("writes_stop")) {
    Time writes_stop = time_in_run(value.at("writes_stop"), duration);
    if (writes_stop <= w.start)
      value.fail_at("writes_stop", "writes_stop " + format_duration(writes_stop) +
                                       " is not after start " + format_duration(w.start));
    w.writes_stop = writes_stop;
  }
}

std::vector<std::string> fallbacks_for(const std::string& node,
                                       const std::vector<std::string>& shared) {
  std::vector<std::string> out;
  for (const auto& f : shared)
    if (f != node) out.push_back(f);
  return out;
}

std::vector<ClientSpec> parse_client_list(const JsonReader& value, const NodeNames& nodes) {
  auto elements = value.as_array();
  if (elements.empty()) value.fail("expected at least one client");
  if (elements.size() > static_cast<std::size_t>(kMaxClients))
    value.fail("at most " + std::to_string(kMaxClients) + " clients");
  std::vector<ClientSpec> clients;
  for (const auto& e : elements) {
    e.allow_only({"node", "fallback"});
    ClientSpec c;
    c.node = nodes.node(e.at("node"));
    if (e.has("fallback")) c.fallback = nodes.list(e.at("fallback"), 0);
    for (std::size_t i = 0; i < c.fallback.size(); ++i)
      if (c.fallback[i] == c.node)
        e.at("fallback")
            .element(i)
            .fail("\"" + c.node + "\" is the client's own node, not a fallback");
    clients.push_back(std::move(c));
  }
  return clients;
}

std::vector<ClientSpec> parse_client_group(const JsonReader& value, const NodeNames& nodes) {
  value.allow_only({"count", "nodes", "fallback"});
  auto count = value.integer("count", 1, kMaxClients);
  auto bound = value.has("nodes") ? nodes.list(value.at("nodes"), 1) : nodes.all();
  auto shared =
      value.has("fallback") ? nodes.list(value.at("fallback"), 0) : std::vector<std::string>{};
  std::vector<ClientSpec> clients;
  for (std::int64_t i = 0; i < count; ++i) {
    ClientSpec c;
    c.node = bound[static_cast<std::size_t>(i) % bound.size()];
    c.fallback = fallbacks_for(c.node, shared);
    clients.push_back(std::move(c));
  }
  return clients;
}

}  // namespace

WorkloadSpec parse_workload(const JsonReader& value, Time duration) {
  value.allow_only({"read_fraction", "keys", "key_distribution", "think_time", "rate", "timeout",
                    "retries", "start", "stop", "writes_stop"});
  WorkloadSpec w;
  if (value.has("read_fraction")) w.read_fraction = value.probability("read_fraction");
  if (value.has("keys"))
    w.keys = static_cast<std::uint64_t>(value.integer("keys", 1, 1'000'000'000));
  if (value.has("key_distribution")) parse_key_distribution(value.at("key_distribution"), w);
  // The check the run's key sampler makes, here so `validate` makes it too.
  if (auto problem = KeySampler::check(w.keys, w.key_distribution, w.zipf_exponent))
    value.fail_at(problem->field, problem->message);
  parse_loop(value, w);
  if (value.has("timeout")) {
    w.timeout = value.duration("timeout");
    if (w.timeout <= 0) value.fail_at("timeout", "must be more than 0s");
  }
  if (value.has("retries")) w.retries = static_cast<int>(value.integer("retries", 0, 100));
  parse_window(value, duration, w);
  return w;
}

std::vector<ClientSpec> parse_clients(const JsonReader& value, const NodeNames& nodes) {
  if (value.json().is_array()) return parse_client_list(value, nodes);
  if (!value.json().is_object())
    value.fail("expected {\"count\": ...} or a list of clients, got " +
               json_type_name(value.json()));
  return parse_client_group(value, nodes);
}

std::vector<ClientSpec> default_clients(const NodeNames& nodes) {
  std::vector<ClientSpec> clients;
  for (const auto& name : nodes.all()) clients.push_back(ClientSpec{name, {}});
  return clients;
}

}  // namespace consim::loader
