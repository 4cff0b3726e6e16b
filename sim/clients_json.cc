// The "clients" part of a scenario; see docs/scenario-format.md. Three forms:
//  - one group object {"count", "nodes", "fallback"}: every client runs the
//    top-level workload;
//  - a list of clients [{"node", "fallback"}, ...]: the same;
//  - a list of groups [{"name", "count", "nodes", "fallback", "workload"},
//    ...]: each group's clients run the top-level workload with the group's
//    own keys over it (workload_json.cc, parse_group_workload).
// A list is of clients or of groups, decided by its first element ("node"
// or "count"), never both. The first two forms give Scenario::groups empty,
// so their runs are what they were before groups existed, byte for byte.
//
// Clients bind round-robin within a group: {"count": 5, "nodes": ["n1",
// "n2"]} gives its clients 0, 2, 4 on n1 and 1, 3 on n2. A shared
// "fallback" list is used by every client minus its own node: with
// "fallback": ["n2","n3"], the clients on n2 fall back to n3 only. Groups
// number their clients one after the other: groups of 2 and 3 clients have
// clients 0-1 and 2-4.
// Invariants of the result: every client's node and fallbacks exist and a
// client never falls back to its own node; at most kMaxClients clients in
// all; group names are unique and non-empty.
#include <nlohmann/json.hpp>

#include "sim/scenario_parts.h"

namespace consim::loader {
namespace {

constexpr std::int64_t kMaxClients = 10'000;

std::vector<std::string> fallbacks_for(const std::string& node,
                                       const std::vector<std::string>& shared) {
  std::vector<std::string> out;
  for (const auto& f : shared)
    if (f != node) out.push_back(f);
  return out;
}

ClientSpec parse_one_client(const JsonReader& e, const NodeNames& nodes) {
  e.allow_only({"node", "fallback"});
  ClientSpec c;
  c.node = nodes.node(e.at("node"));
  if (e.has("fallback")) c.fallback = nodes.list(e.at("fallback"), 0);
  for (std::size_t i = 0; i < c.fallback.size(); ++i)
    if (c.fallback[i] == c.node)
      e.at("fallback")
          .element(i)
          .fail("\"" + c.node + "\" is the client's own node, not a fallback");
  return c;
}

// `count` clients bound round robin to `nodes` (all nodes if absent).
void add_bound_clients(const JsonReader& value, const NodeNames& nodes, std::size_t group,
                       ClientsPart& out) {
  auto count = value.integer("count", 1, kMaxClients);
  auto bound = value.has("nodes") ? nodes.list(value.at("nodes"), 1) : nodes.all();
  auto shared =
      value.has("fallback") ? nodes.list(value.at("fallback"), 0) : std::vector<std::string>{};
  for (std::int64_t i = 0; i < count; ++i) {
    ClientSpec c;
    c.node = bound[static_cast<std::size_t>(i) % bound.size()];
    c.fallback = fallbacks_for(c.node, shared);
    c.group = group;
    out.clients.push_back(std::move(c));
  }
}

// What the element is: "node" a client, "count" a group.
bool is_group(const JsonReader& e) {
  if (!e.json().is_object())
    e.fail("expected a client {\"node\": ...} or a group {\"count\": ...}, got " +
           json_described(e.json()));
  if (e.has("count")) return true;
  if (e.has("node")) return false;
  e.fail(
      "expected a client {\"node\": ...} or a group {\"count\": ...}: give \"node\" or \"count\"");
}

std::string group_name(const JsonReader& e, std::size_t index, const ClientsPart& so_far) {
  std::string name =
      e.has("name") ? non_empty_string(e.at("name")) : "group " + std::to_string(index);
  for (std::size_t i = 0; i < so_far.groups.size(); ++i)
    if (so_far.groups[i].name == name)
      (e.has("name") ? e.at("name") : e)
          .fail("duplicate group name \"" + name + "\" (also $.clients[" + std::to_string(i) +
                "])");
  return name;
}

void parse_group(const JsonReader& e, std::size_t index, const NodeNames& nodes,
                 const WorkloadContext& w, ClientsPart& out) {
  e.allow_only({"name", "count", "nodes", "fallback", "workload"});
  ClientGroup g;
  g.name = group_name(e, index, out);
  g.first_client = out.clients.size();
  const auto room = kMaxClients - static_cast<std::int64_t>(out.clients.size());
  if (room < 1 || e.integer("count", 1, kMaxClients) > room)
    e.fail_at("count", "at most " + std::to_string(kMaxClients) + " clients in all groups, and " +
                           std::to_string(out.clients.size()) + " are in the groups before");
  add_bound_clients(e, nodes, out.groups.size(), out);
  g.count = out.clients.size() - g.first_client;
  g.nodes = e.has("nodes") ? nodes.list(e.at("nodes"), 1) : nodes.all();
  g.workload = e.has("workload")
                   ? parse_group_workload(e.at("workload"), w.top, w.duration, w.client_latency)
                   : w.top;
  if (g.workload.script && e.has("workload") && e.at("workload").has("script"))
    check_script_own_keys(e.at("workload").at("script"), *g.workload.script, g.count,
                          g.workload.keys);
  out.groups.push_back(std::move(g));
}

ClientsPart parse_list(const JsonReader& value, const NodeNames& nodes, const WorkloadContext& w) {
  auto elements = value.as_array();
  if (elements.empty()) value.fail("expected at least one client");
  const bool groups = is_group(elements.front());
  if (!groups && elements.size() > static_cast<std::size_t>(kMaxClients))
    value.fail("at most " + std::to_string(kMaxClients) + " clients");
  ClientsPart out;
  for (std::size_t i = 0; i < elements.size(); ++i) {
    const JsonReader& e = elements[i];
    if (is_group(e) != groups)
      e.fail(std::string("a list holds clients {\"node\": ...} or groups {\"count\": ...}, not "
                         "both: $.clients[0] is a ") +
             (groups ? "group" : "client") + ", this is a " + (groups ? "client" : "group"));
    if (groups)
      parse_group(e, i, nodes, w, out);
    else
      out.clients.push_back(parse_one_client(e, nodes));
  }
  return out;
}

}  // namespace

ClientsPart parse_clients(const JsonReader& value, const NodeNames& nodes,
                          const WorkloadContext& workload) {
  if (value.json().is_array()) return parse_list(value, nodes, workload);
  if (!value.json().is_object())
    value.fail("expected {\"count\": ...} or a list of clients or of groups, got " +
               json_type_name(value.json()));
  value.allow_only({"count", "nodes", "fallback"});
  ClientsPart out;
  add_bound_clients(value, nodes, 0, out);
  return out;
}

std::vector<ClientSpec> default_clients(const NodeNames& nodes) {
  std::vector<ClientSpec> clients;
  for (const auto& name : nodes.all()) clients.push_back(ClientSpec{name, {}, 0});
  return clients;
}

}  // namespace consim::loader
