// The data-type keys of a scenario's "workload" (docs/scenario-format.md,
// "Sets and counters"): "type", "items", "remove_fraction",
// "decrement_fraction", "final_reads", and the checks that tie them to the
// model and to the clients' stop times.
//
// Invariants of the result: a set workload has no cas and no
// decrement_fraction, a counter workload no cas and no remove_fraction, a
// register workload none of the set and counter keys; read_fraction plus
// remove_fraction (or decrement_fraction) is at most 1; a set or counter
// workload has final_reads, after every client's stop plus its timeout
// (so no operation of the run is outstanding then) and before the end of
// the run; (the model's registry row serving the type is
// checked by the scenario loader).
#include <cstdio>
#include <nlohmann/json.hpp>

#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

std::string type_text(WorkloadType t) { return std::string(workload_type_name(t)); }

// `key` (given here) does not belong to a workload of type `t`.
void reject(const JsonReader& value, std::string_view key, WorkloadType t, std::string_view why) {
  if (value.has(key))
    value.fail_at(key, "\"" + std::string(key) + "\" " + std::string(why) +
                           ", and this workload's type is \"" + type_text(t) + "\"");
}

void require_sum(const JsonReader& value, bool group, std::string_view key, double read,
                 double other) {
  if (read + other <= 1) return;
  char sum[128];
  std::snprintf(sum, sizeof sum, "read_fraction %g + %s %g is more than 1", read,
                std::string(key).c_str(), other);
  std::string message = sum;
  if (group && !(value.has("read_fraction") && value.has(key)))
    message += " (one of them from the top-level workload)";
  value.fail_at(value.has(key) ? key : "read_fraction", message);
}

// "items": N (items 1..N) or [first, last].
void parse_items(const JsonReader& v, WorkloadSpec& w) {
  constexpr std::int64_t kMax = 1'000'000'000;
  if (v.json().is_array()) {
    auto both = v.as_array();
    if (both.size() != 2) v.fail("expected a count N (items 1..N) or [first, last]");
    std::int64_t first = static_cast<std::int64_t>(both[0].as_number(1, kMax));
    std::int64_t last = static_cast<std::int64_t>(both[1].as_number(1, kMax));
    if (!both[0].json().is_number_integer()) both[0].fail("expected an integer");
    if (!both[1].json().is_number_integer()) both[1].fail("expected an integer");
    if (last < first)
      both[1].fail("the last item " + std::to_string(last) + " is before the first " +
                   std::to_string(first));
    w.items_first = static_cast<std::uint64_t>(first);
    w.items = static_cast<std::uint64_t>(last - first + 1);
    return;
  }
  if (!v.json().is_number_integer())
    v.fail("expected a count N (items 1..N) or [first, last], got " + json_described(v.json()));
  w.items_first = 1;
  w.items = static_cast<std::uint64_t>(v.as_number(1, kMax));
}

}  // namespace

WorkloadType parse_workload_type(const JsonReader& workload) {
  if (!workload.json().is_object() || !workload.has("type")) return WorkloadType::Register;
  const std::string t = one_of(workload.at("type"), {"register", "set", "counter", "bank"},
                               "workload type", "workload types");
  for (WorkloadType type : {WorkloadType::Set, WorkloadType::Counter, WorkloadType::Bank})
    if (t == workload_type_name(type)) return type;
  return WorkloadType::Register;
}

void parse_data_mix(const JsonReader& value, bool group, WorkloadSpec& w) {
  const WorkloadType t = w.type;
  if (t != WorkloadType::Set) reject(value, "remove_fraction", t, "is for sets");
  if (t != WorkloadType::Counter) reject(value, "decrement_fraction", t, "is for counters");
  if (t != WorkloadType::Register) reject(value, "cas_fraction", t, "is for registers");
  if (t != WorkloadType::Set) reject(value, "items", t, "is for sets");
  if (!group && t == WorkloadType::Register)
    reject(value, "final_reads", t, "is for sets and counters");
  if (value.has("items")) parse_items(value.at("items"), w);
  if (value.has("remove_fraction")) w.remove_fraction = value.probability("remove_fraction");
  if (value.has("decrement_fraction"))
    w.decrement_fraction = value.probability("decrement_fraction");
  if (t == WorkloadType::Set)
    require_sum(value, group, "remove_fraction", w.read_fraction, w.remove_fraction);
  if (t == WorkloadType::Counter)
    require_sum(value, group, "decrement_fraction", w.read_fraction, w.decrement_fraction);
}

bool any_decrements(const JsonReader& root) {
  auto positive = [](const nlohmann::json& w) {
    auto it = w.is_object() ? w.find("decrement_fraction") : w.end();
    return it != w.end() && it->is_number() && it->get<double>() > 0;
  };
  const nlohmann::json& doc = root.json();
  if (doc.contains("workload") && positive(doc["workload"])) return true;
  if (doc.contains("clients") && doc["clients"].is_array())
    for (const auto& g : doc["clients"])
      if (g.is_object() && g.contains("workload") && positive(g["workload"])) return true;
  return false;
}

void check_final_reads(const JsonReader& root, const Scenario& s) {
  if (s.workload.type != WorkloadType::Set && s.workload.type != WorkloadType::Counter) return;
  const JsonReader workload = root.at("workload");
  if (!workload.has("final_reads"))
    workload.fail("a " + type_text(s.workload.type) +
                  " workload needs \"final_reads\": the time every node is read once per key, "
                  "after the last heal (the checkers judge the run on those reads)");
  const JsonReader at = workload.at("final_reads");
  const Time t = *s.workload.final_reads;
  if (t >= s.duration)
    at.fail("final reads at " + format_duration(t) + " are not before the end of the run (" +
            format_duration(s.duration) + ")");
  for (std::size_t i = 0; i < s.clients.size(); ++i) {
    const WorkloadSpec& w = s.workload_of(i);
    const Time stop = w.stop.value_or(s.duration);
    if (t >= stop + w.timeout) continue;
    std::string whose = s.groups.empty() ? "the workload's"
                                         : "group \"" + s.groups[s.clients[i].group].name + "\"'s";
    at.fail("final reads at " + format_duration(t) + " come before " + whose + " stop (" +
            format_duration(stop) + (w.stop ? "" : ", the end of the run") +
            ") plus its timeout (" + format_duration(w.timeout) +
            "): give a \"stop\" so that every operation has ended before the final reads");
  }
}

}  // namespace consim::loader
