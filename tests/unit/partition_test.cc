// Partition shapes on 5 nodes n1..n5: the exact directed pairs each cuts,
// the random choices and the draws they take, and the majorities-ring
// property for every cluster size.
#include "sim/partition.h"

#include <doctest/doctest.h>

#include <set>

#include "base/json_input.h"

using namespace consim;

namespace partition_test {

namespace {

std::vector<std::string> nodes(int count) {
  std::vector<std::string> result;
  for (int i = 1; i <= count; ++i) {
    std::string node = "n";
    node += std::to_string(i);  // not "n" + ...: GCC 12 -O3 false -Wrestrict
    result.push_back(node);
  }
  return result;
}

// "n1>n3": n1 cannot send to n3. Built with += because GCC 12 at -O3 warns
// falsely (-Wrestrict, PR 105329) on chained std::string operator+.
std::string arrow(std::size_t from, std::size_t to) {
  std::string text = "n";
  text += std::to_string(from);
  text += ">n";
  text += std::to_string(to);
  return text;
}

// The cut as "n1>n3" strings (n1 cannot send to n3), sorted.
std::set<std::string> cut(const BlockMatrix& blocked) {
  std::set<std::string> pairs;
  for (std::size_t a = 0; a < blocked.size(); ++a)
    for (std::size_t b = 0; b < blocked[a].size(); ++b)
      if (blocked[a][b]) pairs.insert(arrow(a + 1, b + 1));
  return pairs;
}

// Both directions of each "a-b".
std::set<std::string> both_ways(std::initializer_list<std::pair<int, int>> pairs) {
  std::set<std::string> result;
  for (auto [a, b] : pairs) {
    result.insert(arrow(a, b));
    result.insert(arrow(b, a));
  }
  return result;
}

BlockMatrix compile(const PartitionSpec& spec, std::uint64_t seed = 1, int count = 5) {
  Rng rng(seed);
  return compile_partition(spec, nodes(count), rng);
}

PartitionSpec shape(std::string_view name) {
  PartitionSpec spec;
  spec.shape = find_shape(name);
  REQUIRE(spec.shape != nullptr);
  return spec;
}

// The nodes each node can send to, itself included.
std::vector<std::set<std::size_t>> views(const BlockMatrix& blocked) {
  std::vector<std::set<std::size_t>> result(blocked.size());
  for (std::size_t a = 0; a < blocked.size(); ++a)
    for (std::size_t b = 0; b < blocked.size(); ++b)
      if (!blocked[a][b]) result[a].insert(b);
  return result;
}

}  // namespace

TEST_CASE("partition: groups cut across groups, and unlisted nodes form one more group") {
  PartitionSpec spec = shape("groups");
  spec.groups = {{"n1", "n2"}, {"n3"}};
  CHECK(cut(compile(spec)) ==
        both_ways({{1, 3}, {1, 4}, {1, 5}, {2, 3}, {2, 4}, {2, 5}, {3, 4}, {3, 5}}));
}

TEST_CASE("partition: a node in two groups or an unknown node is an input error") {
  PartitionSpec spec = shape("groups");
  spec.groups = {{"n1", "n2"}, {"n2", "n3"}};
  CHECK_THROWS_AS(compile(spec), InputError);
  spec.groups = {{"n1", "n9"}};
  CHECK_THROWS_AS(compile(spec), InputError);
}

TEST_CASE("partition: one-way cuts from -> to and leaves the reverse open") {
  PartitionSpec spec = shape("one-way");
  spec.from = {"n1", "n2"};
  spec.to = {"n4"};
  CHECK(cut(compile(spec)) == std::set<std::string>{"n1>n4", "n2>n4"});
}

TEST_CASE("partition: isolate cuts the named node from everyone, both ways") {
  PartitionSpec spec = shape("isolate");
  spec.node = "n3";
  CHECK(cut(compile(spec)) == both_ways({{3, 1}, {3, 2}, {3, 4}, {3, 5}}));
}

TEST_CASE("partition: isolate with no node named picks rng.below(n), one call") {
  PartitionSpec spec = shape("isolate");
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    Rng rng(seed), mirror(seed);
    BlockMatrix blocked = compile_partition(spec, nodes(5), rng);
    int victim = static_cast<int>(mirror.below(5)) + 1;
    std::set<std::string> expected;
    for (int other = 1; other <= 5; ++other)
      if (other != victim) expected.merge(both_ways({{victim, other}}));
    CHECK(cut(blocked) == expected);
    CHECK(rng.next_u64() == mirror.next_u64());
  }
}

TEST_CASE("partition: majority-minority cuts the named minority from the rest") {
  PartitionSpec spec = shape("majority-minority");
  spec.minority = {"n4", "n5"};
  CHECK(cut(compile(spec)) == both_ways({{4, 1}, {4, 2}, {4, 3}, {5, 1}, {5, 2}, {5, 3}}));
}

