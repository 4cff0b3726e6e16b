// The "workload" part of a scenario, and a client group's own "workload"
// over it; see docs/scenario-format.md. (The "clients" part is in
// clients_json.cc.)
//
// Invariants of the result: exactly one of think_time (closed loop) and
// rate (open loop) is in force; start < stop <= duration; read_fraction +
// cas_fraction <= 1. A group's workload starts from the top-level one and
// replaces the keys it gives: "rate" makes its loop open and "think_time"
// closed, whatever the top level says. The checks run on the result, and
// name a key the group gave.
// Time advances: a closed loop leaves at least kMinOperationGap on average
// between a client's operations (the think time plus the client link both
// ways), the same bound as the open loop's 1,000,000 operations a second.
// Example: "think_time": "0s" with the default client link (0s) is an
// error, since a model that answers at once would run every operation of
// the run at t = 0; "0s" with a "client_latency" of "1ms" is fine (2 ms per
// operation).
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "sim/key_sampler.h"
#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

constexpr double kMaxRate = 1e6;                     // operations a second per client
constexpr double kMinOperationGap = 1e9 / kMaxRate;  // ns, the same bound for a closed loop

// Means are the distributions' own (analytic), in ns. A think time this
// object does not give was checked where it was given.
void require_progress(const JsonReader& value, const WorkloadSpec& w,
                      const Distribution& client_latency) {
  if (w.loop != LoopKind::Closed || !value.has("think_time")) return;
  double link = client_latency.mean();
  double gap = w.think_time.mean() + 2 * link;
  if (gap >= kMinOperationGap) return;
  auto shown = [](double ns) { return format_duration(static_cast<Time>(std::llround(ns))); };
  value.fail_at("think_time", "time cannot advance: a client's operations would be " + shown(gap) +
                                  " apart on average (think time " + shown(w.think_time.mean()) +
                                  " plus the client link both ways, 2 x " + shown(link) +
                                  "); a closed loop needs at least " + shown(kMinOperationGap) +
                                  ": give a longer think time or a network client_latency");
}

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
    w.rate_per_second = positive_number(value.at("rate"), kMaxRate);
  } else if (value.has("think_time")) {
    w.loop = LoopKind::Closed;
    w.think_time = parse_distribution(value.at("think_time"));
  }
}

// `end` (stop or writes_stop) must come after start. Blames `key` when this
// object gave it, else its "start" (a group's start past the top level's stop).
void require_after_start(const JsonReader& value, std::string_view key, std::optional<Time> end,
                         const WorkloadSpec& w) {
  if (!end || *end > w.start) return;
  if (value.has(key))
    value.fail_at(key, std::string(key) + " " + format_duration(*end) + " is not after start " +
                           format_duration(w.start));
  value.fail_at("start", "start " + format_duration(w.start) + " is not before " +
                             std::string(key) + " " + format_duration(*end) +
                             " (from the top-level workload)");
}

void parse_window(const JsonReader& value, Time duration, WorkloadSpec& w) {
  if (value.has("start")) {
    w.start = value.duration("start");
    if (w.start >= duration)
      value.fail_at("start", "start " + format_duration(w.start) +
                                 " is not before the end of the run (duration " +
                                 format_duration(duration) + ")");
  }
  if (value.has("stop")) w.stop = time_in_run(value.at("stop"), duration);
  require_after_start(value, "stop", w.stop, w);
  if (value.has("writes_stop")) w.writes_stop = time_in_run(value.at("writes_stop"), duration);
  require_after_start(value, "writes_stop", w.writes_stop, w);
}

