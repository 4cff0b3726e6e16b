// The leader-lease model's storage node: one document holding every key,
// and the highest fencing token any store has carried.
//
//   on doc-read(op)            -> reply doc(op, the document)
//   on doc-store(op, doc, token):
//     fencing and token < highest seen -> note "fenced"; store-refused
//     else replace the whole document (note "stale-token" if token <
//          highest seen); highest := max(highest, token); store-ack
//
// Invariants: ctx.applied() is called for exactly the keys whose value a
// store changes (a key the new document lacks becomes null); the document
// and the highest token are durable (a crash keeps them).
#pragma once

#include "models/leader_lease_parts.h"

namespace consim::leader_lease {

class DocumentStorage {
 public:
  DocumentStorage(Context& ctx, bool fencing_tokens) : ctx_(ctx), fencing_(fencing_tokens) {}
  void read(NodeId from, const DocRead& r);
  void store(NodeId from, const DocStore& s);

 private:
  void replace_document(const Document& next);

  Context& ctx_;
  bool fencing_;
  Document doc_;
  std::uint64_t max_token_ = 0;
};

}  // namespace consim::leader_lease