TEST_CASE("partition: a random minority leaves a strict majority, for odd and even sizes") {
  PartitionSpec spec = shape("majority-minority");
  for (int n : {3, 4, 5, 6, 7}) {
    for (std::uint64_t seed = 1; seed <= 10; ++seed) {
      auto seen = views(compile(spec, seed, n));
      std::size_t smallest = static_cast<std::size_t>(n), largest = 0;
      for (const auto& view : seen) {
        smallest = std::min(smallest, view.size());
        largest = std::max(largest, view.size());
      }
      CHECK(smallest == static_cast<std::size_t>((n - 1) / 2));
      CHECK(largest == static_cast<std::size_t>(n - (n - 1) / 2));
    }
  }
}

TEST_CASE("partition: majorities-ring on 5 nodes cuts each node from the far side of the ring") {
  CHECK(cut(compile(shape("majorities-ring"))) ==
        both_ways({{1, 3}, {1, 4}, {2, 4}, {2, 5}, {3, 5}}));
}

TEST_CASE("partition: majorities-ring gives every node a majority, no two the same, n = 3..12") {
  for (int n = 3; n <= 12; ++n) {
    CAPTURE(n);
    BlockMatrix blocked = compile(shape("majorities-ring"), 1, n);
    auto seen = views(blocked);
    std::set<std::set<std::size_t>> distinct(seen.begin(), seen.end());
    CHECK(distinct.size() == static_cast<std::size_t>(n));
    for (std::size_t a = 0; a < seen.size(); ++a) {
      CHECK(2 * seen[a].size() > static_cast<std::size_t>(n));
      for (std::size_t b = 0; b < seen.size(); ++b) CHECK(blocked[a][b] == blocked[b][a]);
    }
  }
}

TEST_CASE("partition: bridge splits the others in id order and the bridge sees both halves") {
  PartitionSpec spec = shape("bridge");
  spec.node = "n3";
  CHECK(cut(compile(spec)) == both_ways({{1, 4}, {1, 5}, {2, 4}, {2, 5}}));
}

TEST_CASE("partition: a random bridge reaches everyone while the halves are cut 2 | 2") {
  PartitionSpec spec = shape("bridge");
  for (std::uint64_t seed = 1; seed <= 20; ++seed) {
    auto seen = views(compile(spec, seed));
    int bridges = 0;
    for (const auto& view : seen) {
      if (view.size() == 5)
        ++bridges;
      else
        CHECK(view.size() == 3);  // itself, its half-mate, the bridge
    }
    CHECK(bridges == 1);
  }
}

TEST_CASE("partition: random halves split 2 | 3, the same seed the same way") {
  PartitionSpec spec = shape("random-halves");
  BlockMatrix first = compile(spec, 11);
  CHECK(cut(first).size() == 2 * 2 * 3);
  CHECK(compile(spec, 11) == first);
  bool another_split = false;
  for (std::uint64_t seed = 12; seed < 60 && !another_split; ++seed)
    another_split = compile(spec, seed) != first;
  CHECK(another_split);
}

TEST_CASE("partition: random halves take exactly floor(n/2) calls of rng.below") {
  Rng rng(4), mirror(4);
  compile_partition(shape("random-halves"), nodes(5), rng);
  mirror.below(5);
  mirror.below(4);
  CHECK(rng.next_u64() == mirror.next_u64());
}

TEST_CASE("partition: no shape cuts a node from itself") {
  for (const ShapeEntry& entry : partition_shapes()) {
    if (!entry.random) continue;  // the shapes that need no keys
    BlockMatrix blocked = compile(shape(entry.name), 3);
    for (std::size_t i = 0; i < 5; ++i) CHECK_FALSE(blocked[i][i]);
  }
  PartitionSpec spec = shape("one-way");
  spec.from = {"n1", "n2"};
  spec.to = {"n1", "n2"};
  CHECK(cut(compile(spec)) == both_ways({{1, 2}}));
}

TEST_CASE("partition: overlapping cuts combine by union") {
  PartitionSpec isolate = shape("isolate");
  isolate.node = "n1";
  PartitionSpec one_way = shape("one-way");
  one_way.from = {"n4"};
  one_way.to = {"n5"};
  BlockMatrix a = compile(isolate), b = compile(one_way);
  std::set<std::string> expected = cut(a);
  expected.insert("n4>n5");
  CHECK(cut(union_blocks({&a, &b}, 5)) == expected);
  CHECK(cut(union_blocks({}, 5)).empty());
  CHECK(no_blocks(3) == BlockMatrix(3, std::vector<bool>(3, false)));
}

}  // namespace partition_test
