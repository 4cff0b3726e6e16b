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
    case OpType::Add:
      return "add";
    case OpType::Remove:
      return "remove";
    case OpType::Incr:
      return "incr";
  }
  return "unknown";
}

std::string_view workload_type_name(WorkloadType t) {
  switch (t) {
    case WorkloadType::Register:
      return "register";
    case WorkloadType::Set:
      return "set";
    case WorkloadType::Counter:
      return "counter";
    case WorkloadType::Bank:
      return "bank";
  }
  return "unknown";
}

}  // namespace consim
