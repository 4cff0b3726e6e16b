// Shortest paths and cycles in the causal graphs, and the slices that show a
// violation; see causal_order.h. A slice keeps the ends of every read-from or
// extra edge and drops the middle of a run of session order: session order
// is implied by each process's own lines, so the middle adds nothing.
// Example: p1 w x 1 (line 1), p1 w y 5 (line 2), p1 w y 6 (line 3), p2 r y 6
// (line 4), p2 r x - (line 5). The path 1 -> 2 -> 3 -> 4 -> 5 shows the
// write of x reaching the read; its slice is lines 1, 3, 4, 5.
#include <algorithm>
#include <deque>

#include "analysis/checkers/causal_order.h"

namespace consim::causal {
namespace {

bool allowed(const Sessions& s, const ExtraEdges& extra, std::uint32_t u, std::uint32_t v,
             std::uint32_t max_round) {
  if (s.is_so(u, v) || s.is_wr(u, v)) return true;
  auto it = extra.find({u, v});
  return it != extra.end() && it->second.round < max_round;
}

std::vector<std::uint32_t> unwind(const std::vector<std::uint32_t>& parent, std::uint32_t from,
                                  std::uint32_t to) {
  std::vector<std::uint32_t> path{to};
  while (path.back() != from) path.push_back(parent[path.back()]);
  std::reverse(path.begin(), path.end());
  return path;
}

struct Explainer {
  const Graph& g;
  const Sessions& s;
  const ExtraEdges& extra;
  const Clocks& clocks;
  std::set<std::uint32_t>& out;
  std::set<std::pair<std::uint32_t, std::uint32_t>> done;  // extra edges already explained

  void edge(std::uint32_t u, std::uint32_t v) {
    if (s.is_so(u, v)) return;
    out.insert(u);
    out.insert(v);
    if (s.is_wr(u, v) || !done.insert({u, v}).second) return;
    auto it = extra.find({u, v});
    if (it == extra.end()) return;
    std::uint32_t via = it->second.via_read;
    out.insert(via);
    path(shortest_path(g, s, extra, clocks, u, via, it->second.round), false);
  }

  void path(const std::vector<std::uint32_t>& nodes, bool cyclic) {
    if (nodes.empty()) return;
    if (!cyclic) {
      out.insert(nodes.front());
      out.insert(nodes.back());
    }
    for (std::size_t i = 0; i + 1 < nodes.size(); ++i) edge(nodes[i], nodes[i + 1]);
    if (cyclic) edge(nodes.back(), nodes.front());
  }
};

}  // namespace

std::vector<std::uint32_t> shortest_path(const Graph& g, const Sessions& s, const ExtraEdges& extra,
                                         const Clocks& clocks, std::uint32_t from, std::uint32_t to,
                                         std::uint32_t max_round) {
  std::vector<std::uint32_t> parent(s.size(), kNoNode);
  std::deque<std::uint32_t> queue{from};
  parent[from] = from;
  while (!queue.empty()) {
    std::uint32_t u = queue.front();
    queue.pop_front();
    if (u == to) return unwind(parent, from, to);
    for (auto [e, end] = boost::out_edges(u, g); e != end; ++e) {
      auto v = static_cast<std::uint32_t>(boost::target(*e, g));
      if (parent[v] != kNoNode || !clocks.reaches(s, v, to)) continue;
      if (!allowed(s, extra, u, v, max_round)) continue;
      parent[v] = u;
      queue.push_back(v);
    }
  }
  return {};
}

std::vector<std::uint32_t> shortest_cycle(const Graph& g, const Components& c,
                                          std::uint32_t start) {
  std::vector<std::uint32_t> parent(c.of.size(), kNoNode);
  std::deque<std::uint32_t> queue{start};
  while (!queue.empty()) {
    std::uint32_t u = queue.front();
    queue.pop_front();
    for (auto [e, end] = boost::out_edges(u, g); e != end; ++e) {
      auto v = static_cast<std::uint32_t>(boost::target(*e, g));
      if (v == start) {
        parent[start] = start;
        return unwind(parent, start, u);
      }
      if (parent[v] != kNoNode || c.of[v] != c.of[start]) continue;
      parent[v] = u;
      queue.push_back(v);
    }
  }
  return {};
}

void explain(const Graph& g, const Sessions& s, const ExtraEdges& extra, const Clocks& clocks,
             const std::vector<std::uint32_t>& path, bool cyclic, std::set<std::uint32_t>& out) {
  Explainer{g, s, extra, clocks, out, {}}.path(path, cyclic);
}

std::vector<std::uint64_t> lines_of(const Sessions& s, const std::set<std::uint32_t>& nodes) {
  std::vector<std::uint64_t> lines;
  for (std::uint32_t n : nodes) lines.push_back(s.line(n));
  std::sort(lines.begin(), lines.end());
  lines.erase(std::unique(lines.begin(), lines.end()), lines.end());
  return lines;
}

std::string key_name(const Sessions& s, std::uint32_t node) {
  std::uint32_t key = s.key(node);
  const auto& names = s.history->key_names;
  return key < names.size() ? names[key] : std::to_string(key);
}

std::string value_text(const Operation& op) {
  return op.value ? std::to_string(*op.value) : std::string("nothing");
}

}  // namespace consim::causal
