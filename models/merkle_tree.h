// A Merkle tree over a replica's keys, for anti-entropy (anti_entropy.h):
// a complete binary tree of `depth` levels below the root whose 2^depth
// leaves are ranges of the (hashed) key space. A key lies in leaf
// leaf_of(key), fixed for a run; a leaf's hash combines the entries
// (key, digest) of the keys the tree holds in its range, where `digest` is
// the model's 64-bit summary of what it holds for the key (its version, or
// its siblings). An inner node's hash combines its two children's.
//
// Invariants: a tree's hashes depend only on the set of (key, digest)
// entries it holds, never on the order they were added in, so two replicas
// holding the same versions of the same keys have equal roots, and equal
// hashes at every node. An empty range hashes to 0. Updating one key costs
// O(depth). The hash is our own (FNV-1a over the words, then a 64-bit
// finalizer): the same on every platform and compiler, no dependency.
//
// Worked example (depth 2, four leaves): keys 7 and 9 fall in leaves 1 and
// 3. Leaf 1 = entry(7, d7), leaf 3 = entry(9, d9), leaves 0 and 2 = 0;
// level 1 = [combine(0, leaf 1), combine(0, leaf 3)], the root combines
// those. A replica where key 9 has another digest differs in leaf 3, level-1
// node 1 and the root, and agrees everywhere else: a comparison descends
// root -> node 1 -> leaf 3, two steps, and only key 9's range is shipped.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <vector>

#include "models/model.h"

namespace consim {

// The project's 64-bit hash of a few words (FNV-1a over their bytes, then a
// splitmix64 finalizer). Models use it to digest a key's versions.
std::uint64_t hash_words(std::initializer_list<std::uint64_t> words);

class MerkleTree {
 public:
  static constexpr unsigned kMaxDepth = 16;

  // depth in [0, kMaxDepth]; 2^depth leaves.
  explicit MerkleTree(unsigned depth);

  // The leaf whose range holds `key` in a tree of `depth` levels.
  static std::size_t leaf_of(Key key, unsigned depth);

  // Adds the entry (key, digest) if absent, removes it if present: replace
  // a key's digest by toggling the old entry out and the new one in.
  void toggle(Key key, std::uint64_t digest);

  unsigned depth() const { return depth_; }
  std::size_t width(unsigned level) const { return std::size_t{1} << level; }
  // The hash of node `index` of `level` (level 0 is the root, level depth()
  // the leaves).
  std::uint64_t hash(unsigned level, std::size_t index) const { return levels_[level][index]; }
  std::uint64_t root() const { return levels_[0][0]; }

 private:
  unsigned depth_;
  std::vector<std::vector<std::uint64_t>> levels_;  // levels_[l] has 2^l hashes
};

}  // namespace consim
