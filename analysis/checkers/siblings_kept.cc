// The siblings-kept checker: see siblings_kept.h.
#include "analysis/checkers/siblings_kept.h"

#include <algorithm>
#include <map>
#include <memory>

#include "analysis/checkers/causal_patterns.h"
#include "analysis/checkers/write_index.h"

namespace consim {
namespace {

constexpr std::size_t kSiblingsListed = 20;

std::string vv_text(const VersionFacts::Vector& vv, const History& h) {
  std::string out = "{";
  for (const auto& [node, count] : vv) {
    if (out.size() > 1) out += ", ";
    out += (node < h.node_names.size() ? h.node_names[node] : std::to_string(node)) + ":" +
           std::to_string(count);
  }
  return out + "}";
}

std::string key_text(const History& h, std::uint32_t key) {
  return key < h.key_names.size() ? h.key_names[key] : std::to_string(key);
}

enum class Fate { Kept, Covered, Dropped };

// The causal order of one key's operations (causal_order.h: session order
// and reads-from, a read of several siblings reading from each): a
// client's context is per key, so only what it read or wrote of this key
// counts. Writes whose outcome is unknown take part: one that took effect
// may have superseded siblings.
struct KeyOrder {
  History ops;
  causal::Analysis a;
  WriteIndex writes;
  std::vector<std::uint32_t> node_of;  // op index -> node (kNoNode: not in the order)

  static History project(const History& h, std::uint32_t key) {
    History storage;
    const History& base = cas_as_writes(h, storage);
    History out;
    out.key_names = base.key_names;
    out.node_names = base.node_names;
    out.file = base.file;
    out.read_siblings = base.read_siblings;
    for (const Operation& op : base.ops) {
      if (op.key != key) continue;
      out.ops.push_back(op);
      if (op.f != HistOp::Read && op.outcome == Outcome::Info) out.ops.back().outcome = Outcome::Ok;
    }
    return out;
  }
  KeyOrder(const History& h, std::uint32_t key)
      : ops(project(h, key)), a(causal::build_sessions(ops)), writes(index_unique_writes(ops)) {
    node_of.assign(ops.ops.size(), causal::kNoNode);
    for (std::uint32_t n = 0; n < a.s.size(); ++n) node_of[a.s.op[n]] = n;
  }
  std::uint32_t node(const VersionFacts::Version& v) const {
    Operation probe;
    probe.key = v.key;
    probe.value = v.value;
    std::uint32_t op = write_of(writes, probe);
    return op == UINT32_MAX ? causal::kNoNode : node_of[op];
  }
};

// What became of acknowledged version `w`: still held, or covered by a write
// of its key that causally follows it (its writer's process had read it, or
// a value after it, or had written it), or dropped.
Fate fate_of(const VersionFacts& f, const KeyOrder& order, const std::vector<std::uint32_t>& of_key,
             std::uint32_t w) {
  if (f.versions[w].held_at_end) return Fate::Kept;
  const std::uint32_t from = order.node(f.versions[w]);
  if (from == causal::kNoNode) return Fate::Dropped;
  // The covering write usually appears soon after w: look there first, then
  // wrap around (of_key is in order of first appearance, ascending).
  const std::size_t at =
      static_cast<std::size_t>(std::lower_bound(of_key.begin(), of_key.end(), w) - of_key.begin());
  for (std::size_t step = 1; step < of_key.size(); ++step) {
    const std::uint32_t u = of_key[(at + step) % of_key.size()];
    const std::uint32_t to = order.node(f.versions[u]);
    if (to != causal::kNoNode && order.a.clocks.reaches(order.a.s, from, to)) return Fate::Covered;
  }
  return Fate::Dropped;
}

Violation dropped(const History& h, const VersionFacts::Version& v) {
  Violation out;
  out.checker = "siblings-kept";
  out.key = key_text(h, v.key);
  std::string where = "no replica ever held it";
  if (v.left_line != 0) {
    const std::string node =
        v.left_node < h.node_names.size() ? h.node_names[v.left_node] : std::to_string(v.left_node);
    where = "it last left " + node + " at line " + std::to_string(v.left_line);
  }
  out.reason = "the write of " + std::to_string(v.value) + " at line " +
               std::to_string(v.write_line) + ", acknowledged at line " +
               std::to_string(v.ack_line) + " with vv " + vv_text(v.vv, h) +
               ", is held by no replica at the end and no later write of key " + out.key +
               " follows it causally (none of their processes read it, or a value after it, or "
               "wrote it): " +
               where;
  out.ops = {v.write_line};
  out.slice = {v.write_line, v.ack_line};
  if (v.left_line != 0) out.slice.push_back(v.left_line);
  std::sort(out.slice.begin(), out.slice.end());
  return out;
}

}  // namespace

CheckResult check_siblings_kept(const History& h) {
  if (!h.versions || h.versions->apply_lines == 0) return no_replica_state("siblings-kept");
  CheckResult r;
  r.checker = "siblings-kept";
  const VersionFacts& f = *h.versions;
  if (f.apply_lines_vv == 0) {
    r.note =
        "not applicable: no apply line carries a version vector, so every replica keeps one "
        "value per key (lww, or a model without conflict resolution); " +
        std::to_string(f.lww_overwrote) +
        " concurrent writes were overwritten by lww, by design (the report's conflicts and "
        "lost_writes sections count them)";
    return r;
  }
  std::vector<std::vector<std::uint32_t>> by_key;
  for (std::uint32_t i = 0; i < f.versions.size(); ++i) {
    if (f.versions[i].key >= by_key.size()) by_key.resize(f.versions[i].key + 1);
    by_key[f.versions[i].key].push_back(i);
  }
  std::map<std::uint32_t, std::unique_ptr<KeyOrder>> orders;  // built for keys with a write gone
  auto order_of = [&](std::uint32_t key) -> const KeyOrder& {
    auto& slot = orders[key];
    if (!slot) slot = std::make_unique<KeyOrder>(h, key);
    return *slot;
  };
  std::uint64_t checked = 0, kept = 0, covered = 0;
  for (std::uint32_t i = 0; i < f.versions.size(); ++i) {
    const VersionFacts::Version& v = f.versions[i];
    if (v.ack_line == 0) continue;  // not acknowledged (with a vector): not judged
    ++checked;
    const Fate fate = v.held_at_end ? Fate::Kept : fate_of(f, order_of(v.key), by_key[v.key], i);
    switch (fate) {
      case Fate::Kept:
        ++kept;
        break;
      case Fate::Covered:
        ++covered;
        break;
      case Fate::Dropped:
        ++r.violation_count;
        if (r.violations.size() < kSiblingsListed) r.violations.push_back(dropped(h, v));
        break;
    }
  }
  r.note = std::to_string(checked) + " acknowledged writes: " + std::to_string(kept) +
           " still held at the end, " + std::to_string(covered) + " covered by a later write";
  if (r.violation_count > 0) {
    r.verdict = Verdict::Invalid;
    r.note += ", " + std::to_string(r.violation_count) + " dropped without a merge";
  }
  return r;
}

}  // namespace consim