// read_fraction + cas_fraction <= 1, blaming cas_fraction if given here.
// `group`: `w` came from the top-level workload.
void parse_mix(const JsonReader& value, bool group, WorkloadSpec& w) {
  if (value.has("read_fraction")) w.read_fraction = value.probability("read_fraction");
  if (value.has("cas_fraction")) w.cas_fraction = value.probability("cas_fraction");
  if (w.read_fraction + w.cas_fraction <= 1) return;
  char sum[96];
  std::snprintf(sum, sizeof sum, "read_fraction %g + cas_fraction %g is more than 1",
                w.read_fraction, w.cas_fraction);
  std::string message = sum;
  if (group && !(value.has("read_fraction") && value.has("cas_fraction")))
    message += " (one of them from the top-level workload)";
  value.fail_at(value.has("cas_fraction") ? "cas_fraction" : "read_fraction", message);
}

// The keys a client group may give, over the top-level workload's.
void parse_client_keys(const JsonReader& value, Time duration, const Distribution& client_latency,
                       bool group, WorkloadSpec& w) {
  parse_mix(value, group, w);
  parse_data_mix(value, group, w);
  parse_loop(value, w);
  if (value.has("timeout")) {
    w.timeout = value.duration("timeout");
    if (w.timeout <= 0) value.fail_at("timeout", "must be more than 0s");
  }
  if (value.has("retries")) w.retries = static_cast<int>(value.integer("retries", 0, 100));
  parse_window(value, duration, w);
  require_progress(value, w, client_latency);
}

}  // namespace

WorkloadSpec parse_workload(const JsonReader& value, Time duration,
                            const Distribution& client_latency) {
  const WorkloadType type = parse_workload_type(value);
  const bool bank = type == WorkloadType::Bank;
  if (bank)
    value.allow_only(bank_workload_keys());
  else
    value.allow_only({"type", "read_fraction", "cas_fraction", "keys", "key_distribution",
                      "think_time", "rate", "timeout", "retries", "start", "stop", "writes_stop",
                      "items", "remove_fraction", "decrement_fraction", "final_reads", "script"});
  WorkloadSpec w;
  w.type = type;
  if (value.has("final_reads")) w.final_reads = time_in_run(value.at("final_reads"), duration);
  if (value.has("keys"))
    w.keys = static_cast<std::uint64_t>(value.integer("keys", 1, 1'000'000'000));
  if (value.has("key_distribution")) parse_key_distribution(value.at("key_distribution"), w);
  // The check the run's key sampler makes, here so `validate` makes it too.
  if (auto problem = KeySampler::check(w.keys, w.key_distribution, w.zipf_exponent))
    value.fail_at(problem->field, problem->message);
  parse_client_keys(value, duration, client_latency, false, w);
  if (bank) parse_bank_workload(value, duration, w);
  if (!bank && value.has("script")) w.script = parse_script(value.at("script"), w);
  return w;
}

WorkloadSpec parse_group_workload(const JsonReader& value, const WorkloadSpec& top, Time duration,
                                  const Distribution& client_latency) {
  value.expect_object();
  for (std::string_view shared : {"keys", "key_distribution", "type", "final_reads"})
    if (value.has(shared))
      value.fail_at(shared,
                    "every group shares the key space (so readers see the writers' "
                    "keys): give \"" +
                        std::string(shared) + "\" in the top-level workload");
  value.allow_only({"read_fraction", "cas_fraction", "think_time", "rate", "timeout", "retries",
                    "start", "stop", "writes_stop", "remove_fraction", "decrement_fraction",
                    "items", "script"});
  if (top.bank)
    for (std::string_view own :
         {"read_fraction", "cas_fraction", "retries", "writes_stop", "script"})
      if (value.has(own))
        value.fail_at(own,
                      "not part of the bank workload (the top-level workload's type is "
                      "\"bank\"): transfer_fraction is set there");
  WorkloadSpec w = top;
  parse_client_keys(value, duration, client_latency, true, w);
  if (value.has("script")) w.script = parse_script(value.at("script"), w);
  if (w.script && w.loop != LoopKind::Closed)
    value.fail_at("rate",
                  "the top-level workload's script runs in a closed loop: give "
                  "\"think_time\", not \"rate\"");
  return w;
}

}  // namespace consim::loader
