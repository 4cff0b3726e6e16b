// Definitions for the small helpers declared in model.h.
#include "models/model.h"

namespace consim {

std::string_view op_name(OpType t) {
  switch (t) {
    case OpType::Read:
      return "read";
    case OpType::Write:
      return "write";
    case OpType::Cas:
      return "cas";
    case OpType::Transfer:
      return "transfer";
  }
  return "unknown";
}

}  // namespace consim
