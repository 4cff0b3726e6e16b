// Stamps of the last-writer-wins types; see crdt_ops.h.
#include "models/crdt/crdt_ops.h"

#include <cstdio>
#include <cstdlib>

namespace consim::crdt {

std::string to_string(const Stamp& stamp) {
  return std::to_string(stamp.time) + "@r" + std::to_string(stamp.replica);
}

Stamp next_stamp(Replica replica, std::int64_t now, const std::optional<Stamp>& seen) {
  Stamp stamp{now, replica};
  if (seen && stamp <= *seen) stamp.time = seen->time + 1;
  return stamp;
}

void broken_invariant(const std::string& what) {
  std::fprintf(stderr, "consim: broken invariant: %s\n", what.c_str());
  std::abort();
}

}  // namespace consim::crdt
