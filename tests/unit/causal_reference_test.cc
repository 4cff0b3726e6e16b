// The causal checkers against a brute-force reference on tiny random
// histories: the bad patterns must give exactly the verdicts of the models'
// definitions (POPL 2017), evaluated by enumerating orders.
//
// The reference takes co = (so ∪ wr)+, the least causal order: for
// differentiated histories a larger co only adds writes to causal pasts and
// constraints to arbitration, so it can never turn an invalid verdict valid.
//   CC:  every read o is legal in some linear extension of co on o's past.
//   CM:  for every o, one linear extension of co on o's past makes every op
//        of o's session up to o legal.
//   CCv: one total order extending co makes every read return the last write
//        to its key among the writes in the read's causal past.
#include <doctest/doctest.h>

#include <algorithm>
#include <numeric>
#include <sstream>
#include <string>

#include "analysis/checkers/causal.h"
#include "base/rng.h"
#include "tests/unit/test_scale.h"

namespace causal_reference_test {

namespace {

using consim::HistOp;
using consim::History;
using consim::Operation;
using consim::Verdict;

struct Reference {
  const History& h;
  std::size_t n;
  std::vector<std::vector<bool>> co;  // co[a][b]: a before b (reflexive)
  std::vector<int> source;            // read -> write index, -1: initial, -2: none

  explicit Reference(const History& history)
      : h(history), n(history.ops.size()), co(n, std::vector<bool>(n, false)), source(n, -2) {
    for (std::size_t i = 0; i < n; ++i) {
      co[i][i] = true;
      for (std::size_t j = i + 1; j < n; ++j) co[i][j] = h.ops[i].process == h.ops[j].process;
      if (h.ops[i].f != HistOp::Read) continue;
      source[i] = -1;
      for (std::size_t w = 0; w < n; ++w) {
        if (h.ops[i].value && h.ops[w].f == HistOp::Write && h.ops[w].key == h.ops[i].key &&
            h.ops[w].value == h.ops[i].value) {
          source[i] = static_cast<int>(w);
          co[w][i] = true;
        }
      }
      if (h.ops[i].value && source[i] == -1) source[i] = -2;  // thin air
    }
    for (std::size_t k = 0; k < n; ++k)
      for (std::size_t a = 0; a < n; ++a)
        for (std::size_t b = 0; b < n; ++b) co[a][b] = co[a][b] || (co[a][k] && co[k][b]);
  }

  bool acyclic() const {
    for (std::size_t a = 0; a < n; ++a)
      for (std::size_t b = 0; b < n; ++b)
        if (a != b && co[a][b] && co[b][a]) return false;
    for (std::size_t r = 0; r < n; ++r)
      if (source[r] == -2 && h.ops[r].f == HistOp::Read) return false;
    return true;
  }

  // Every permutation of `ops` that extends co; stops when f returns true.
  template <typename F>
  bool any_extension(std::vector<std::size_t> ops, F f) const {
    std::sort(ops.begin(), ops.end());
    do {
      bool ok = true;
      for (std::size_t i = 0; ok && i < ops.size(); ++i)
        for (std::size_t j = i + 1; ok && j < ops.size(); ++j) ok = !co[ops[j]][ops[i]];
      if (ok && f(ops)) return true;
    } while (std::next_permutation(ops.begin(), ops.end()));
    return false;
  }

  // Is read r legal at its place in seq (last write to its key before it)?
  bool legal(const std::vector<std::size_t>& seq, std::size_t r) const {
    int last = -1;
    for (std::size_t op : seq) {
      if (op == r) return last == source[r];
      if (h.ops[op].f == HistOp::Write && h.ops[op].key == h.ops[r].key)
        last = static_cast<int>(op);
    }
    return false;
  }

  std::vector<std::size_t> past(std::size_t o) const {
    std::vector<std::size_t> out;
    for (std::size_t a = 0; a < n; ++a)
      if (co[a][o]) out.push_back(a);
    return out;
  }

  bool is_read(std::size_t o) const { return h.ops[o].f == HistOp::Read; }

  bool cc() const {
    if (!acyclic()) return false;
    for (std::size_t o = 0; o < n; ++o) {
      if (is_read(o) && !any_extension(past(o), [&](const auto& seq) { return legal(seq, o); }))
        return false;
    }
    return true;
  }

