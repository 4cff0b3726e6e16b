// Session order, read-from, strong components, vector clocks and the paths
// that explain a violation; see causal_order.h.
#include "analysis/checkers/causal_order.h"

#include <algorithm>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>

#include "analysis/checkers/write_index.h"

namespace consim::causal {
namespace {

bool is_ok_read(const Operation& op) { return op.f == HistOp::Read && op.outcome == Outcome::Ok; }

// The writes of the other siblings an ok read returned (after the first),
// as op indices; those nobody wrote are left out.
std::vector<std::uint32_t> other_siblings(const History& h, const WriteIndex& writes,
                                          const Operation& read) {
  std::vector<std::uint32_t> out;
  if (read.siblings < 2) return out;
  auto listed = h.read_siblings.find(read.invoke_line);
  if (listed == h.read_siblings.end()) return out;
  for (std::size_t k = 1; k < listed->second.size(); ++k) {
    Operation probe = read;
    probe.value = listed->second[k];
    if (std::uint32_t w = write_of(writes, probe); w != UINT32_MAX) out.push_back(w);
  }
  return out;
}

// Which ops take part: ok ops, and info writes some ok read returned (as
// its value or one of its siblings).
std::vector<bool> participating(const History& h, const WriteIndex& writes) {
  std::vector<bool> in(h.ops.size(), false);
  for (std::uint32_t i = 0; i < h.ops.size(); ++i) {
    const Operation& op = h.ops[i];
    if (op.outcome == Outcome::Ok) in[i] = true;
    if (!is_ok_read(op)) continue;
    std::uint32_t w = write_of(writes, op);
    if (w != UINT32_MAX && h.ops[w].outcome == Outcome::Info) in[w] = true;
    for (std::uint32_t s : other_siblings(h, writes, op))
      if (h.ops[s].outcome == Outcome::Info) in[s] = true;
  }
  return in;
}

void add_node(Sessions& s, std::map<std::int64_t, std::uint32_t>& procs, std::uint32_t op_index) {
  const Operation& op = s.history->ops[op_index];
  auto [it, fresh] = procs.emplace(op.process, static_cast<std::uint32_t>(s.session.size()));
  if (fresh) {
    s.session.emplace_back();
    s.process_id.push_back(op.process);
  }
  auto node = static_cast<std::uint32_t>(s.op.size());
  s.op.push_back(op_index);
  s.proc.push_back(it->second);
  s.pos.push_back(static_cast<std::uint32_t>(s.session[it->second].size()));
  s.session[it->second].push_back(node);
  s.source.push_back(op.f == HistOp::Write ? Source::NotARead : Source::Initial);
  s.writer.push_back(kNoNode);
  s.failed_write.push_back(kNoNode);
}

void resolve_reads(Sessions& s, const WriteIndex& writes,
                   const std::vector<std::uint32_t>& node_of) {
  for (std::uint32_t n = 0; n < s.size(); ++n) {
    const Operation& op = s.at(n);
    if (op.f != HistOp::Read || !op.value) continue;  // initial value
    s.source[n] = Source::ThinAir;
    std::uint32_t w = write_of(writes, op);
    if (w == UINT32_MAX) continue;
    if (node_of[w] == kNoNode) {
      s.failed_write[n] = w;  // only a failed write wrote it
      continue;
    }
    s.source[n] = Source::Write;
    s.writer[n] = node_of[w];
    std::vector<std::uint32_t> more;
    for (std::uint32_t sibling : other_siblings(*s.history, writes, op))
      if (node_of[sibling] != kNoNode) more.push_back(node_of[sibling]);
    if (!more.empty()) s.more_writers.emplace(n, std::move(more));
  }
}

void index_key_writers(Sessions& s) {
  std::size_t keys = s.history->key_names.size();
  for (std::uint32_t n = 0; n < s.size(); ++n) keys = std::max<std::size_t>(keys, s.key(n) + 1);
  s.key_writers.assign(keys, {});
  for (std::uint32_t p = 0; p < s.nprocs(); ++p) {
    for (std::uint32_t n : s.session[p]) {
      if (!s.is_write(n)) continue;
      auto& writers = s.key_writers[s.key(n)];
      if (writers.empty() || writers.back().proc != p) writers.push_back({p, {}});
      writers.back().positions.push_back(s.pos[n]);
    }
  }
}

// Sweeps a DAG in topological order; rows[d] gets the max of its
// predecessors' rows and its own members' entries.
template <typename Members>
std::vector<std::uint32_t> sweep(const Graph& dag, std::uint32_t nprocs, const Sessions& s,
                                 Members members) {
  std::vector<Graph::vertex_descriptor> order;
  order.reserve(boost::num_vertices(dag));
  boost::topological_sort(dag, std::back_inserter(order));  // reverse topological
  std::vector<std::uint32_t> rows(boost::num_vertices(dag) * std::size_t{nprocs}, 0);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    std::uint32_t* row = rows.data() + *it * nprocs;
    members(*it, [&](std::uint32_t node) {
      row[s.proc[node]] = std::max(row[s.proc[node]], s.pos[node] + 1);
    });
    for (auto [e, end] = boost::out_edges(*it, dag); e != end; ++e) {
      std::uint32_t* next = rows.data() + boost::target(*e, dag) * nprocs;
      for (std::uint32_t p = 0; p < nprocs; ++p) next[p] = std::max(next[p], row[p]);
    }
  }
  return rows;
}

}  // namespace

