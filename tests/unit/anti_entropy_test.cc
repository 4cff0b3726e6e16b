// The Merkle tree and the anti-entropy exchange on their own, with a toy
// store (key -> version number, merged by taking the larger): equal stores
// have equal roots; one differing key is found in depth + 1 tree messages;
// an exchange converges two stores; its traffic follows the differences,
// not the store's size; only keys both replicate are compared.
#include "models/anti_entropy.h"

#include <doctest/doctest.h>

#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "base/rng.h"
#include "models/model_support.h"

namespace anti_entropy_test {

using namespace consim;

struct Wire {
  struct InFlight {
    NodeId from, to;
    PayloadPtr message;
  };
  std::vector<InFlight> queue;
  std::map<std::string, std::size_t> messages, bytes;  // by type
  std::size_t total_messages() const {
    std::size_t n = 0;
    for (const auto& [type, count] : messages) n += count;
    return n;
  }
  std::size_t total_bytes() const {
    std::size_t n = 0;
    for (const auto& [type, count] : bytes) n += count;
    return n;
  }
};

class MiniContext : public Context {
 public:
  MiniContext(Wire& wire, NodeId self, std::size_t nodes) : wire_(wire), self_(self), n_(nodes) {}
  NodeId self() const override { return self_; }
  std::size_t node_count() const override { return n_; }
  std::string_view node_name(NodeId id) const override { return names_[id % 8]; }
  Time now() const override { return 0; }
  Time local_clock() const override { return 0; }
  void send(NodeId to, PayloadPtr m) override {
    ++wire_.messages[std::string(m->type())];
    wire_.bytes[std::string(m->type())] += m->size_bytes();
    wire_.queue.push_back({self_, to, std::move(m)});
  }
  TimerId set_timer(Time delay, std::uint64_t tag) override {
    timers.push_back({delay, tag});
    return timers.size();
  }
  void cancel_timer(TimerId) override {}
  void reply(const Request&, Reply) override {}
  Rng& rng() override { return rng_; }
  void applied(Key, std::optional<Value>) override {}
  void note(std::string_view what, std::string_view, std::optional<Time>) override {
    ++notes[std::string(what)];
  }
  void role(std::string_view, std::uint64_t) override {}

  std::vector<std::pair<Time, std::uint64_t>> timers;
  std::map<std::string, std::size_t> notes;

 private:
  Wire& wire_;
  NodeId self_;
  std::size_t n_;
  Rng rng_{1};
  const char* names_[8] = {"n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8"};
};

struct Version : KeyVersions {
  explicit Version(std::uint64_t v) : version(v) {}
  std::uint64_t version;
  std::size_t size_bytes() const override { return 8; }
};

constexpr std::uint8_t kTimer = 7;

// A replica of the toy store with its anti-entropy component.
class Node : public AntiEntropyHost {
 public:
  using Shares = std::function<bool(NodeId self, NodeId peer, Key key)>;
  Node(Wire& wire, NodeId self, std::size_t nodes, unsigned depth, Shares shares = {})
      : ctx(wire, self, nodes),
        ae(*this, ctx, AntiEntropyConfig{kSecond, depth}, kTimer),
        self_(self),
        nodes_(nodes),
        shares_(std::move(shares)) {}

  void put(Key key, std::uint64_t version) {
    store[key] = version;
    ae.key_changed(key, hash_words({version}));
  }

  std::vector<NodeId> anti_entropy_peers() const override {
    std::vector<NodeId> peers;
    for (NodeId p = 0; p < nodes_; ++p)
      if (p != self_) peers.push_back(p);
    return peers;
  }
  bool shares_key(NodeId peer, Key key) const override {
    return !shares_ || shares_(self_, peer, key);
  }
  KeyVersionsPtr key_versions(Key key) override {
    return std::make_shared<Version>(store.at(key));
  }
  void merge_key_versions(Key key, const KeyVersions& v) override {
    const auto& theirs = dynamic_cast<const Version&>(v);
    auto it = store.find(key);
    if (it == store.end() || it->second < theirs.version) put(key, theirs.version);
  }

  MiniContext ctx;
  AntiEntropy ae;
  std::map<Key, std::uint64_t> store;

