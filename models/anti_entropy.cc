// Anti-entropy by Merkle-tree comparison; see anti_entropy.h.
#include "models/anti_entropy.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "models/model_support.h"

namespace consim {
namespace {

using NodeHashes = std::vector<std::pair<std::uint32_t, std::uint64_t>>;  // (index, hash)

struct TreeMessage : Payload {
  unsigned level = 0;
  NodeHashes nodes;
  std::string_view type() const override { return "anti-entropy-tree"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 1 + 4 + 12 * nodes.size(); }
};

struct KeysMessage : Payload {
  std::vector<std::uint32_t> leaves;
  std::vector<AntiEntropy::Entry> entries;
  bool reply = false;
  std::string_view type() const override { return "anti-entropy-keys"; }
  std::size_t size_bytes() const override {
    std::size_t bytes = kEnvelopeBytes + 1 + 4 + 4 * leaves.size() + 4;
    for (const AntiEntropy::Entry& e : entries) bytes += 8 + 8 + e.versions->size_bytes();
    return bytes;
  }
};

}  // namespace

std::optional<Time> anti_entropy_param(const JsonReader& params, std::string_view key,
                                       std::optional<Time> fallback) {
  if (!params.has(key)) return fallback;
  const JsonReader value = params.at(key);
  if (value.json().is_string() && value.json().get<std::string>() == "off") return std::nullopt;
  if (!value.json().is_string())
    value.fail("expected \"off\" or a positive duration, e.g. \"500ms\"");
  Time t = value.as_duration();
  if (t <= 0) value.fail("expected \"off\" or a positive duration, e.g. \"500ms\"");
  return t;
}

std::string anti_entropy_param_text(const std::optional<Time>& interval) {
  return interval ? format_duration(*interval) : "off";
}

AntiEntropy::AntiEntropy(AntiEntropyHost& host, Context& ctx, AntiEntropyConfig config,
                         std::uint8_t timer_kind)
    : host_(host),
      ctx_(ctx),
      config_(config),
      timer_kind_(timer_kind),
      leaf_keys_(std::size_t{1} << config.depth) {}

void AntiEntropy::ensure_trees() {
  if (trees_built_) return;
  trees_built_ = true;
  peers_ = host_.anti_entropy_peers();
  for (NodeId p : peers_) {
    MerkleTree& t = trees_.emplace(p, MerkleTree(config_.depth)).first->second;
    for (const auto& [key, digest] : digests_)
      if (host_.shares_key(p, key)) t.toggle(key, digest);
  }
  if (!peers_.empty()) next_peer_ = ctx_.self() % peers_.size();
}

void AntiEntropy::start() {
  ensure_trees();
  if (peers_.empty() || config_.interval <= 0) return;
  // Staggered so that replicas do not all compare at the same instant.
  const Time first =
      config_.interval * static_cast<Time>(ctx_.self() + 1) / static_cast<Time>(ctx_.node_count());
  ctx_.set_timer(first, timer_tag(timer_kind_, 0));
}

void AntiEntropy::key_changed(Key key, std::uint64_t digest) {
  auto [it, inserted] = digests_.try_emplace(key, digest);
  const std::uint64_t old = it->second;
  if (!inserted && old == digest) return;
  it->second = digest;
  leaf_keys_[MerkleTree::leaf_of(key, config_.depth)].insert(key);
  if (!trees_built_) return;  // ensure_trees() reads digests_
  for (auto& [peer, tree] : trees_) {
    if (!host_.shares_key(peer, key)) continue;
    if (!inserted) tree.toggle(key, old);
    tree.toggle(key, digest);
  }
}

bool AntiEntropy::owns_timer(std::uint64_t tag) const { return timer_kind(tag) == timer_kind_; }

void AntiEntropy::on_timer(std::uint64_t) {
  exchange();
  ctx_.set_timer(config_.interval, timer_tag(timer_kind_, 0));
}

const MerkleTree& AntiEntropy::tree_for(NodeId peer) {
  ensure_trees();
  return trees_.at(peer);
}

void AntiEntropy::exchange() {
  ensure_trees();
  if (peers_.empty()) return;
  const NodeId peer = peers_[next_peer_];
  next_peer_ = (next_peer_ + 1) % peers_.size();
  auto msg = std::make_shared<TreeMessage>();
  msg->level = 0;
  msg->nodes.emplace_back(0, trees_.at(peer).root());
  ctx_.send(peer, msg);
}

bool AntiEntropy::on_message(NodeId from, const Payload& message) {
  if (auto* t = payload_as<TreeMessage>(message)) {
    on_tree(from, t->level, t->nodes);
    return true;
  }
  if (auto* k = payload_as<KeysMessage>(message)) {
    on_keys(from, k->leaves, k->entries, k->reply);
    return true;
  }
  return false;
}

void AntiEntropy::on_tree(NodeId from, unsigned level, const NodeHashes& nodes) {
  ensure_trees();
  auto it = trees_.find(from);
  if (it == trees_.end() || level > config_.depth) return;  // not a peer of ours
  const MerkleTree& tree = it->second;
  std::vector<std::uint32_t> differing;
  for (const auto& [index, hash] : nodes)
    if (index < tree.width(level) && tree.hash(level, index) != hash) differing.push_back(index);
  if (differing.empty()) return;  // in sync
  if (level == config_.depth) return send_keys(from, differing, nullptr, true);
  auto msg = std::make_shared<TreeMessage>();
  msg->level = level + 1;
  for (std::uint32_t i : differing)
    for (std::uint32_t child : {2 * i, 2 * i + 1})
      msg->nodes.emplace_back(child, tree.hash(level + 1, child));
  ctx_.send(from, msg);
}

void AntiEntropy::on_keys(NodeId from, const std::vector<std::uint32_t>& leaves,
                          const std::vector<Entry>& entries, bool reply) {
  ensure_trees();
  if (!trees_.contains(from)) return;
  std::map<Key, std::uint64_t> theirs;
  for (const Entry& e : entries) {
    theirs[e.key] = e.digest;
    if (!host_.shares_key(from, e.key)) continue;
    auto mine = digests_.find(e.key);
    if (mine != digests_.end() && mine->second == e.digest) continue;
    const std::optional<std::uint64_t> before =
        mine == digests_.end() ? std::nullopt : std::optional(mine->second);
    host_.merge_key_versions(e.key, *e.versions);
    auto after = digests_.find(e.key);
    if (after != digests_.end() && (!before || after->second != *before))
      ctx_.note("anti-entropy-repair",
                "key " + std::to_string(e.key) + " from " + std::string(ctx_.node_name(from)));
  }
  if (reply) send_keys(from, leaves, &theirs, false);
}

// My entries in `leaves` shared with `to`; with `theirs`, only those it
// lacks or holds with another digest.
void AntiEntropy::send_keys(NodeId to, const std::vector<std::uint32_t>& leaves,
                            const std::map<Key, std::uint64_t>* theirs, bool reply) {
  auto msg = std::make_shared<KeysMessage>();
  msg->reply = reply;
  for (std::uint32_t leaf : leaves) {
    if (leaf >= leaf_keys_.size()) continue;
    msg->leaves.push_back(leaf);
    for (Key key : leaf_keys_[leaf]) {
      if (!host_.shares_key(to, key)) continue;
      const std::uint64_t digest = digests_.at(key);
      if (theirs) {
        auto t = theirs->find(key);
        if (t != theirs->end() && t->second == digest) continue;
      }
      msg->entries.push_back({key, digest, host_.key_versions(key)});
    }
  }
  if (!reply && msg->entries.empty()) return;
  ctx_.send(to, msg);
}

}  // namespace consim