Sessions build_sessions(const History& h) {
  WriteIndex writes = index_unique_writes(h);
  std::vector<bool> in = participating(h, writes);
  Sessions s;
  s.history = &h;
  std::map<std::int64_t, std::uint32_t> procs;  // History process -> dense id
  std::vector<std::uint32_t> node_of(h.ops.size(), kNoNode);
  for (std::uint32_t i = 0; i < h.ops.size(); ++i) {
    if (!in[i]) continue;
    node_of[i] = static_cast<std::uint32_t>(s.op.size());
    add_node(s, procs, i);
  }
  resolve_reads(s, writes, node_of);
  index_key_writers(s);
  return s;
}

void add_causal_edges(const Sessions& s, Graph& g) {
  for (const auto& nodes : s.session) {
    for (std::size_t i = 1; i < nodes.size(); ++i) boost::add_edge(nodes[i - 1], nodes[i], g);
  }
  for (std::uint32_t n = 0; n < s.size(); ++n) {
    if (s.source[n] != Source::Write) continue;
    boost::add_edge(s.writer[n], n, g);
    if (auto it = s.more_writers.find(n); it != s.more_writers.end())
      for (std::uint32_t w : it->second) boost::add_edge(w, n, g);
  }
}

Components strong_components_of(const Graph& g) {
  Components c;
  c.of.resize(boost::num_vertices(g));
  c.count = static_cast<std::uint32_t>(boost::strong_components(
      g, boost::make_iterator_property_map(c.of.begin(), boost::get(boost::vertex_index, g))));
  std::vector<std::uint32_t> size(c.count, 0), first(c.count, kNoNode);
  for (std::uint32_t n = 0; n < c.of.size(); ++n) {
    if (size[c.of[n]]++ == 0) first[c.of[n]] = n;
  }
  for (std::uint32_t k = 0; k < c.count; ++k) {
    if (size[k] > 1) c.nontrivial.push_back(first[k]);
  }
  std::sort(c.nontrivial.begin(), c.nontrivial.end());
  return c;
}

Clocks clocks_of(const Graph& g, const Components& c, const Sessions& s) {
  Clocks clocks;
  clocks.nprocs = s.nprocs();
  if (c.nontrivial.empty()) {
    clocks.row_of.resize(s.size());
    for (std::uint32_t n = 0; n < s.size(); ++n) clocks.row_of[n] = n;
    clocks.entries = sweep(g, clocks.nprocs, s,
                           [](std::size_t v, auto&& add) { add(static_cast<std::uint32_t>(v)); });
    return clocks;
  }
  Graph dag(c.count);
  std::vector<std::vector<std::uint32_t>> members(c.count);
  for (std::uint32_t n = 0; n < s.size(); ++n) {
    members[c.of[n]].push_back(n);
    for (auto [e, end] = boost::out_edges(n, g); e != end; ++e) {
      auto m = static_cast<std::uint32_t>(boost::target(*e, g));
      if (c.of[n] != c.of[m]) boost::add_edge(c.of[n], c.of[m], dag);
    }
  }
  clocks.row_of = c.of;
  clocks.entries = sweep(dag, clocks.nprocs, s, [&](std::size_t v, auto&& add) {
    for (std::uint32_t n : members[v]) add(n);
  });
  return clocks;
}

std::uint32_t latest_write_before(const Sessions& s, const KeyWriter& w, std::uint32_t bound) {
  auto it = std::lower_bound(w.positions.begin(), w.positions.end(), bound);
  if (it == w.positions.begin()) return kNoNode;
  return s.session[w.proc][*(it - 1)];
}

}  // namespace consim::causal
