// Anti-entropy: a replica periodically compares its keys with one peer's by
// Merkle trees (merkle_tree.h) and both ship the versions of the keys that
// differ, so replicas converge even when a write missed some of them (a
// partition, a lost message, a crashed node) and nothing retries it.
// Reusable by any model that stores per-key versions: the model implements
// AntiEntropyHost (what it shares with whom, its versions of a key, how to
// merge a peer's) and tells the component each time a key's versions change.
//
// Protocol (every message type starts "anti-entropy-", so the report counts
// its messages and bytes per type):
//   every `interval` (staggered by node id), pick the next peer, round-robin:
//     send tree(level 0, [root])
//   on tree(level l, nodes) from p: compare each node with my tree for p
//     none differs: done (in sync)
//     l < depth: send tree(l + 1, both children of each differing node)
//     l = depth: send keys(differing leaves, my entries in them, reply wanted)
//   on keys(leaves, entries, reply) from p: merge each entry (the model's
//     resolution); if reply wanted, send keys(leaves, my entries in them that
//     p lacks or holds otherwise, no reply)
// So an exchange that finds d differing keys sends at most depth + 3
// messages, of O(d) hashes each, and only the differing ranges' keys; two
// replicas in sync exchange one tree message. The protocol is stateless
// (every message carries what its receiver needs), so a lost message just
// ends that exchange; the next one starts over.
//
// Each replica keeps one tree per peer over the keys both replicate
// (AntiEntropyHost::shares_key), so partially replicated stores (a quorum
// ring with N below the node count) compare exactly their shared keys.
// Trees, like the store they summarise, survive a crash; timers do not, so
// the model calls on_recover().
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string_view>
#include <vector>

#include "base/json_input.h"
#include "models/merkle_tree.h"
#include "models/model.h"

namespace consim {

// One key's versions as a model ships them (one version, or its siblings).
class KeyVersions {
 public:
  virtual ~KeyVersions() = default;
  virtual std::size_t size_bytes() const = 0;  // on the wire, without the key
};
using KeyVersionsPtr = std::shared_ptr<const KeyVersions>;

class AntiEntropyHost {
 public:
  virtual ~AntiEntropyHost() = default;
  // The nodes this replica compares with, in a fixed order. Read once.
  virtual std::vector<NodeId> anti_entropy_peers() const = 0;
  // Whether `peer` replicates `key` too (symmetric).
  virtual bool shares_key(NodeId peer, Key key) const = 0;
  // What this replica holds of `key` (a key it reported to key_changed).
  virtual KeyVersionsPtr key_versions(Key key) = 0;
  // Merges a peer's versions of `key` through the model's resolution, and
  // calls AntiEntropy::key_changed if what it holds changed.
  virtual void merge_key_versions(Key key, const KeyVersions& versions) = 0;
};

struct AntiEntropyConfig {
  Time interval = 0;   // between one replica's exchanges
  unsigned depth = 6;  // 64 key ranges
};

// The model parameter `key`: "off" (nullopt) or a positive duration, e.g.
// "anti_entropy": "500ms"; `fallback` when absent.
std::optional<Time> anti_entropy_param(const JsonReader& params, std::string_view key,
                                       std::optional<Time> fallback);
// "off" or the duration, for the trace header's params.
std::string anti_entropy_param_text(const std::optional<Time>& interval);

class AntiEntropy {
 public:
  // `timer_kind`: the model's timer kind for the exchange timer (timer_tag).
  AntiEntropy(AntiEntropyHost& host, Context& ctx, AntiEntropyConfig config,
              std::uint8_t timer_kind);

  // Arms the first exchange; call once the host can answer (after its
  // constructor), and again from on_recover().
  void start();
  void on_recover() { start(); }
  // The host now holds versions of `key` summarised by `digest` (nonzero).
  void key_changed(Key key, std::uint64_t digest);

  bool owns_timer(std::uint64_t tag) const;
  void on_timer(std::uint64_t tag);
  // Handles an anti-entropy message; false if `message` is not one.
  bool on_message(NodeId from, const Payload& message);

  // For tests: this replica's tree over the keys it shares with `peer`.
  const MerkleTree& tree_for(NodeId peer);

  // One key shipped in an "anti-entropy-keys" message.
  struct Entry {
    Key key;
    std::uint64_t digest;
    KeyVersionsPtr versions;
  };

 private:
  void ensure_trees();
  void exchange();
  void on_tree(NodeId from, unsigned level,
               const std::vector<std::pair<std::uint32_t, std::uint64_t>>& nodes);
  void on_keys(NodeId from, const std::vector<std::uint32_t>& leaves,
               const std::vector<Entry>& entries, bool reply);
  void send_keys(NodeId to, const std::vector<std::uint32_t>& leaves,
                 const std::map<Key, std::uint64_t>* theirs, bool reply);

  AntiEntropyHost& host_;
  Context& ctx_;
  const AntiEntropyConfig config_;
  const std::uint8_t timer_kind_;
  bool trees_built_ = false;
  std::vector<NodeId> peers_;
  std::size_t next_peer_ = 0;
  std::map<NodeId, MerkleTree> trees_;    // by peer
  std::map<Key, std::uint64_t> digests_;  // what the host holds
  std::vector<std::set<Key>> leaf_keys_;  // by leaf
};

}  // namespace consim