 private:
  NodeId self_;
  std::size_t nodes_;
  Shares shares_;
};

// Delivers every message until the exchange is over.
void settle(std::vector<Node*> nodes, Wire& wire) {
  while (!wire.queue.empty()) {
    Wire::InFlight m = wire.queue.front();
    wire.queue.erase(wire.queue.begin());
    REQUIRE(nodes[m.to]->ae.on_message(m.from, *m.message));
  }
}

// One exchange started by `a` (with its next peer), run to the end.
void exchange(Node& a, std::vector<Node*> nodes, Wire& wire) {
  a.ae.on_timer(timer_tag(kTimer, 0));
  settle(std::move(nodes), wire);
}

TEST_CASE("merkle: equal stores have equal roots whatever order the keys came in") {
  MerkleTree a(5), b(5);
  for (Key k = 0; k < 100; ++k) a.toggle(k, hash_words({k * 7}));
  for (Key k = 100; k-- > 0;) b.toggle(k, hash_words({k * 7}));
  CHECK(a.root() == b.root());
  CHECK(a.root() != 0);
  for (unsigned l = 0; l <= 5; ++l)
    for (std::size_t i = 0; i < a.width(l); ++i) CHECK(a.hash(l, i) == b.hash(l, i));
  // Toggling an entry twice removes it: back to the empty tree.
  MerkleTree c(3);
  c.toggle(42, 9);
  CHECK(c.root() != 0);
  c.toggle(42, 9);
  CHECK(c.root() == 0);
}

TEST_CASE("merkle: one differing key differs on exactly one root-to-leaf path") {
  MerkleTree a(6), b(6);
  for (Key k = 0; k < 500; ++k) {
    a.toggle(k, hash_words({1}));
    b.toggle(k, hash_words({k == 321 ? 2u : 1u}));
  }
  CHECK(a.root() != b.root());
  const std::size_t leaf = MerkleTree::leaf_of(321, 6);
  for (unsigned l = 0; l <= 6; ++l)
    for (std::size_t i = 0; i < a.width(l); ++i)
      CHECK((a.hash(l, i) != b.hash(l, i)) == (i == leaf >> (6 - l)));
}

TEST_CASE("merkle: the hash is pinned (same on every platform and compiler)") {
  CHECK(hash_words({}) == 0xf52a15e9a9b5e89bULL);
  CHECK(hash_words({1, 2}) == hash_words({1, 2}));
  CHECK(hash_words({1, 2}) != hash_words({2, 1}));
  CHECK(MerkleTree::leaf_of(12345, 0) == 0);
  CHECK(MerkleTree::leaf_of(12345, 16) < 65536);
}

TEST_CASE("anti-entropy: replicas in sync exchange one tree message") {
  Wire wire;
  Node a(wire, 0, 2, 6), b(wire, 1, 2, 6);
  for (Key k = 0; k < 200; ++k) {
    a.put(k, k + 1);
    b.put(k, k + 1);
  }
  exchange(a, {&a, &b}, wire);
  CHECK(wire.total_messages() == 1);
  CHECK(wire.messages["anti-entropy-tree"] == 1);
}

TEST_CASE("anti-entropy: one differing key is found in depth + 1 tree messages") {
  for (unsigned depth : {0u, 1u, 4u, 8u}) {
    CAPTURE(depth);
    Wire wire;
    Node a(wire, 0, 2, depth), b(wire, 1, 2, depth);
    for (Key k = 0; k < 300; ++k) {
      a.put(k, 1);
      b.put(k, 1);
    }
    b.put(77, 2);
    exchange(a, {&a, &b}, wire);
    CHECK(wire.messages["anti-entropy-tree"] == depth + 1);
    // The receiver of the leaf level ships its keys of the differing range:
    // b (even depth) sends key 77 and a has nothing to answer; a (odd
    // depth) sends its keys and b answers with key 77 only.
    CHECK(wire.messages["anti-entropy-keys"] == (depth % 2 ? 2u : 1u));
    CHECK(a.store.at(77) == 2);
    CHECK(a.ae.tree_for(1).root() == b.ae.tree_for(0).root());
    CHECK(a.ctx.notes["anti-entropy-repair"] == 1);
  }
}

TEST_CASE("anti-entropy: one exchange converges two stores, keys missing on either side included") {
  Rng rng(99);
  for (int round = 0; round < 20; ++round) {
    Wire wire;
    Node a(wire, 0, 2, 5), b(wire, 1, 2, 5);
    for (Key k = 0; k < 400; ++k) {
      const std::uint64_t draw = rng.next_u64() % 10;
      if (draw < 6) {  // both, maybe different versions
        a.put(k, 1 + rng.next_u64() % 3);
        b.put(k, 1 + rng.next_u64() % 3);
      } else if (draw < 8) {
        a.put(k, 5);
      } else if (draw < 9) {
        b.put(k, 6);
      }
    }
    exchange(round % 2 ? a : b, {&a, &b}, wire);
    CHECK(a.store == b.store);
    CHECK(a.ae.tree_for(1).root() == b.ae.tree_for(0).root());
  }
}

TEST_CASE("anti-entropy: traffic follows the differences, not the size of the store") {
  auto bytes_for = [](std::size_t keys, std::size_t differing) {
    Wire wire;
    Node a(wire, 0, 2, 10), b(wire, 1, 2, 10);
    for (Key k = 0; k < keys; ++k) {
      a.put(k, 1);
      b.put(k, k * 7919 % keys < differing ? 2 : 1);
    }
    exchange(a, {&a, &b}, wire);
    CHECK(a.store == b.store);
    return wire.total_bytes();
  };
  const std::size_t one_small = bytes_for(1000, 1), one_large = bytes_for(20000, 1);
  const std::size_t ten = bytes_for(20000, 10), hundred = bytes_for(20000, 100);
  // One differing key costs about the same in a store 20 times larger: a
  // path of 10 levels (11 tree messages), then the keys of one range (about
  // 20 in 1024 ranges).
  CHECK(one_large < 2 * one_small);
  CHECK(one_large < 1500);
  // Ten times the differences, between 5 and 15 times the bytes.
  CHECK(hundred > 5 * ten);
  CHECK(hundred < 15 * ten);
  // Far less than shipping the whole store (20000 keys of 24 bytes).
  CHECK(hundred * 4 < 20000 * 24);
}

TEST_CASE("anti-entropy: only keys both replicas hold are compared and shipped") {
  // Three nodes; node 2 replicates only even keys, nodes 0 and 1 all keys.
  auto shares = [](NodeId self, NodeId peer, Key key) {
    return (self != 2 && peer != 2) || key % 2 == 0;
  };
  Wire wire;
  Node a(wire, 0, 3, 4, shares), b(wire, 1, 3, 4, shares), c(wire, 2, 3, 4, shares);
  for (Key k = 0; k < 50; ++k) {
    a.put(k, 1);
    b.put(k, 1);
    if (k % 2 == 0) c.put(k, 1);
  }
  // a's odd keys are not c's business: a and c are in sync.
  CHECK(a.ae.tree_for(2).root() == c.ae.tree_for(0).root());
  a.put(3, 9);  // odd: c does not care
  CHECK(a.ae.tree_for(2).root() == c.ae.tree_for(0).root());
  a.put(4, 9);  // even: c is behind
  CHECK(a.ae.tree_for(2).root() != c.ae.tree_for(0).root());
  exchange(c, {&a, &b, &c}, wire);  // c's first peer is a (2 % 2 = 0)
  CHECK(c.store.at(4) == 9);
  CHECK_FALSE(c.store.contains(3));
  CHECK(b.store.at(4) == 1);        // b was not in this exchange
  exchange(a, {&a, &b, &c}, wire);  // a's first peer is b
  CHECK(b.store.at(3) == 9);
  CHECK(b.store.at(4) == 9);
}

TEST_CASE("anti-entropy: the first exchange is staggered by node id, then every interval") {
  Wire wire;
  Node a(wire, 0, 4, 3), d(wire, 3, 4, 3);
  a.ae.start();
  d.ae.start();
  REQUIRE(a.ctx.timers.size() == 1);
  CHECK(a.ctx.timers[0].first == kSecond / 4);
  CHECK(d.ctx.timers[0].first == kSecond);
  CHECK(a.ae.owns_timer(a.ctx.timers[0].second));
  a.ae.on_timer(a.ctx.timers[0].second);
  CHECK(a.ctx.timers.back().first == kSecond);
  CHECK(wire.queue.size() == 1);
  CHECK(wire.queue[0].to == 1);  // round-robin from its own id: peers 1, 2, 3
}

TEST_CASE("anti-entropy: the interval parameter is \"off\" or a positive duration") {
  auto parse = [](nlohmann::json v) {
    nlohmann::json params = {{"anti_entropy", v}};
    return anti_entropy_param(JsonReader(params, "s.json", "$.model.params"), "anti_entropy",
                              std::nullopt);
  };
  CHECK(parse("off") == std::nullopt);
  CHECK(parse("250ms") == 250 * kMillisecond);
  nlohmann::json none = nlohmann::json::object();
  CHECK(anti_entropy_param(JsonReader(none, "s.json", "$"), "anti_entropy", kSecond) == kSecond);
  CHECK(anti_entropy_param_text(std::nullopt) == "off");
  CHECK(anti_entropy_param_text(kSecond) == "1s");
  for (nlohmann::json bad : {nlohmann::json("0s"), nlohmann::json(5), nlohmann::json("on")}) {
    CAPTURE(bad.dump());
    try {
      parse(bad);
      FAIL("accepted");
    } catch (const InputError& e) {
      CHECK(e.path() == "$.model.params.anti_entropy");
      CHECK(std::string(e.what()).find("s.json") != std::string::npos);
    }
  }
}

}  // namespace anti_entropy_test
