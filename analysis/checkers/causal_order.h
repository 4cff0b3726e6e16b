// The causal order of a read/write history, internal to the causal checkers
// (causal.cc, causal_memory.cc): session order (so) plus read-from (wr) as a
// Boost.Graph, and vector clocks that answer "does a reach b?" in O(1).
//
// Which operations take part (a judgement call; docs/checkers.md, "Causal"):
//  - ok reads and ok writes;
//  - fail operations never happened: dropped;
//  - info reads: their value is unknown: dropped;
//  - info writes: kept if some ok read returned their value (then they took
//    effect), dropped otherwise;
//  - a read that returned several siblings reads from every sibling's write
//    (a wr edge from each): it observed them all. Example: p1 writes x=1 and times out, then
//    reads x and gets nothing. Nobody ever reads 1, so the write may have been
//    lost, and the history is causally consistent. Keeping an unread write can
//    only add violations, so dropping it never hides a certain one.
//
// Invariants: node ids follow History::ops order; a session lists its nodes
// in invoke order; an so edge joins consecutive nodes of one session; a wr
// edge joins each write a read returns to that read. Clock rows are indexed by
// row_of[node]; entry [row][p] is 1 + the largest position in session p of a
// node that reaches the row's node (or is it), 0 if none. Since a session is a
// chain, u reaches v iff clock(v)[proc u] > pos u: memory is 4 bytes times
// rows times sessions.
#pragma once

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "analysis/trace/history.h"

namespace consim::causal {

inline constexpr std::uint32_t kNoNode = UINT32_MAX;

enum class Source : std::uint8_t { NotARead, Write, Initial, ThinAir };

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

struct KeyWriter {
  std::uint32_t proc = 0;
  std::vector<std::uint32_t> positions;  // ascending positions of its writes to the key
};

struct Sessions {
  const History* history = nullptr;
  std::vector<std::uint32_t> op;                    // node -> index into history->ops
  std::vector<std::uint32_t> proc;                  // node -> dense session id
  std::vector<std::uint32_t> pos;                   // node -> position in its session
  std::vector<Source> source;                       // node -> where a read's value comes from
  std::vector<std::uint32_t> writer;                // read node -> write node (Source::Write)
  std::vector<std::uint32_t> failed_write;          // thin-air read -> op of a failed write of it
  std::vector<std::vector<std::uint32_t>> session;  // proc -> nodes in order
  std::vector<std::int64_t> process_id;             // proc -> History process
  std::vector<std::vector<KeyWriter>> key_writers;  // key -> writers, by proc
  // A read that returned several siblings reads from each: read node -> the
  // write nodes of its siblings after the first (the first is `writer`).
  // Looked up, never iterated.
  std::map<std::uint32_t, std::vector<std::uint32_t>> more_writers;

  std::size_t size() const { return op.size(); }
  const Operation& at(std::uint32_t node) const { return history->ops[op[node]]; }
  bool is_write(std::uint32_t node) const { return source[node] == Source::NotARead; }
  std::uint32_t key(std::uint32_t node) const { return at(node).key; }
  std::uint64_t line(std::uint32_t node) const { return at(node).invoke_line; }
  std::uint32_t nprocs() const { return static_cast<std::uint32_t>(session.size()); }
  bool is_so(std::uint32_t u, std::uint32_t v) const {
    return proc[u] == proc[v] && pos[v] == pos[u] + 1;
  }
  bool is_wr(std::uint32_t u, std::uint32_t v) const {
    if (source[v] != Source::Write) return false;
    if (writer[v] == u) return true;
    auto it = more_writers.find(v);
    return it != more_writers.end() &&
           std::find(it->second.begin(), it->second.end(), u) != it->second.end();
  }
  // Every write node read v reads from: its writer, then its other siblings'.
  std::vector<std::uint32_t> sources(std::uint32_t v) const {
    std::vector<std::uint32_t> out{writer[v]};
    if (auto it = more_writers.find(v); it != more_writers.end())
      out.insert(out.end(), it->second.begin(), it->second.end());
    return out;
  }
};

// Throws InputError if a key is written the same value twice or a write has
// no value: the checkers rely on unique values.
Sessions build_sessions(const History& h);
// Adds so and wr edges to g, which must have a vertex per node. (Graphs are
// filled in place: Boost's adjacency_list copies where one would move.)
void add_causal_edges(const Sessions& s, Graph& g);

struct Components {
  std::vector<std::uint32_t> of;  // node -> component
  std::uint32_t count = 0;
  std::vector<std::uint32_t> nontrivial;  // smallest node of each component with > 1 node
};
Components strong_components_of(const Graph& g);

struct Clocks {
  std::uint32_t nprocs = 0;
  std::vector<std::uint32_t> row_of;  // node -> row
  std::vector<std::uint32_t> entries;
  const std::uint32_t* row(std::uint32_t node) const {
    return entries.data() + static_cast<std::size_t>(row_of[node]) * nprocs;
  }
  // Does u precede v (or equal it) in the order the clocks were built from?
  bool reaches(const Sessions& s, std::uint32_t u, std::uint32_t v) const {
    return row(v)[s.proc[u]] > s.pos[u];
  }
};
// Clocks over any graph on the nodes: cycles are condensed to one row.
Clocks clocks_of(const Graph& g, const Components& c, const Sessions& s);

// The latest write to `key` by session `proc` at a position < bound, or kNoNode.
std::uint32_t latest_write_before(const Sessions& s, const KeyWriter& w, std::uint32_t bound);

// Edges that are neither so nor wr (cf edges, happens-before edges), with the
// read that justifies each and the round it was added in (>= 1).
struct ExtraEdge {
  std::uint32_t via_read = kNoNode;
  std::uint32_t round = 1;
};
using ExtraEdges = std::map<std::pair<std::uint32_t, std::uint32_t>, ExtraEdge>;

// Shortest path from `from` to `to` using so, wr and extra edges of round
// < max_round; only nodes that reach `to` by `clocks` are visited. Empty if
// there is none.
std::vector<std::uint32_t> shortest_path(const Graph& g, const Sessions& s, const ExtraEdges& extra,
                                         const Clocks& clocks, std::uint32_t from, std::uint32_t to,
                                         std::uint32_t max_round);
// Shortest cycle through `start` inside its strong component.
std::vector<std::uint32_t> shortest_cycle(const Graph& g, const Components& c, std::uint32_t start);

// Adds to `out` the nodes that show each step of `path` (or cycle, if
// `cyclic`): both ends, the ends of every wr or extra edge (not the middle of
// a run of session order), and for each extra edge its justifying read and
// the path that justifies it, recursively.
void explain(const Graph& g, const Sessions& s, const ExtraEdges& extra, const Clocks& clocks,
             const std::vector<std::uint32_t>& path, bool cyclic, std::set<std::uint32_t>& out);

// Invoke lines of nodes, ascending.
std::vector<std::uint64_t> lines_of(const Sessions& s, const std::set<std::uint32_t>& nodes);
std::string key_name(const Sessions& s, std::uint32_t node);
std::string value_text(const Operation& op);

}  // namespace consim::causal
