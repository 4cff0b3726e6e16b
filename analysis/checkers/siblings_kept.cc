// The siblings-kept checker: see siblings_kept.h.
#include "analysis/checkers/siblings_kept.h"

#include <algorithm>

namespace consim {
namespace {

constexpr std::size_t kSiblingsListed = 20;

// a >= b pointwise (a node absent counts 0); a != b.
bool dominates(const VersionFacts::Vector& a, const VersionFacts::Vector& b) {
  auto it = a.begin();
  for (const auto& [node, count] : b) {
    if (count == 0) continue;
    while (it != a.end() && it->first < node) ++it;
    if (it == a.end() || it->first != node || it->second < count) return false;
  }
  return a != b;
}

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

enum class Fate { Kept, Covered, Undecided, Dropped };

// What became of acknowledged version `w` among the versions of its key.
Fate fate_of(const VersionFacts& f, const std::vector<std::uint32_t>& of_key, std::uint32_t w) {
  const VersionFacts::Version& v = f.versions[w];
  if (v.held_at_end) return Fate::Kept;
  bool unknown = false;
  // A covering write comes after w; look there first.
  auto at = std::find(of_key.begin(), of_key.end(), w);
  for (std::size_t step = 0; step < of_key.size(); ++step) {
    const std::uint32_t u = *(of_key.begin() + ((at - of_key.begin()) + step) % of_key.size());
    if (u == w) continue;
    if (!f.versions[u].vv_known) {
      unknown = true;
      continue;
    }
    if (dominates(f.versions[u].vv, v.vv)) return Fate::Covered;
  }
  return unknown ? Fate::Undecided : Fate::Dropped;
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
               ", is held by no replica at the end and no write of key " + out.key +
               " has a version vector covering it: " + where;
  out.ops = {v.write_line};
  out.slice = {v.write_line, v.ack_line};
  if (v.left_line != 0) out.slice.push_back(v.left_line);
  std::sort(out.slice.begin(), out.slice.end());
  return out;
}

}  // namespace

CheckResult check_siblings_kept(const History& h) {
  CheckResult r;
  r.checker = "siblings-kept";
  if (!h.versions || h.versions->apply_lines == 0) {
    r.note =
        "no replica state (no apply lines), nothing to judge: needs a consim trace at level "
        "state or full";
    return r;
  }
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
  std::uint64_t checked = 0, kept = 0, covered = 0, undecided = 0;
  for (std::uint32_t i = 0; i < f.versions.size(); ++i) {
    const VersionFacts::Version& v = f.versions[i];
    if (v.ack_line == 0) continue;  // not acknowledged (with a vector): not judged
    ++checked;
    switch (fate_of(f, by_key[v.key], i)) {
      case Fate::Kept:
        ++kept;
        break;
      case Fate::Covered:
        ++covered;
        break;
      case Fate::Undecided:
        ++undecided;
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
  if (undecided > 0) {
    if (r.verdict == Verdict::Valid) r.verdict = Verdict::Unknown;
    r.note += ", " + std::to_string(undecided) +
              " gone and coverable only by a write whose version vector the trace does not show "
              "(unacknowledged, never alone on a replica)";
  }
  return r;
}

}  // namespace consim
