// The bank workload's side of the clients (workload.type "bank"; see
// clients.h for the client contract, docs/scenario-format.md for the keys).
//
// Each operation draws, in this order from the client's stream: the type
// (below transfer_fraction a transfer, else a balance read), the debited
// (or read) account from the key distribution, the credited account
// (uniform over the other accounts) and the amount (uniform in
// [amount_min, amount_max]); a read draws the last two as well, so the
// draws per operation are fixed. The final balance reads are the clients'
// final reads (final_reads.cc).
#include "sim/clients.h"
#include "sim/trace_writer.h"

namespace consim {

void Clients::issue_bank(std::uint32_t client) {
  Client& c = clients_[client];
  const BankWorkload& b = *c.workload->bank;
  Request req;
  req.op_id = ++next_op_;
  req.client = client;
  const bool transfer = c.rng.next_double() < b.transfer_fraction;
  req.key = keys_.sample(c.rng);
  const Key other = (req.key + 1 + c.rng.below(b.accounts - 1)) % b.accounts;
  const auto span = static_cast<std::uint64_t>(b.amount_max - b.amount_min) + 1;
  const std::int64_t amount = b.amount_min + static_cast<std::int64_t>(c.rng.below(span));
  req.type = transfer ? OpType::Transfer : OpType::Read;
  if (transfer) {
    req.to_key = other;
    req.amount = amount;
  }
  send_request(client, std::move(req), c.leader.value_or(c.nodes[c.current]), 0, false);
}

}  // namespace consim
