// The clients' set and counter operations; see clients.h (the invariants
// on sets and counters) and docs/crdts.md. Their final reads are in
// final_reads.cc.
#include "sim/clients.h"
#include "sim/trace_writer.h"

namespace consim {

OpType Clients::draw_data_op(Client& c, const WorkloadSpec& w, double type_draw, Value& value) {
  if (type_draw < w.read_fraction) return OpType::Read;
  if (w.type == WorkloadType::Counter) {
    value = type_draw < w.read_fraction + w.decrement_fraction ? -1 : 1;
    return OpType::Incr;
  }
  value = static_cast<Value>(w.items_first + c.rng.below(w.items));
  return type_draw < w.read_fraction + w.remove_fraction ? OpType::Remove : OpType::Add;
}

}  // namespace consim
