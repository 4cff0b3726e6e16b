// The leader-lease model's configuration and messages, shared by its files:
// leader_lease.cc (the replica: application, storage and lease service on
// whichever nodes play them) and leader_lease_params.cc (the parser).
//
// Invariants: a fencing token is the Raft log index of the grant entry, so
// tokens only grow (a later grant commits at a later index); the document
// a store message carries replaces the storage's whole document.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/model_info.h"
#include "models/model_support.h"
#include "models/raft_core.h"

namespace consim::leader_lease {

struct Config : ModelConfig {
  std::vector<std::string> node_names;  // for to_json
  std::vector<NodeId> coordination;     // the Raft group granting leases
  std::vector<NodeId> apps;             // application nodes the clients talk to
  NodeId storage = 0;                   // holds the document
  Time lease = 1 * kSecond;
  Time renew_interval = 250 * kMillisecond;
  Time processing_time = 5 * kMillisecond;
  bool fencing_tokens = true;
  RaftOptions raft;

  nlohmann::json to_json() const override;
};

using Document = std::map<Key, Value>;

// An app asks every member of the group for the lease (token 0: it holds
// none) or to renew it; sent_at is the app's local clock when it asked, and
// the lease it gets runs from there.
struct LeaseRequest : Payload {
  NodeId app = 0;
  std::uint64_t token = 0;
  Time sent_at = 0;
  std::string_view type() const override { return "lease-request"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 4 + 8 + 8; }
};

struct LeaseGrant : Payload {
  NodeId app = 0;
  std::uint64_t token = 0;
  Time sent_at = 0;  // echoed from the request
  std::string_view type() const override { return "lease-grant"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 4 + 8 + 8; }
};

// Someone else holds the lease: who, with which token.
struct LeaseBusy : Payload {
  NodeId holder = 0;
  std::uint64_t token = 0;
  std::string_view type() const override { return "lease-busy"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 4 + 8; }
};

// A Raft log entry: give the lease to `app` if the current token is still
// `expected_token` (so a leader that has not applied everything cannot
// grant over a grant it has not seen).
struct GrantCommand : Payload {
  NodeId app = 0;
  std::uint64_t expected_token = 0;
  std::string_view type() const override { return "grant"; }
  std::size_t size_bytes() const override { return 4 + 8; }
};

// The group's replicated state (and its snapshot).
struct LeaseState : Payload {
  std::optional<NodeId> holder;
  std::uint64_t token = 0;
  std::string_view type() const override { return "lease-state"; }
  std::size_t size_bytes() const override { return 4 + 8; }
};

struct DocRead : Payload {
  std::uint64_t op = 0;
  std::string_view type() const override { return "doc-read"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8; }
};

struct Doc : Payload {
  std::uint64_t op = 0;
  Document doc;
  std::string_view type() const override { return "doc"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 16 * doc.size(); }
};

struct DocStore : Payload {
  std::uint64_t op = 0;
  std::uint64_t token = 0;
  NodeId app = 0;
  Document doc;
  std::string_view type() const override { return "doc-store"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 8 + 4 + 16 * doc.size(); }
};

struct StoreAck : Payload {
  std::uint64_t op = 0;
  bool stored = true;
  std::uint64_t seen_token = 0;  // the highest token the storage has seen
  std::string_view type() const override { return stored ? "store-ack" : "store-refused"; }
  std::size_t size_bytes() const override { return kEnvelopeBytes + 8 + 1 + 8; }
};

}  // namespace consim::leader_lease