  bool cm() const {
    if (!acyclic()) return false;
    for (std::size_t o = 0; o < n; ++o) {
      auto all_legal = [&](const auto& seq) {
        for (std::size_t r : seq)
          if (is_read(r) && h.ops[r].process == h.ops[o].process && !legal(seq, r)) return false;
        return true;
      };
      if (!any_extension(past(o), all_legal)) return false;
    }
    return true;
  }

  bool ccv() const {
    if (!acyclic()) return false;
    std::vector<std::size_t> all(n);
    std::iota(all.begin(), all.end(), 0);
    return any_extension(all, [&](const auto& arb) {
      for (std::size_t r = 0; r < n; ++r) {
        if (!is_read(r)) continue;
        int last = -1;
        for (std::size_t w : arb)
          if (!is_read(w) && h.ops[w].key == h.ops[r].key && co[w][r]) last = static_cast<int>(w);
        if (last != source[r]) return false;
      }
      return true;
    });
  }
};

History random_tiny_history(consim::Rng& rng) {
  History h;
  h.file = "tiny";
  h.key_names = {"x", "y"};
  std::size_t count = 3 + rng.below(6);
  std::uint64_t keys = 1 + rng.below(2);
  std::vector<std::vector<std::int64_t>> written(2);
  for (std::size_t i = 0; i < count; ++i) {
    Operation op;
    op.invoke_line = op.complete_line = i + 1;
    op.invoke_time = static_cast<consim::Time>(10 * (i + 1));
    op.complete_time = op.invoke_time + 5;
    op.outcome = consim::Outcome::Ok;
    op.process = static_cast<std::int64_t>(rng.below(3));
    op.key = static_cast<std::uint32_t>(rng.below(keys));
    op.f = rng.chance(0.45) ? HistOp::Write : HistOp::Read;
    if (op.f == HistOp::Write) {
      op.value = static_cast<std::int64_t>(i + 1);
      written[op.key].push_back(*op.value);
    }
    h.ops.push_back(op);
  }
  // Reads return nothing or a value written to the key: in half the
  // histories any such value, in the other half only one written earlier in
  // the list (so that more histories are valid and the models separate).
  bool earlier_only = rng.chance(0.5);
  for (Operation& op : h.ops) {
    if (op.f != HistOp::Read) continue;
    std::vector<std::int64_t> values;
    for (std::int64_t v : written[op.key]) {
      if (!earlier_only || static_cast<std::uint64_t>(v) < op.invoke_line) values.push_back(v);
    }
    std::size_t pick = rng.below(values.size() + 1);
    if (pick < values.size()) op.value = values[pick];
  }
  return h;
}

std::string describe(const History& h) {
  std::ostringstream out;
  for (const Operation& op : h.ops) {
    out << 'p' << op.process << (op.f == HistOp::Read ? " r " : " w ") << h.key_names[op.key]
        << ' ';
    if (op.value) {
      out << *op.value << '\n';
    } else {
      out << "-\n";
    }
  }
  return out.str();
}

}  // namespace

TEST_CASE("causal reference: the bad patterns decide CC, CM and CCv exactly on tiny histories") {
  int invalid[3] = {0, 0, 0};
  const int histories = consim::test::sweep(10000);
  for (std::uint64_t seed = 1; seed <= static_cast<std::uint64_t>(histories); ++seed) {
    consim::Rng rng(seed);
    History h = random_tiny_history(rng);
    Reference ref(h);
    auto results = consim::check_causal(h);
    INFO("seed " << seed << "\n" << describe(h));
    bool expected[3] = {ref.cc(), ref.cm(), ref.ccv()};
    for (int m = 0; m < 3; ++m) {
      INFO(results[static_cast<std::size_t>(m)].checker);
      REQUIRE(results[static_cast<std::size_t>(m)].verdict ==
              (expected[m] ? Verdict::Valid : Verdict::Invalid));
      invalid[m] += expected[m] ? 0 : 1;
    }
  }
  // The sample must exercise both verdicts and separate the models.
  CHECK(invalid[0] > histories / 10);
  CHECK(invalid[0] < histories * 9 / 10);
  CHECK(invalid[1] > invalid[0]);
  CHECK(invalid[2] > invalid[0]);
}

}  // namespace causal_reference_test
