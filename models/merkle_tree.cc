// The Merkle tree over key ranges; see merkle_tree.h.
#include "models/merkle_tree.h"

#include <stdexcept>
#include <string>

namespace consim {
namespace {

constexpr std::uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
constexpr std::uint64_t kFnvPrime = 0x100000001b3ULL;

std::uint64_t finalize(std::uint64_t x) {  // splitmix64's output function
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// A parent's hash: 0 for an empty subtree, so empty ranges cost nothing.
std::uint64_t combine(std::uint64_t left, std::uint64_t right) {
  if (left == 0 && right == 0) return 0;
  return hash_words({left, right});
}

}  // namespace

std::uint64_t hash_words(std::initializer_list<std::uint64_t> words) {
  std::uint64_t h = kFnvOffset;
  for (std::uint64_t w : words)
    for (int byte = 0; byte < 8; ++byte) {
      h ^= (w >> (8 * byte)) & 0xff;
      h *= kFnvPrime;
    }
  h = finalize(h);
  return h == 0 ? 1 : h;  // 0 is reserved for "empty"
}

MerkleTree::MerkleTree(unsigned depth) : depth_(depth) {
  if (depth > kMaxDepth)
    throw std::invalid_argument("Merkle tree depth " + std::to_string(depth) + " is more than " +
                                std::to_string(kMaxDepth));
  for (unsigned l = 0; l <= depth; ++l) levels_.emplace_back(width(l), 0);
}

std::size_t MerkleTree::leaf_of(Key key, unsigned depth) {
  if (depth == 0) return 0;
  return static_cast<std::size_t>(finalize(key + 0x9e3779b97f4a7c15ULL) >> (64 - depth));
}

void MerkleTree::toggle(Key key, std::uint64_t digest) {
  std::size_t index = leaf_of(key, depth_);
  // XOR keeps a leaf independent of the order its entries came in.
  levels_[depth_][index] ^= hash_words({key, digest});
  for (unsigned l = depth_; l > 0; --l) {
    const std::size_t parent = index / 2;
    levels_[l - 1][parent] = combine(levels_[l][2 * parent], levels_[l][2 * parent + 1]);
    index = parent;
  }
}

}  // namespace consim
